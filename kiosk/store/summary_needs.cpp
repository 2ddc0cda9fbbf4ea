// Score summaries: per need, by weekday and hour, and staff beside customers. All read
// rollup_scores; see summary.hpp for what is counted and what is suppressed.
#include <sqlite3.h>

#include "core/base/local_time.hpp"
#include "kiosk/store/summary.hpp"
#include "kiosk/store/summary_sql.hpp"

namespace doorstep {
namespace {

using summary_internal::Difference;
using summary_internal::ForEachRow;
using summary_internal::GuardedRatio;
using summary_internal::kRollupScope;
using summary_internal::PrepareRollup;
using summary_internal::QueryRollup;

// How many days before the period the baseline reaches: 4 weeks.
constexpr int64_t kBaselineDays = 28;

struct ScoreCounts {
    std::array<int64_t, 5> ByScore{};  // [0] = 1s
    int64_t Count() const { return ByScore[0] + ByScore[1] + ByScore[2] + ByScore[3] + ByScore[4]; }
    int64_t Sum() const {
        int64_t sum = 0;
        for (int score = 1; score <= 5; ++score) {
            sum += score * ByScore[static_cast<size_t>(score - 1)];
        }
        return sum;
    }
};

struct SumCount {
    int64_t Sum = 0;
    int64_t Count = 0;
};

// "SELECT <columns> FROM rollup_scores WHERE <scope> <and> GROUP BY <group_by>"
std::string ScoresQuery(const char* columns, const char* and_where, const char* group_by) {
    return std::string("SELECT ") + columns + " FROM rollup_scores WHERE " + kRollupScope + " " +
           and_where + " GROUP BY " + group_by;
}

size_t IndexOf(std::span<const std::string> need_ids, const std::string& need) {
    for (size_t i = 0; i < need_ids.size(); ++i) {
        if (need_ids[i] == need) {
            return i;
        }
    }
    return need_ids.size();
}

NeedSummary Summarize(const std::string& need_id, const ScoreCounts& period,
                      const SumCount& baseline) {
    NeedSummary summary;
    summary.NeedId = need_id;
    summary.Count = period.Count();
    summary.Mean = GuardedRatio(static_cast<double>(period.Sum()), summary.Count);
    if (summary.Count >= kMinGroupSize) {
        summary.Distribution = period.ByScore;
    }
    summary.NegativeShare =
        GuardedRatio(static_cast<double>(period.ByScore[0] + period.ByScore[1]), summary.Count);
    summary.BaselineCount = baseline.Count;
    summary.BaselineMean = GuardedRatio(static_cast<double>(baseline.Sum), baseline.Count);
    summary.Change = Difference(summary.Mean, summary.BaselineMean);
    return summary;
}

}  // namespace

DayRange PeriodDays(Period period, int64_t now_wall_ms) {
    int64_t today = LocalSlotOf(now_wall_ms).Day;
    switch (period) {
        case Period::Last7Days:
            return {today - 6, today};
        case Period::Last28Days:
            return {today - 27, today};
        case Period::Today:
            break;
    }
    return {today, today};
}

Baseline BaselineOf(Period period, int64_t now_wall_ms) {
    DayRange days = PeriodDays(period, now_wall_ms);
    Baseline baseline;
    baseline.Days = {days.First - kBaselineDays, days.First - 1};
    if (period == Period::Today) {
        baseline.Weekday = WeekdayOfDay(days.First);
    }
    return baseline;
}

Result<NeedSummaries> SummarizeNeeds(sqlite3* db, std::span<const std::string> need_ids,
                                     const SummaryFilter& filter, int64_t now_wall_ms) {
    NeedSummaries result;
    result.Days = PeriodDays(filter.Span, now_wall_ms);
    result.Compared = BaselineOf(filter.Span, now_wall_ms);
    std::vector<ScoreCounts> period(need_ids.size());
    std::vector<SumCount> baseline(need_ids.size());

    Result<Transaction> snapshot =
        Transaction::Begin(db, "summarize needs", TransactionMode::Deferred);
    if (!snapshot.Ok()) {
        return snapshot.Err();
    }
    auto add_period_row = [&](const Statement& row) {
        size_t need = IndexOf(need_ids, row.ColumnText(0));
        int64_t score = row.ColumnInt64(1);
        if (need < need_ids.size() && score >= 1 && score <= 5) {
            period[need].ByScore[static_cast<size_t>(score - 1)] += row.ColumnInt64(2);
        }
    };
    const std::string period_sql =
        ScoresQuery("need, score, sum(n)", "AND kind = 'customer'", "need, score");
    Status read =
        QueryRollup(db, "summarize needs", period_sql, result.Days, filter, add_period_row);
    if (!read.Ok()) {
        return read.Err();
    }
    // ?5: the baseline's only weekday, or -1 for every day.
    const std::string baseline_sql =
        ScoresQuery("need, sum(score * n), sum(n)",
                    "AND kind = 'customer' AND (?5 < 0 OR weekday = ?5)", "need");
    Result<Statement> compared =
        PrepareRollup(db, "summarize needs' baseline", baseline_sql, result.Compared.Days, filter);
    if (!compared.Ok()) {
        return compared.Err();
    }
    compared->BindInt64(5, result.Compared.Weekday.value_or(-1));
    auto add_baseline_row = [&](const Statement& row) {
        size_t need = IndexOf(need_ids, row.ColumnText(0));
        if (need < need_ids.size()) {
            baseline[need] = {row.ColumnInt64(1), row.ColumnInt64(2)};
        }
    };
    if (read = ForEachRow(*compared, add_baseline_row); !read.Ok()) {
        return read.Err();
    }
    if (Status ended = snapshot->Commit(); !ended.Ok()) {
        return ended.Err();
    }
    for (size_t i = 0; i < need_ids.size(); ++i) {
        result.Needs.push_back(Summarize(need_ids[i], period[i], baseline[i]));
    }
    return result;
}

Result<HeatMap> SummarizeHeatMap(sqlite3* db, const std::string& need_id,
                                 const SummaryFilter& filter, int64_t now_wall_ms) {
    HeatMap result;
    result.NeedId = need_id;
    result.Days = PeriodDays(filter.Span, now_wall_ms);
    std::array<std::array<SumCount, 24>, 7> cells{};
    const std::string sql = ScoresQuery("weekday, hour, sum(score * n), sum(n)",
                                        "AND kind = 'customer' AND need = ?5", "weekday, hour");
    Result<Statement> query = PrepareRollup(db, "summarize heat map", sql, result.Days, filter);
    if (!query.Ok()) {
        return query.Err();
    }
    query->BindText(5, need_id);
    auto add_row = [&](const Statement& row) {
        int64_t weekday = row.ColumnInt64(0);
        int64_t hour = row.ColumnInt64(1);
        if (weekday >= 0 && weekday < 7 && hour >= 0 && hour < 24) {
            cells[static_cast<size_t>(weekday)][static_cast<size_t>(hour)] = {row.ColumnInt64(2),
                                                                              row.ColumnInt64(3)};
        }
    };
    if (Status read = ForEachRow(*query, add_row); !read.Ok()) {
        return read.Err();
    }
    for (size_t weekday = 0; weekday < 7; ++weekday) {
        for (size_t hour = 0; hour < 24; ++hour) {
            const SumCount& cell = cells[weekday][hour];
            result.Cells[weekday][hour] = {cell.Count,
                                           GuardedRatio(static_cast<double>(cell.Sum), cell.Count)};
        }
    }
    return result;
}

Result<StaffGap> SummarizeStaffGap(sqlite3* db, std::span<const std::string> need_ids,
                                   const SummaryFilter& filter, int64_t now_wall_ms) {
    StaffGap result;
    result.Days = PeriodDays(filter.Span, now_wall_ms);
    std::vector<SumCount> customers(need_ids.size());
    std::vector<SumCount> staff(need_ids.size());
    auto add_row = [&](const Statement& row) {
        size_t need = IndexOf(need_ids, row.ColumnText(0));
        if (need < need_ids.size()) {
            SumCount& into = row.ColumnText(1) == "staff" ? staff[need] : customers[need];
            into = {row.ColumnInt64(2), row.ColumnInt64(3)};
        }
    };
    const std::string sql = ScoresQuery("need, kind, sum(score * n), sum(n)", "", "need, kind");
    Status read = QueryRollup(db, "summarize staff gap", sql, result.Days, filter, add_row);
    if (!read.Ok()) {
        return read.Err();
    }
    for (size_t i = 0; i < need_ids.size(); ++i) {
        NeedGap gap;
        gap.NeedId = need_ids[i];
        gap.CustomerCount = customers[i].Count;
        gap.CustomerMean = GuardedRatio(static_cast<double>(customers[i].Sum), customers[i].Count);
        gap.StaffCount = staff[i].Count;
        gap.StaffMean = GuardedRatio(static_cast<double>(staff[i].Sum), staff[i].Count);
        gap.Gap = Difference(gap.StaffMean, gap.CustomerMean);
        result.Needs.push_back(std::move(gap));
    }
    return result;
}

}  // namespace doorstep
