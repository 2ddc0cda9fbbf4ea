#include "server/linkage/lagged_linkage.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace doorstep::server {
namespace {

// The two-sided normal quantile for 1 - alpha, by bisection of erfc (no table, any alpha).
double NormalQuantile(double alpha) {
    double low = 0;
    double high = 10;
    for (int i = 0; i < 100; ++i) {
        double mid = (low + high) / 2;
        if (std::erfc(mid / std::sqrt(2.0)) > alpha) {
            low = mid;
        } else {
            high = mid;
        }
    }
    return (low + high) / 2;
}

LagCorrelation AtLag(const WeeklyValues& leading, const WeeklyValues& lagging, int lag,
                     double family_z) {
    std::vector<double> x;
    std::vector<double> y;
    int stores = 0;
    for (const auto& [store, weeks] : leading) {
        auto outcomes = lagging.find(store);
        if (outcomes == lagging.end()) {
            continue;
        }
        size_t first = x.size();
        for (const auto& [week, value] : weeks) {
            auto later = outcomes->second.find(week + lag);
            if (later != outcomes->second.end()) {
                x.push_back(value);
                y.push_back(later->second);
            }
        }
        size_t count = x.size() - first;
        if (count < 2) {
            x.resize(first);
            y.resize(first);
            continue;
        }
        // Within the store: deviations from its own means.
        double mean_x = 0;
        double mean_y = 0;
        for (size_t i = first; i < x.size(); ++i) {
            mean_x += x[i];
            mean_y += y[i];
        }
        mean_x /= static_cast<double>(count);
        mean_y /= static_cast<double>(count);
        for (size_t i = first; i < x.size(); ++i) {
            x[i] -= mean_x;
            y[i] -= mean_y;
        }
        stores += 1;
    }
    LagCorrelation result;
    result.LagWeeks = lag;
    result.Stores = stores;
    result.Within = stores >= 2 ? Pearson(x, y, stores) : Correlation{};
    result.Within.Pairs = static_cast<int>(x.size());
    if (result.Within.Enough) {
        double z = std::atanh(std::clamp(result.Within.R, -0.999999999, 0.999999999));
        double half = family_z / std::sqrt(static_cast<double>(result.Within.Pairs - stores - 3));
        result.FamilyLow = std::tanh(z - half);
        result.FamilyHigh = std::tanh(z + half);
        result.Significant = result.FamilyLow > 0 || result.FamilyHigh < 0;
    }
    return result;
}

}  // namespace

std::vector<LagCorrelation> LaggedLinkage(const WeeklyValues& leading, const WeeklyValues& lagging,
                                          int max_lag_weeks, int family_links) {
    double family_z =
        NormalQuantile(0.05 / static_cast<double>((max_lag_weeks + 1) * std::max(1, family_links)));
    std::vector<LagCorrelation> lags;
    for (int lag = 0; lag <= max_lag_weeks; ++lag) {
        lags.push_back(AtLag(leading, lagging, lag, family_z));
    }
    return lags;
}

}  // namespace doorstep::server
