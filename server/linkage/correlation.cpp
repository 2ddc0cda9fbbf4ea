#include "server/linkage/correlation.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace doorstep::server {
namespace {

constexpr double kZ95 = 1.959963984540054;  // the normal quantile for a two-sided 95 %

}  // namespace

Correlation Pearson(std::span<const double> x, std::span<const double> y, int lost_degrees,
                    int min_pairs) {
    Correlation result;
    size_t n = std::min(x.size(), y.size());
    result.Pairs = static_cast<int>(n);
    int free_pairs = result.Pairs - lost_degrees;
    if (result.Pairs < min_pairs || free_pairs < 4) {
        return result;
    }
    double mean_x = 0;
    double mean_y = 0;
    for (size_t i = 0; i < n; ++i) {
        mean_x += x[i];
        mean_y += y[i];
    }
    mean_x /= static_cast<double>(n);
    mean_y /= static_cast<double>(n);
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    for (size_t i = 0; i < n; ++i) {
        double dx = x[i] - mean_x;
        double dy = y[i] - mean_y;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    // A side that never varies has no correlation, whatever rounding leaves over.
    if (sxx <= 1e-20 * (1 + mean_x * mean_x) * static_cast<double>(n) ||
        syy <= 1e-20 * (1 + mean_y * mean_y) * static_cast<double>(n)) {
        return result;
    }
    double r = std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
    result.R = r;
    result.Enough = true;
    // Fisher: atanh(r) is about normal with standard error 1 / sqrt(n - 3).
    double z = std::atanh(std::clamp(r, -0.999999999, 0.999999999));
    double half = kZ95 / std::sqrt(static_cast<double>(free_pairs - 3));
    result.Low = std::tanh(z - half);
    result.High = std::tanh(z + half);
    return result;
}

}  // namespace doorstep::server
