// Leading to lagging: does a store's need score (or intent) in one week go with its outcome
// (sales, transactions, ...) some weeks later? For each lag, the within-store correlation over
// every store-week that has both, so that a store's size does not count as an effect.
//
// Invariants:
//   * A lag is "found" (Significant) only when its interval excludes 0 at 95 % for the whole
//     family tested (Bonferroni): the nine lags, times the links a report shows together, so
//     that reading 180 correlations at once does not find one by chance.
//   * Fewer than kMinCorrelationPairs store-weeks, or fewer than two stores: not enough data.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "server/linkage/correlation.hpp"

namespace doorstep::server {

// A store's values by week: weeks are numbered so that consecutive weeks differ by one.
using WeeklyValues = std::map<std::string, std::map<int64_t, double>, std::less<>>;

struct LagCorrelation {
    int LagWeeks = 0;
    Correlation Within;    // its interval at 95 % for this lag alone
    double FamilyLow = 0;  // the interval for the whole family (Bonferroni)
    double FamilyHigh = 0;
    bool Significant = false;  // the family interval excludes 0
    int Stores = 0;            // stores with at least two pairs at this lag
};

inline constexpr int kMaxLagWeeks = 8;

// `leading` in week w against `lagging` in week w + lag, for lag 0..max_lag_weeks; the family
// is those lags times `family_links` (the pairs of leading and lagging series shown together).
std::vector<LagCorrelation> LaggedLinkage(const WeeklyValues& leading, const WeeklyValues& lagging,
                                          int max_lag_weeks = kMaxLagWeeks, int family_links = 1);

}  // namespace doorstep::server
