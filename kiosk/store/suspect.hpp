// Suspect answers: responses that look like play, a test or a stuck finger rather than a
// customer's opinion. They are flagged, never deleted; summaries leave them out unless asked
// (SummaryFilter::IncludeSuspect) and SummarizeSuspects() says how many were left out and why.
//
// THE RULES (every threshold is a constant below; only completed customer responses are judged,
// so staff responses and abandoned ones are never suspect)
//
//   burst     This response ended within kBurstWindowMs after at least kBurstCount - 1 other
//             completed customer responses, i.e. it is the 3rd or later within 20 s. Counted
//             over the window [ended_at_ms - kBurstWindowMs, ended_at_ms], both ends included.
//   too_fast  duration_ms < kMinMsPerAnswer x answers, where answers = scores given + least-met
//             (if chosen) + intent (if given). Nobody reads and answers a question in 1.2 s.
//   repeat    The immediately previous completed customer response (the greatest ended_at_ms
//             not after this one's, then the highest seq) has identical scores, least-met and
//             intent, and ended at most kRepeatWindowMs before this one.
//
//   Comparisons look only at rows with the same synthetic flag, so demo data written by
//   `simulate` never marks a real customer's answer, nor the other way round.
//
// WHEN FLAGS ARE SET
//   Store::Append() / Store::AppendBatch() call SuspectRules::Check() for each response, inside
//   the insert's transaction and before the row is inserted, so a response is judged against the
//   rows stored before it. The reason is stored in responses.suspect_reason and never changed
//   afterwards: a later threshold change applies to new rows only.
//   Migration 3 (store_schema.hpp) judged the rows that existed before it with the same rules,
//   written in SQL; a test checks that both give identical flags.
//
// The stored reason is a comma-separated list of codes in the fixed order burst, too_fast,
// repeat ("burst,repeat"), or NULL when none applies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "core/response/response.hpp"
#include "core/sqlite/sqlite_db.hpp"

struct sqlite3;

namespace doorstep {

inline constexpr int64_t kBurstWindowMs = 20'000;    // burst: the window, ending at this answer
inline constexpr int kBurstCount = 3;                // burst: the 3rd answer in it is suspect
inline constexpr int64_t kMinMsPerAnswer = 1'200;    // too_fast: least time per answer
inline constexpr int64_t kRepeatWindowMs = 120'000;  // repeat: the same answers within 2 min

// Stable codes, stored in the database and shown by the manager's screens.
inline constexpr std::string_view kSuspectBurst = "burst";
inline constexpr std::string_view kSuspectTooFast = "too_fast";
inline constexpr std::string_view kSuspectRepeat = "repeat";
inline constexpr std::string_view kSuspectReasons[] = {kSuspectBurst, kSuspectTooFast,
                                                       kSuspectRepeat};

// True when the rules judge this response at all (completed, customer).
bool IsJudged(const Response& response);
// The too_fast rule alone; it needs no other row.
bool IsTooFast(const Response& response);
// "burst,repeat" -> {"burst", "repeat"}; "" -> {}.
std::vector<std::string_view> SplitSuspectReason(std::string_view reason);

// The rules that need other rows, with their statements prepared once per connection.
class SuspectRules {
  public:
    static Result<SuspectRules> Prepare(sqlite3* db);
    SuspectRules() = default;

    // The reason codes for `response` against the rows stored so far; "" when none applies.
    // Call inside the transaction that will insert the response, before inserting it.
    Result<std::string> Check(const Response& response);

  private:
    Result<bool> IsBurst(const Response& response);
    Result<bool> IsRepeat(const Response& response);

    Statement CountRecent_;     // completed customer answers in the burst window
    Statement Previous_;        // the previous completed customer answer
    Statement PreviousScores_;  // its scores
};

}  // namespace doorstep
