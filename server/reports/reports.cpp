#include "server/reports/reports.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>

namespace doorstep::server {
namespace {

using Json = nlohmann::json;

double Round(double value, int places) {
    double scale = std::pow(10.0, places);
    return std::round(value * scale) / scale;
}

bool Suppressed(int64_t answers) {
    return answers < kMinGroupAnswers;
}

// {"answers": n, ...more} or {"suppressed": true}, with `key` members kept either way.
Json Group(Json key, int64_t answers, const std::function<void(Json&)>& numbers) {
    if (Suppressed(answers)) {
        key["suppressed"] = true;
        return key;
    }
    key["answers"] = answers;
    numbers(key);
    return key;
}

int64_t Sum(const std::array<int64_t, 5>& counts) {
    int64_t total = 0;
    for (int64_t count : counts) {
        total += count;
    }
    return total;
}

double Mean(const std::array<int64_t, 5>& counts) {
    int64_t weighted = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        weighted += counts.at(i) * static_cast<int64_t>(i + 1);
    }
    return static_cast<double>(weighted) / static_cast<double>(Sum(counts));
}

void Add(std::array<int64_t, 5>& into, const std::array<int64_t, 5>& counts) {
    for (size_t i = 0; i < into.size(); ++i) {
        into.at(i) += counts.at(i);
    }
}

Json NeedsReport(const std::vector<ScoreTotals>& totals) {
    Json needs = Json::array();
    for (const ScoreTotals& need : totals) {
        needs.push_back(Group({{"need", need.Need}}, Sum(need.Counts), [&](Json& out) {
            out["mean"] = Round(Mean(need.Counts), 2);
            out["distribution"] = need.Counts;
            out["share_negative"] = Round(static_cast<double>(need.Counts[0] + need.Counts[1]) /
                                              static_cast<double>(Sum(need.Counts)),
                                          3);
        }));
    }
    return needs;
}

Json TrendReport(const ReportFilter& filter, const std::vector<ScoreTotals>& totals,
                 const std::vector<AnswerTotals>& answers) {
    std::map<int64_t, std::array<int64_t, 5>> scores_by_day;
    for (const ScoreTotals& total : totals) {
        Add(scores_by_day[std::stoll(total.Group)], total.Counts);
    }
    std::map<int64_t, int64_t> answers_by_day;
    for (const AnswerTotals& total : answers) {
        answers_by_day[std::stoll(total.Group)] = total.Answers;
    }
    Json days = Json::array();
    for (int64_t day = filter.FromDay; day <= filter.ToDay; ++day) {
        int64_t count = answers_by_day.count(day) != 0 ? answers_by_day[day] : 0;
        days.push_back(Group({{"date", DayToIsoDate(day)}}, count, [&](Json& out) {
            const std::array<int64_t, 5>& counts = scores_by_day[day];
            out["mean"] = Sum(counts) > 0 ? Json(Round(Mean(counts), 2)) : Json(nullptr);
        }));
    }
    return days;
}

Json HeatmapReport(const std::vector<HourTotals>& hours) {
    Json cells = Json::array();
    for (const HourTotals& cell : hours) {
        cells.push_back(
            Group({{"weekday", cell.Weekday}, {"hour", cell.Hour}}, cell.Answers, [&](Json& out) {
                out["mean"] = cell.Scores > 0 ? Json(Round(static_cast<double>(cell.ScoreSum) /
                                                               static_cast<double>(cell.Scores),
                                                           2))
                                              : Json(nullptr);
            }));
    }
    return cells;
}

Json LeastMetReport(const std::vector<LeastMetTotal>& totals) {
    int64_t named = 0;
    for (const LeastMetTotal& total : totals) {
        named += total.Answers;
    }
    Json ranking = Json::array();
    if (Suppressed(named)) {
        return ranking;
    }
    for (const LeastMetTotal& total : totals) {
        ranking.push_back(Group({{"need", total.Need}}, total.Answers, [&](Json& out) {
            out["share"] =
                Round(static_cast<double>(total.Answers) / static_cast<double>(named), 3);
        }));
    }
    return ranking;
}

void IntentNumbers(const AnswerTotals& totals, Json& out) {
    double n = static_cast<double>(totals.IntentAnswers);
    int64_t passives = totals.IntentAnswers - totals.Promoters - totals.Detractors;
    out["promoters"] = totals.Promoters;
    out["passives"] = passives;
    out["detractors"] = totals.Detractors;
    out["net_score"] =
        Round(100.0 * static_cast<double>(totals.Promoters - totals.Detractors) / n, 1);
}

// The group is the answers that gave an intent at all.
Json IntentReport(const std::vector<AnswerTotals>& answers) {
    AnswerTotals totals = answers.empty() ? AnswerTotals{} : answers.front();
    return Group(Json::object(), totals.IntentAnswers,
                 [&](Json& numbers) { IntentNumbers(totals, numbers); });
}

Json GapReport(const std::vector<ScoreTotals>& totals) {
    std::map<std::string, std::map<std::string, std::array<int64_t, 5>>> by_need;  // need, kind
    for (const ScoreTotals& total : totals) {
        by_need[total.Need][total.Group] = total.Counts;
    }
    Json needs = Json::array();
    for (auto& [need, kinds] : by_need) {
        Json row{{"need", need}};
        std::optional<double> means[2];
        const char* sides[] = {"customer", "staff"};
        for (int side = 0; side < 2; ++side) {
            const std::array<int64_t, 5>& counts = kinds[sides[side]];
            row[sides[side]] = Group(Json::object(), Sum(counts), [&](Json& out) {
                means[side] = Mean(counts);
                out["mean"] = Round(*means[side], 2);
            });
        }
        row["gap"] = means[0] && means[1] ? Json(Round(*means[1] - *means[0], 2)) : Json(nullptr);
        needs.push_back(row);
    }
    return needs;
}

Json StoresReport(const std::vector<ScoreTotals>& totals,
                  const std::vector<AnswerTotals>& answers) {
    std::map<std::string, std::array<int64_t, 5>> scores;
    for (const ScoreTotals& total : totals) {
        Add(scores[total.Group], total.Counts);
    }
    Json stores = Json::array();
    for (const AnswerTotals& store : answers) {
        stores.push_back(Group({{"store", store.Group}}, store.Answers, [&](Json& out) {
            const std::array<int64_t, 5>& counts = scores[store.Group];
            out["mean"] = Sum(counts) > 0 ? Json(Round(Mean(counts), 2)) : Json(nullptr);
            out["completion"] =
                Round(static_cast<double>(store.Completed) / static_cast<double>(store.Answers), 3);
            if (Suppressed(store.IntentAnswers)) {
                out["net_score"] = Json(nullptr);
            } else {
                Json intent;
                IntentNumbers(store, intent);
                out["net_score"] = intent["net_score"];
            }
        }));
    }
    return stores;
}

Json CommentsReport(const ReportFilter& filter, const CommentPage& page, int64_t answers,
                    int64_t commented) {
    if (Suppressed(answers)) {
        return {{"suppressed", true}, {"comments", Json::array()}};
    }
    Json comments = Json::array();
    for (const CommentRow& row : page.Rows) {
        int64_t local_ms = row.StartedAtMs + static_cast<int64_t>(row.UtcOffsetMin) * 60'000;
        int64_t minute_of_day = local_ms % (24LL * 3600 * 1000) / 60'000;
        char time[8];
        std::snprintf(time, sizeof time, "%02d:%02d", static_cast<int>(minute_of_day / 60),
                      static_cast<int>(minute_of_day % 60));
        comments.push_back({{"date", DayToIsoDate(local_ms / (24LL * 3600 * 1000))},
                            {"time", time},
                            {"store", row.Store},
                            {"door", row.Door},
                            {"lang", row.Language},
                            {"kind", row.Kind},
                            {"text", row.Text},
                            {"intent", row.Intent ? Json(*row.Intent) : Json(nullptr)},
                            {"least_met", row.LeastMet}});
    }
    return {{"total", filter.CommentSearch.empty() ? commented : page.Total},
            {"total_is_at_least", page.TotalCapped},
            {"offset", filter.Offset},
            {"limit", filter.Limit},
            {"q", filter.CommentSearch},
            {"comments", comments}};
}

Json ChoicesReport(const FilterChoices& choices) {
    Json stores = Json::object();
    for (const auto& [store, door] : choices.StoreDoors) {
        stores[store].push_back(door);
    }
    Json listed = Json::array();
    for (auto& [store, doors] : stores.items()) {
        listed.push_back({{"store", store}, {"doors", doors}});
    }
    return {{"stores", listed}, {"needs", choices.Needs}, {"languages", choices.Languages}};
}

}  // namespace

Json FilterJson(const ReportFilter& filter) {
    return {{"from", DayToIsoDate(filter.FromDay)},
            {"to", DayToIsoDate(filter.ToDay)},
            {"store", filter.Store},
            {"door", filter.Door},
            {"need", filter.Need},
            {"lang", filter.Language},
            {"kind", filter.Kind ? std::string(ToString(*filter.Kind)) : std::string("all")},
            {"suspect", filter.IncludeSuspect ? "include" : "exclude"},
            {"min_group", kMinGroupAnswers}};
}

Result<std::optional<Json>> BuildReport(ServerStore& store, std::string_view name,
                                        const ReportFilter& filter) {
    Json report{{"report", name}, {"filter", FilterJson(filter)}};
    auto fail = [](const Error& error) { return Result<std::optional<Json>>(error); };
    if (name == "needs") {
        auto totals = store.SumScores(filter, ReportGroup::None);
        auto answers = store.SumAnswers(filter, ReportGroup::None);
        if (!totals.Ok()) {
            return fail(totals.Err());
        }
        if (!answers.Ok()) {
            return fail(answers.Err());
        }
        int64_t count = answers->empty() ? 0 : answers->front().Answers;
        report["answers"] = Suppressed(count) ? Json(nullptr) : Json(count);
        report["needs"] = NeedsReport(*totals);
    } else if (name == "trend") {
        auto totals = store.SumScores(filter, ReportGroup::Day);
        auto answers = store.SumAnswers(filter, ReportGroup::Day);
        if (!totals.Ok()) {
            return fail(totals.Err());
        }
        if (!answers.Ok()) {
            return fail(answers.Err());
        }
        report["days"] = TrendReport(filter, *totals, *answers);
    } else if (name == "heatmap") {
        auto hours = store.SumHours(filter);
        if (!hours.Ok()) {
            return fail(hours.Err());
        }
        report["cells"] = HeatmapReport(*hours);
    } else if (name == "least-met") {
        auto totals = store.SumLeastMet(filter);
        if (!totals.Ok()) {
            return fail(totals.Err());
        }
        report["ranking"] = LeastMetReport(*totals);
    } else if (name == "intent") {
        auto answers = store.SumAnswers(filter, ReportGroup::None);
        if (!answers.Ok()) {
            return fail(answers.Err());
        }
        report["intent"] = IntentReport(*answers);
    } else if (name == "gap") {
        ReportFilter both = filter;
        both.Kind = std::nullopt;
        auto totals = store.SumScores(both, ReportGroup::Kind);
        if (!totals.Ok()) {
            return fail(totals.Err());
        }
        report["filter"]["kind"] = "all";
        report["needs"] = GapReport(*totals);
    } else if (name == "stores") {
        auto totals = store.SumScores(filter, ReportGroup::Store);
        auto answers = store.SumAnswers(filter, ReportGroup::Store);
        if (!totals.Ok()) {
            return fail(totals.Err());
        }
        if (!answers.Ok()) {
            return fail(answers.Err());
        }
        report["stores"] = StoresReport(*totals, *answers);
    } else if (name == "comments") {
        auto answers = store.SumAnswers(filter, ReportGroup::None);
        if (!answers.Ok()) {
            return fail(answers.Err());
        }
        AnswerTotals totals = answers->empty() ? AnswerTotals{} : answers->front();
        CommentPage page;
        if (!Suppressed(totals.Answers)) {
            auto listed = store.ListComments(filter);
            if (!listed.Ok()) {
                return fail(listed.Err());
            }
            page = std::move(*listed);
        }
        report.update(CommentsReport(filter, page, totals.Answers, totals.Commented));
    } else if (name == "choices") {
        auto choices = store.ListFilterChoices();
        if (!choices.Ok()) {
            return fail(choices.Err());
        }
        report.update(ChoicesReport(*choices));
    } else {
        return std::optional<Json>();
    }
    return std::optional<Json>(std::move(report));
}

}  // namespace doorstep::server
