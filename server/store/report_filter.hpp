// What a head-office report looks at: a range of the stores' local days and optional narrowing
// by store, door, need, language, kind and suspect answers. Parsed from an API query string,
// with an error that names the parameter when one is wrong.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "core/response/response.hpp"

namespace doorstep::server {

inline constexpr int64_t kDefaultReportDays = 28;
inline constexpr int64_t kMaxReportDays = 3 * 366;
// Any group of fewer answers is reported as suppressed, never as a number.
inline constexpr int64_t kMinGroupAnswers = 5;
inline constexpr int64_t kDefaultCommentPage = 50;
inline constexpr int64_t kMaxCommentPage = 200;

struct ReportFilter {
    int64_t FromDay = 0;  // local days since 1970-01-01, inclusive
    int64_t ToDay = 0;    // inclusive
    std::string Store;    // empty: every one
    std::string Door;
    std::string Need;  // narrows need-level results (scores, hours); answer counts ignore it
    std::string Language;
    std::optional<ResponseKind> Kind = ResponseKind::Customer;  // nothing: both kinds
    bool IncludeSuspect = false;
    // The comments report only: text to find (3 or more characters), and which page.
    std::string CommentSearch;
    int64_t Offset = 0;
    int64_t Limit = kDefaultCommentPage;

    // Whether a store or door is chosen: otherwise the fleet-wide rollups serve.
    bool Narrowed() const { return !Store.empty() || !Door.empty(); }
    // The hours rollup to read: the fleet's shards, or the chosen terminals' own rows.
    const char* HoursTable() const { return Narrowed() ? "rollup_hours" : "rollup_fleet_hours"; }
};

struct FilterProblem {
    std::string Parameter;
    std::string Message;
};

// Parameters: from, to (YYYY-MM-DD; default the kDefaultReportDays days ending `today_day`),
// store, door, need, lang, kind (customer | staff | all; default customer), suspect
// (exclude | include; default exclude), and for comments q, offset and limit. Unknown parameters
// are refused, so a typo is not silently ignored.
std::variant<ReportFilter, FilterProblem> ParseReportFilter(
    const std::map<std::string, std::string>& query, int64_t today_day);

// "2026-11-24" for a day number, and back (nothing when not a valid date).
std::string DayToIsoDate(int64_t day);
std::optional<int64_t> IsoDateToDay(std::string_view text);

}  // namespace doorstep::server
