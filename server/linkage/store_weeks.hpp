// The linkage's data: what the store holds turned into one value per store and week, the shape
// lagged_linkage.hpp and key_drivers.hpp read.
//
//   leading   each need's mean score (1-5) and intent's net score (promoters minus detractors,
//             -100..100), from the weekly rollups, for store-weeks of at least kMinGroupAnswers
//             answers (fewer are neither shown nor counted, as in every report)
//   lagging   each imported metric as its mean per day imported in the week, so a week with a
//             day missing is not a week that sold less; and two figures derived from them:
//             conversion (transactions per visitor, in %) and sales per visitor, from the week's
//             sums, where the week has footfall
//
// Weeks are numbered by WeekNumber(): consecutive weeks differ by one.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "server/linkage/lagged_linkage.hpp"
#include "server/store/report_filter.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

inline constexpr std::string_view kIntentLeading = "intent";
inline constexpr std::string_view kConversionOutcome = "conversion";
inline constexpr std::string_view kSalesPerVisitorOutcome = "sales_per_visitor";

// 1970-01-05, the first Monday, is week 1.
inline int64_t WeekNumber(int64_t day) {
    return (day + 3) / 7;
}
inline int64_t FirstDayOfWeek(int64_t week) {
    return week * 7 - 3;
}

struct StoreWeeks {
    std::vector<std::string> Needs;                               // with data, sorted
    std::map<std::string, WeeklyValues, std::less<>> Leading;     // each need, and "intent"
    std::map<std::string, WeeklyValues, std::less<>> Lagging;     // each metric and derived one
    std::map<std::string, std::map<std::string, double>> Totals;  // store -> metric -> sum
    int64_t FirstWeek = 0;                                        // of the leading weeks
    int64_t LastWeek = 0;
};

// The filter's weeks (those whose Monday its days hold) of needs and intent, and the outcomes
// from the first of them to `lag_weeks` weeks after the last.
Result<StoreWeeks> LoadStoreWeeks(ServerStore& store, const ReportFilter& filter, int lag_weeks);

}  // namespace doorstep::server
