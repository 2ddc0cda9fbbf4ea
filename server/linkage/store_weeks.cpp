#include "server/linkage/store_weeks.hpp"

#include <algorithm>
#include <set>

namespace doorstep::server {
namespace {

struct WeekSum {
    double Sum = 0;
    int Days = 0;
};

// Mean score of a need's counts of 1..5; the answers behind it in `answers`.
double MeanScore(const std::array<int64_t, 5>& counts, int64_t& answers) {
    answers = 0;
    int64_t sum = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        answers += counts.at(i);
        sum += counts.at(i) * static_cast<int64_t>(i + 1);
    }
    return answers == 0 ? 0 : static_cast<double>(sum) / static_cast<double>(answers);
}

Status AddLeading(ServerStore& store, const ReportFilter& filter, StoreWeeks& weeks) {
    Result<std::vector<ScoreTotals>> scores = store.SumScores(filter, ReportGroup::StoreWeek);
    if (!scores.Ok()) {
        return scores.Err();
    }
    std::set<std::string> needs;
    for (const ScoreTotals& totals : *scores) {
        int64_t answers = 0;
        double mean = MeanScore(totals.Counts, answers);
        if (answers >= kMinGroupAnswers && !totals.Need.empty()) {
            weeks.Leading[totals.Need][totals.Group][WeekNumber(totals.Week)] = mean;
            needs.insert(totals.Need);
        }
    }
    weeks.Needs.assign(needs.begin(), needs.end());
    Result<std::vector<AnswerTotals>> answers = store.SumAnswers(filter, ReportGroup::StoreWeek);
    if (!answers.Ok()) {
        return answers.Err();
    }
    WeeklyValues& intent = weeks.Leading[std::string(kIntentLeading)];
    for (const AnswerTotals& totals : *answers) {
        if (totals.IntentAnswers >= kMinGroupAnswers) {
            intent[totals.Group][WeekNumber(totals.Week)] =
                100.0 * static_cast<double>(totals.Promoters - totals.Detractors) /
                static_cast<double>(totals.IntentAnswers);
        }
    }
    return Success();
}

// The ratio numerator / denominator of two metrics' weekly sums, where the denominator is > 0.
WeeklyValues Ratio(const std::map<std::string, std::map<int64_t, WeekSum>>& numerator,
                   const std::map<std::string, std::map<int64_t, WeekSum>>& denominator,
                   double scale) {
    WeeklyValues ratio;
    for (const auto& [store, by_week] : numerator) {
        auto other = denominator.find(store);
        if (other == denominator.end()) {
            continue;
        }
        for (const auto& [week, sum] : by_week) {
            auto below = other->second.find(week);
            if (below != other->second.end() && below->second.Sum > 0) {
                ratio[store][week] = scale * sum.Sum / below->second.Sum;
            }
        }
    }
    return ratio;
}

}  // namespace

Result<StoreWeeks> LoadStoreWeeks(ServerStore& store, const ReportFilter& filter, int lag_weeks) {
    StoreWeeks weeks;
    weeks.FirstWeek = WeekNumber(filter.FromDay + 6);  // the first Monday in the range
    weeks.LastWeek = WeekNumber(filter.ToDay);
    ReportFilter by_week = filter;
    by_week.FromDay = FirstDayOfWeek(weeks.FirstWeek);
    by_week.Need.clear();
    by_week.Kind = ResponseKind::Customer;
    if (Status added = AddLeading(store, by_week, weeks); !added.Ok()) {
        return added.Err();
    }
    Result<std::vector<std::string>> metrics = store.ListOutcomeMetrics();
    if (!metrics.Ok()) {
        return metrics.Err();
    }
    const int64_t from_day = FirstDayOfWeek(weeks.FirstWeek);
    const int64_t to_day = FirstDayOfWeek(weeks.LastWeek + lag_weeks) + 6;
    std::map<std::string, std::map<std::string, std::map<int64_t, WeekSum>>> sums;
    for (const std::string& metric : *metrics) {
        Result<std::vector<OutcomeWeekTotals>> totals =
            store.SumOutcomeWeeks(metric, filter.Store, from_day, to_day);
        if (!totals.Ok()) {
            return totals.Err();
        }
        auto& by_store = sums[metric];
        WeeklyValues& lagging = weeks.Lagging[metric];
        for (const OutcomeWeekTotals& week : *totals) {
            by_store[week.Store][week.Week] = {week.Total, static_cast<int>(week.Days)};
            lagging[week.Store][week.Week] = week.Total / static_cast<double>(week.Days);
            if (week.Week <= weeks.LastWeek) {
                weeks.Totals[week.Store][metric] += week.Total;
            }
        }
    }
    if (sums.contains("transactions") && sums.contains("footfall")) {
        weeks.Lagging[std::string(kConversionOutcome)] =
            Ratio(sums["transactions"], sums["footfall"], 100.0);
    }
    if (sums.contains("sales") && sums.contains("footfall")) {
        weeks.Lagging[std::string(kSalesPerVisitorOutcome)] =
            Ratio(sums["sales"], sums["footfall"], 1.0);
    }
    return weeks;
}

}  // namespace doorstep::server
