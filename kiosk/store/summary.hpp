// The store manager's summaries: what customers said at this door, ready for a screen. UI-free
// plain structs, read from the rollups (rollup.hpp) so that each call takes milliseconds even
// over a million stored responses; only the comment list reads the responses themselves.
//
// Every function takes the store's connection (Store::Handle(), or a second connection opened on
// the same file), reads one consistent snapshot, and writes nothing. Call outside a transaction.
//
// WHAT IS COUNTED
//   * Customers only, except in SummarizeStaffGap(), which sets staff answers beside them.
//   * Every answer given, also from abandoned responses (a score given before leaving is a score).
//   * Suspect responses (suspect.hpp) only with SummaryFilter::IncludeSuspect.
//   * Periods are whole LOCAL days (local_time.hpp), ending with today.
//
// PRIVACY
//   A number built from fewer than kMinGroupSize answers could point at one person, so it is
//   never returned: a Guarded value is empty instead, and distributions and counts inside a small
//   group are empty optionals. Plain counts of how many answers there are stay visible, so the
//   screen can say "3 answers, too few to show".
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/base/result.hpp"

struct sqlite3;

namespace doorstep {

// The smallest group of answers a summary number may be built from.
inline constexpr int64_t kMinGroupSize = 5;

// A number built from a group of answers; empty when the group is smaller than kMinGroupSize.
struct Guarded {
    std::optional<double> Value;
    bool Suppressed() const { return !Value.has_value(); }
};

enum class Period {
    Today,       // today, local time
    Last7Days,   // today and the 6 days before
    Last28Days,  // today and the 27 days before
};

struct SummaryFilter {
    Period Span = Period::Today;
    // Responses flagged by the rules of suspect.hpp; left out unless the manager asks.
    bool IncludeSuspect = false;
    // Demo data written by `doorstep-kiosk simulate`. Included by default so that a demo store
    // shows numbers; a live store holds none unless someone ran `simulate` on it.
    bool IncludeSynthetic = true;
};

// Local day numbers (local_time.hpp), both ends included.
struct DayRange {
    int64_t First = 0;
    int64_t Last = 0;
    bool operator==(const DayRange&) const = default;
};

// The local days `period` covers when it is `now_wall_ms`.
DayRange PeriodDays(Period period, int64_t now_wall_ms);

// --- Needs ----------------------------------------------------------------------------------

// The comparison ("change") baseline: the 28 days before the period's first day, keeping only
// the weekdays the period contains. So for Today it is the same weekday in each of the 4 weeks
// before; for the last 7 days, the 4 whole weeks before; for the last 28 days, the 4 weeks
// before those. Each baseline holds every weekday it uses exactly 4 times. Means are pooled over
// all scores (not a mean of daily means).
struct Baseline {
    DayRange Days;
    std::optional<int> Weekday;  // only this weekday (0 = Sunday) of Days; empty: every day
    bool operator==(const Baseline&) const = default;
};
Baseline BaselineOf(Period period, int64_t now_wall_ms);

struct NeedSummary {
    std::string NeedId;
    int64_t Count = 0;                                   // scores given in the period
    Guarded Mean;                                        // 1..5
    std::optional<std::array<int64_t, 5>> Distribution;  // [0] = number of 1s .. [4] = of 5s
    Guarded NegativeShare;                               // share of 1s and 2s, 0..1
    int64_t BaselineCount = 0;                           // scores given in the baseline
    Guarded BaselineMean;
    Guarded Change;  // Mean - BaselineMean, in score points; empty when either side is
};

struct NeedSummaries {
    DayRange Days;
    Baseline Compared;
    std::vector<NeedSummary> Needs;  // in the order of `need_ids`
};

// One summary per need in `need_ids` (the survey's enabled needs, in display order). Answers for
// needs not listed (since disabled) are not shown.
Result<NeedSummaries> SummarizeNeeds(sqlite3* db, std::span<const std::string> need_ids,
                                     const SummaryFilter& filter, int64_t now_wall_ms);

struct HeatCell {
    int64_t Count = 0;  // scores given in this weekday and hour
    Guarded Mean;
};

struct HeatMap {
    std::string NeedId;
    DayRange Days;
    std::array<std::array<HeatCell, 24>, 7> Cells;  // [weekday, 0 = Sunday][local hour]
};

// One need's mean score by local weekday and hour over the period.
Result<HeatMap> SummarizeHeatMap(sqlite3* db, const std::string& need_id,
                                 const SummaryFilter& filter, int64_t now_wall_ms);

struct NeedGap {
    std::string NeedId;
    int64_t CustomerCount = 0;
    Guarded CustomerMean;
    int64_t StaffCount = 0;
    Guarded StaffMean;
    Guarded Gap;  // StaffMean - CustomerMean: how much rosier staff see it
};

struct StaffGap {
    DayRange Days;
    std::vector<NeedGap> Needs;  // in the order of `need_ids`
};

// Per need, the customers' mean beside the staff's (kind 'staff', never suspect).
Result<StaffGap> SummarizeStaffGap(sqlite3* db, std::span<const std::string> need_ids,
                                   const SummaryFilter& filter, int64_t now_wall_ms);

// --- Least met, intent, completion ------------------------------------------------------------

struct LeastMetEntry {
    std::string NeedId;
    std::optional<int64_t> Count;  // empty while the total is below kMinGroupSize
    Guarded Share;                 // of all least-met answers, 0..1
};

struct LeastMetRanking {
    DayRange Days;
    int64_t Total = 0;  // least-met answers in the period
    // Most chosen first (ties in `need_ids` order), then needs not listed but chosen. While Total
    // is below kMinGroupSize the order would tell what little there is: `need_ids` order.
    std::vector<LeastMetEntry> Needs;
};

Result<LeastMetRanking> RankLeastMet(sqlite3* db, std::span<const std::string> need_ids,
                                     const SummaryFilter& filter, int64_t now_wall_ms);

struct IntentSummary {
    DayRange Days;
    int64_t Count = 0;                                    // intent answers
    Guarded Score;                                        // % promoters - % detractors, -100..100
    Guarded PromoterShare;                                // 9-10, 0..1
    Guarded PassiveShare;                                 // 7-8
    Guarded DetractorShare;                               // 0-6
    std::optional<std::array<int64_t, 11>> Distribution;  // [i] = answers of i
};

Result<IntentSummary> SummarizeIntent(sqlite3* db, const SummaryFilter& filter,
                                      int64_t now_wall_ms);

struct AbandonedStep {
    std::string Step;  // abandoned_at: "need:<id>", "least_met", "comment", "intent"; "" unknown
    int64_t Count = 0;
};

struct CompletionSummary {
    DayRange Days;
    int64_t Completed = 0;
    int64_t Abandoned = 0;
    Guarded CompletedShare;                  // Completed / (Completed + Abandoned)
    std::vector<AbandonedStep> AbandonedAt;  // most first, ties by step name
};

// Counts responses (visits), not answers, so counts are shown whatever their size.
Result<CompletionSummary> SummarizeCompletion(sqlite3* db, const SummaryFilter& filter,
                                              int64_t now_wall_ms);

// --- Suspect ----------------------------------------------------------------------------------

struct ReasonCount {
    std::string Reason;  // a code of suspect.hpp: "burst", "too_fast", "repeat"
    int64_t Count = 0;   // responses with this reason (one response may have several)
};

struct SuspectSummary {
    DayRange Days;
    int64_t Responses = 0;              // customer responses in the period, flagged or not
    int64_t Flagged = 0;                // of which suspect: what IncludeSuspect = false leaves out
    std::vector<ReasonCount> ByReason;  // every known code in kSuspectReasons order, then others
};

// Ignores filter.IncludeSuspect: it reports what that switch removes.
Result<SuspectSummary> SummarizeSuspects(sqlite3* db, const SummaryFilter& filter,
                                         int64_t now_wall_ms);

// --- Comments ---------------------------------------------------------------------------------

struct CommentQuery {
    bool NegativeOnly = false;  // any score <= 2, or intent <= 6
    int Limit = 20;
    int Offset = 0;
};

struct CommentItem {
    int64_t Seq = 0;
    int64_t EndedAtMs = 0;  // UTC ms; show in local time
    std::string Language;
    std::string Text;
    std::optional<double> MeanScore;  // this response's own mean score; empty without scores
    std::string LeastMet;             // "" when not chosen
    std::optional<int> Intent;
    bool Negative = false;
    std::string SuspectReason;  // "" when not suspect
};

struct CommentPage {
    std::vector<CommentItem> Items;  // newest first
    bool More = false;               // another page follows
};

// Customers' comments in the period, read from the responses (indexed), so they exist only as
// long as the row does (synced rows are pruned after retention; rollups are not).
Result<CommentPage> ListComments(sqlite3* db, const SummaryFilter& filter, int64_t now_wall_ms,
                                 const CommentQuery& query);

}  // namespace doorstep
