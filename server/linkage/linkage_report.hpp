// Head office's two linkage reports (docs/server.md, "Linkage"), as JSON and as CSV:
//
//   linkage   for each need and intent against each outcome: the within-store correlation at
//             each lag of 0..8 weeks, its 95 % interval, the interval over the whole family of
//             lags, whether that excludes 0, and the store-weeks behind it ("not enough data"
//             below kMinCorrelationPairs); and per store the figures beside the scores: answers,
//             the needs' means, net intent, sales, transactions, footfall, conversion and sales
//             per visitor
//   drivers   for one outcome (intent, would come back, unless another is named) and lag: each
//             need's relative weight with its bootstrap interval, rank and current mean score,
//             placed in an importance x performance quadrant, for the stores together and for
//             each store group
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/base/result.hpp"
#include "server/linkage/key_drivers.hpp"
#include "server/linkage/store_weeks.hpp"

namespace doorstep::server {

struct DriverQuery {
    std::string Outcome = std::string(kIntentLeading);  // "intent" or an outcome's name
    int LagWeeks = 0;                                   // the outcome this many weeks later
    int BootstrapSamples = kDriverBootstrapSamples;
};

nlohmann::json LinkageJson(const StoreWeeks& weeks, int max_lag_weeks = kMaxLagWeeks);
// Nothing when `query` names an outcome the weeks do not hold.
std::optional<nlohmann::json> DriversJson(const StoreWeeks& weeks, const DriverQuery& query,
                                          const std::map<std::string, std::string>& store_groups);

// The same as CSV, one row per need, outcome and lag; one per group and need.
std::string LinkageCsv(const nlohmann::json& linkage);
std::string DriversCsv(const nlohmann::json& drivers);

}  // namespace doorstep::server
