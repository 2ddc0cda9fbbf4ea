#include "server/linkage/linkage_report.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/base/csv.hpp"
#include "server/linkage/key_drivers.hpp"

namespace doorstep::server {
namespace {

using Json = nlohmann::json;

Json Rounded(double value, int places = 3) {
    if (!std::isfinite(value)) {
        return nullptr;
    }
    const double scale = std::pow(10.0, places);
    return std::round(value * scale) / scale;
}

Json LagJson(const LagCorrelation& lag) {
    Json json{{"lag_weeks", lag.LagWeeks},
              {"store_weeks", lag.Within.Pairs},
              {"stores", lag.Stores},
              {"enough", lag.Within.Enough}};
    if (lag.Within.Enough) {
        json["r"] = Rounded(lag.Within.R);
        json["low"] = Rounded(lag.Within.Low);
        json["high"] = Rounded(lag.Within.High);
        json["family_low"] = Rounded(lag.FamilyLow);
        json["family_high"] = Rounded(lag.FamilyHigh);
        json["significant"] = lag.Significant;
    }
    return json;
}

// One need (or intent) against one outcome, at every lag.
Json LinkJson(std::string_view leading, std::string_view outcome, const WeeklyValues& lead,
              const WeeklyValues& lag, int max_lag_weeks, int family_links) {
    std::vector<LagCorrelation> lags = LaggedLinkage(lead, lag, max_lag_weeks, family_links);
    Json link{{"leading", leading}, {"outcome", outcome}, {"lags", Json::array()}};
    const LagCorrelation* best = nullptr;
    bool any_enough = false;
    for (const LagCorrelation& at : lags) {
        link["lags"].push_back(LagJson(at));
        any_enough = any_enough || at.Within.Enough;
        if (at.Significant &&
            (best == nullptr || std::abs(at.Within.R) > std::abs(best->Within.R))) {
            best = &at;
        }
    }
    link["enough"] = any_enough;
    link["best_lag_weeks"] = best != nullptr ? Json(best->LagWeeks) : Json(nullptr);
    if (!any_enough) {
        link["note"] = "not enough data: fewer than " + std::to_string(kMinCorrelationPairs) +
                       " store-weeks from two or more stores at every lag";
    }
    return link;
}

// The mean of a need's store-week values: its score over the weeks.
double MeanOf(const WeeklyValues& values) {
    double sum = 0;
    int count = 0;
    for (const auto& [store, weeks] : values) {
        for (const auto& [week, value] : weeks) {
            sum += value;
            ++count;
        }
    }
    return count == 0 ? NAN : sum / count;
}

Json StoresJson(const StoreWeeks& weeks) {
    std::set<std::string> stores;
    for (const auto& [name, values] : weeks.Leading) {
        for (const auto& [store, unused] : values) {
            stores.insert(store);
        }
    }
    for (const auto& [store, unused] : weeks.Totals) {
        stores.insert(store);
    }
    Json list = Json::array();
    for (const std::string& store : stores) {
        Json row{{"store", store}};
        for (const auto& [name, values] : weeks.Leading) {
            auto found = values.find(store);
            row[name] = found == values.end() ? Json(nullptr)
                                              : Rounded(MeanOf({{store, found->second}}), 2);
        }
        auto totals = weeks.Totals.find(store);
        auto total = [&](const char* metric) -> double {
            if (totals == weeks.Totals.end() || !totals->second.contains(metric)) {
                return NAN;
            }
            return totals->second.at(metric);
        };
        if (totals != weeks.Totals.end()) {
            for (const auto& [metric, sum] : totals->second) {
                row["outcomes"][metric] = Rounded(sum, 2);
            }
        }
        const double footfall = total("footfall");
        row["conversion"] =
            footfall > 0 ? Rounded(100.0 * total("transactions") / footfall, 2) : Json(nullptr);
        row["sales_per_visitor"] =
            footfall > 0 ? Rounded(total("sales") / footfall, 2) : Json(nullptr);
        list.push_back(std::move(row));
    }
    return list;
}

// Needs present in at least half the store-weeks of the most present one: a need only some
// surveys ask would otherwise leave few rows with every need.
std::vector<std::string> PredictorNeeds(const StoreWeeks& weeks) {
    std::map<std::string, size_t> present;
    size_t most = 0;
    for (const std::string& need : weeks.Needs) {
        size_t count = 0;
        for (const auto& [store, values] : weeks.Leading.at(need)) {
            count += values.size();
        }
        present[need] = count;
        most = std::max(most, count);
    }
    std::vector<std::string> needs;
    for (const auto& [need, count] : present) {
        if (count * 2 >= most && count > 0) {
            needs.push_back(need);
        }
    }
    return needs;
}

Json GroupJson(std::string_view group, const std::vector<DriverRow>& rows,
               const std::vector<std::string>& needs, const std::vector<double>& scores,
               int samples) {
    DriverReport report = KeyDrivers(rows, samples);
    Json json{{"group", group},
              {"rows", report.Rows},
              {"stores", report.Stores},
              {"enough", report.Enough},
              {"drivers", Json::array()}};
    if (!report.Enough) {
        json["note"] = report.Problem;
        return json;
    }
    json["r_squared"] = Rounded(report.RSquared);
    json["r_squared_low"] = Rounded(report.RSquaredLow);
    json["r_squared_high"] = Rounded(report.RSquaredHigh);
    json["samples"] = report.Samples;
    double mean_score = 0;
    for (double score : scores) {
        mean_score += score / static_cast<double>(scores.size());
    }
    const double mean_share = 1.0 / static_cast<double>(needs.size());
    for (const Driver& driver : report.Drivers) {
        const auto at = static_cast<size_t>(driver.Predictor);
        const bool important = driver.Share >= mean_share;
        const bool well_met = scores[at] >= mean_score;
        json["drivers"].push_back({{"need", needs[at]},
                                   {"weight", Rounded(driver.Weight, 4)},
                                   {"low", Rounded(driver.Low, 4)},
                                   {"high", Rounded(driver.High, 4)},
                                   {"share", Rounded(driver.Share, 4)},
                                   {"rank", driver.Rank},
                                   {"score", Rounded(scores[at], 2)},
                                   {"quadrant", important ? (well_met ? "keep up" : "fix first")
                                                          : (well_met ? "maintain" : "watch")}});
    }
    std::sort(json["drivers"].begin(), json["drivers"].end(),
              [](const Json& a, const Json& b) { return a["rank"] < b["rank"]; });
    return json;
}

}  // namespace

Json LinkageJson(const StoreWeeks& weeks, int max_lag_weeks) {
    Json links = Json::array();
    std::vector<std::string> leading = weeks.Needs;
    leading.emplace_back(kIntentLeading);
    const int family_links = static_cast<int>(leading.size() * weeks.Lagging.size());
    for (const std::string& lead : leading) {
        for (const auto& [outcome, lagging] : weeks.Lagging) {
            links.push_back(LinkJson(lead, outcome, weeks.Leading.at(lead), lagging, max_lag_weeks,
                                     family_links));
        }
    }
    Json outcomes = Json::array();
    for (const auto& [outcome, unused] : weeks.Lagging) {
        outcomes.push_back(outcome);
    }
    return {{"leading", leading},
            {"outcomes", outcomes},
            {"max_lag_weeks", max_lag_weeks},
            {"min_store_weeks", kMinCorrelationPairs},
            {"family_tests", family_links * (max_lag_weeks + 1)},
            {"links", links},
            {"stores", StoresJson(weeks)}};
}

std::optional<Json> DriversJson(const StoreWeeks& weeks, const DriverQuery& query,
                                const std::map<std::string, std::string>& store_groups) {
    const WeeklyValues* outcome = nullptr;
    if (query.Outcome == kIntentLeading) {
        outcome = &weeks.Leading.at(std::string(kIntentLeading));
    } else if (auto found = weeks.Lagging.find(query.Outcome); found != weeks.Lagging.end()) {
        outcome = &found->second;
    } else {
        return std::nullopt;
    }
    const std::vector<std::string> needs = PredictorNeeds(weeks);
    std::vector<double> scores;
    for (const std::string& need : needs) {
        scores.push_back(MeanOf(weeks.Leading.at(need)));
    }
    // One row per store-week with every need, and the outcome `LagWeeks` weeks later.
    std::map<std::string, std::vector<DriverRow>> by_group;
    std::vector<DriverRow> all;
    if (!needs.empty()) {
        for (const auto& [store, first_need] : weeks.Leading.at(needs.front())) {
            auto outcomes = outcome->find(store);
            if (outcomes == outcome->end()) {
                continue;
            }
            for (const auto& [week, unused] : first_need) {
                auto later = outcomes->second.find(week + query.LagWeeks);
                if (later == outcomes->second.end()) {
                    continue;
                }
                DriverRow row{store, {}, later->second};
                for (const std::string& need : needs) {
                    const WeeklyValues& values = weeks.Leading.at(need);
                    auto of_store = values.find(store);
                    auto value = of_store == values.end()
                                     ? std::map<int64_t, double>::const_iterator{}
                                     : of_store->second.find(week);
                    if (of_store == values.end() || value == of_store->second.end()) {
                        break;
                    }
                    row.Predictors.push_back(value->second);
                }
                if (row.Predictors.size() == needs.size()) {
                    if (auto group = store_groups.find(store); group != store_groups.end()) {
                        by_group[group->second].push_back(row);
                    }
                    all.push_back(std::move(row));
                }
            }
        }
    }
    Json groups = Json::array();
    groups.push_back(GroupJson("all stores", all, needs, scores, query.BootstrapSamples));
    for (const auto& [group, rows] : by_group) {
        groups.push_back(GroupJson(group, rows, needs, scores, query.BootstrapSamples));
    }
    return Json{{"outcome", query.Outcome},
                {"lag_weeks", query.LagWeeks},
                {"needs", needs},
                {"min_rows", kMinDriverRows},
                {"groups", groups}};
}

std::string LinkageCsv(const Json& linkage) {
    CsvRecord record;
    for (const char* column : {"leading", "outcome", "lag_weeks", "store_weeks", "stores", "r",
                               "low", "high", "family_low", "family_high", "significant"}) {
        record.AddPlain(column);
    }
    std::string csv = record.Finish();
    for (const Json& link : linkage["links"]) {
        for (const Json& lag : link["lags"]) {
            record.AddText(link["leading"].get<std::string>());
            record.AddText(link["outcome"].get<std::string>());
            for (const char* field : {"lag_weeks", "store_weeks", "stores", "r", "low", "high",
                                      "family_low", "family_high", "significant"}) {
                if (!lag.contains(field) || lag[field].is_null()) {
                    record.AddEmpty();
                } else {
                    record.AddPlain(lag[field].dump());
                }
            }
            csv += record.Finish();
        }
    }
    return csv;
}

std::string DriversCsv(const Json& drivers) {
    CsvRecord record;
    for (const char* column : {"group", "outcome", "lag_weeks", "need", "rank", "weight", "low",
                               "high", "share", "score", "quadrant", "rows", "stores"}) {
        record.AddPlain(column);
    }
    std::string csv = record.Finish();
    for (const Json& group : drivers["groups"]) {
        for (const Json& driver : group["drivers"]) {
            record.AddText(group["group"].get<std::string>());
            record.AddText(drivers["outcome"].get<std::string>());
            record.AddNumber(drivers["lag_weeks"].get<int64_t>());
            record.AddText(driver["need"].get<std::string>());
            for (const char* field : {"rank", "weight", "low", "high", "share", "score"}) {
                record.AddPlain(driver[field].dump());
            }
            record.AddPlain(driver["quadrant"].get<std::string>());
            record.AddNumber(group["rows"].get<int64_t>());
            record.AddNumber(group["stores"].get<int64_t>());
            csv += record.Finish();
        }
    }
    return csv;
}

}  // namespace doorstep::server
