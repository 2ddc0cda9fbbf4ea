// Summaries of the whole response rather than of one need: the least-met ranking, intent to
// return, completion, and what the suspect filter removes. All read the rollups; see summary.hpp.
#include <algorithm>
#include <map>

#include "kiosk/store/summary.hpp"
#include "kiosk/store/summary_sql.hpp"
#include "kiosk/store/suspect.hpp"

namespace doorstep {
namespace {

using summary_internal::GuardedRatio;
using summary_internal::kRollupScope;
using summary_internal::QueryRollup;

std::string CustomerQuery(const char* select, const char* from, const char* group_by) {
    return std::string("SELECT ") + select + " FROM " + from + " WHERE kind = 'customer' AND " +
           kRollupScope + " GROUP BY " + group_by;
}

}  // namespace

Result<LeastMetRanking> RankLeastMet(sqlite3* db, std::span<const std::string> need_ids,
                                     const SummaryFilter& filter, int64_t now_wall_ms) {
    LeastMetRanking result;
    result.Days = PeriodDays(filter.Span, now_wall_ms);
    std::map<std::string, int64_t> counts;
    auto add_row = [&](const Statement& row) { counts[row.ColumnText(0)] = row.ColumnInt64(1); };
    const std::string sql = CustomerQuery("need, sum(n)", "rollup_least_met", "need");
    Status read = QueryRollup(db, "rank least-met needs", sql, result.Days, filter, add_row);
    if (!read.Ok()) {
        return read.Err();
    }
    for (const auto& [need, count] : counts) {
        result.Total += count;
    }
    // Listed needs first, in their order, then any other need that was chosen.
    std::vector<std::pair<std::string, int64_t>> ranked;
    for (const std::string& need : need_ids) {
        auto found = counts.find(need);
        ranked.emplace_back(need, found == counts.end() ? 0 : found->second);
        if (found != counts.end()) {
            counts.erase(found);
        }
    }
    for (const auto& [need, count] : counts) {
        ranked.emplace_back(need, count);
    }
    const bool shown = result.Total >= kMinGroupSize;
    if (shown) {
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
    }
    for (const auto& [need, count] : ranked) {
        LeastMetEntry entry;
        entry.NeedId = need;
        if (shown) {
            entry.Count = count;
        }
        entry.Share = GuardedRatio(static_cast<double>(count), result.Total);
        result.Needs.push_back(std::move(entry));
    }
    return result;
}

Result<IntentSummary> SummarizeIntent(sqlite3* db, const SummaryFilter& filter,
                                      int64_t now_wall_ms) {
    IntentSummary result;
    result.Days = PeriodDays(filter.Span, now_wall_ms);
    std::array<int64_t, 11> counts{};
    auto add_row = [&](const Statement& row) {
        int64_t intent = row.ColumnInt64(0);
        if (intent >= 0 && intent <= 10) {
            counts[static_cast<size_t>(intent)] += row.ColumnInt64(1);
        }
    };
    const std::string sql = CustomerQuery("intent, sum(n)", "rollup_intent", "intent");
    Status read = QueryRollup(db, "summarize intent", sql, result.Days, filter, add_row);
    if (!read.Ok()) {
        return read.Err();
    }
    int64_t promoters = counts[9] + counts[10];
    int64_t passives = counts[7] + counts[8];
    int64_t detractors = 0;
    for (size_t intent = 0; intent <= 6; ++intent) {
        detractors += counts[intent];
    }
    result.Count = promoters + passives + detractors;
    result.PromoterShare = GuardedRatio(static_cast<double>(promoters), result.Count);
    result.PassiveShare = GuardedRatio(static_cast<double>(passives), result.Count);
    result.DetractorShare = GuardedRatio(static_cast<double>(detractors), result.Count);
    result.Score = GuardedRatio(100.0 * static_cast<double>(promoters - detractors), result.Count);
    if (result.Count >= kMinGroupSize) {
        result.Distribution = counts;
    }
    return result;
}

Result<CompletionSummary> SummarizeCompletion(sqlite3* db, const SummaryFilter& filter,
                                              int64_t now_wall_ms) {
    CompletionSummary result;
    result.Days = PeriodDays(filter.Span, now_wall_ms);
    auto add_row = [&](const Statement& row) {
        int64_t count = row.ColumnInt64(2);
        if (row.ColumnText(0) == "completed") {
            result.Completed += count;
            return;
        }
        result.Abandoned += count;
        result.AbandonedAt.push_back({row.ColumnText(1), count});
    };
    const std::string sql =
        CustomerQuery("status, step, sum(n)", "rollup_outcomes", "status, step");
    Status read = QueryRollup(db, "summarize completion", sql, result.Days, filter, add_row);
    if (!read.Ok()) {
        return read.Err();
    }
    std::sort(result.AbandonedAt.begin(), result.AbandonedAt.end(),
              [](const AbandonedStep& a, const AbandonedStep& b) {
                  return a.Count != b.Count ? a.Count > b.Count : a.Step < b.Step;
              });
    result.CompletedShare =
        GuardedRatio(static_cast<double>(result.Completed), result.Completed + result.Abandoned);
    return result;
}

Result<SuspectSummary> SummarizeSuspects(sqlite3* db, const SummaryFilter& filter,
                                         int64_t now_wall_ms) {
    SuspectSummary result;
    result.Days = PeriodDays(filter.Span, now_wall_ms);
    for (std::string_view code : kSuspectReasons) {
        result.ByReason.push_back({std::string(code), 0});
    }
    SummaryFilter everything = filter;
    everything.IncludeSuspect = true;  // the point is to count what the filter would remove
    auto add_row = [&](const Statement& row) {
        std::string reason = row.ColumnText(0);
        int64_t count = row.ColumnInt64(1);
        result.Responses += count;
        if (reason.empty()) {
            return;
        }
        result.Flagged += count;
        for (std::string_view code : SplitSuspectReason(reason)) {
            auto known = std::find_if(result.ByReason.begin(), result.ByReason.end(),
                                      [&](const ReasonCount& r) { return r.Reason == code; });
            if (known == result.ByReason.end()) {
                result.ByReason.push_back({std::string(code), 0});
                known = result.ByReason.end() - 1;
            }
            known->Count += count;
        }
    };
    const std::string sql = CustomerQuery("reason, sum(n)", "rollup_outcomes", "reason");
    Status read =
        QueryRollup(db, "summarize suspect responses", sql, result.Days, everything, add_row);
    if (!read.Ok()) {
        return read.Err();
    }
    return result;
}

}  // namespace doorstep
