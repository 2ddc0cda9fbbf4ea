#include "server/linkage/key_drivers.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cstddef>
#include <map>
#include <numeric>
#include <random>

#include "server/linkage/relative_weights.hpp"

namespace doorstep::server {
namespace {

// One store's rows as sums: enough to rebuild the correlations of any resample of whole stores
// without touching the rows again. Values are shifted by the overall means first, so squares of
// large outcomes (a store's sales) lose no precision.
struct StoreSums {
    double Rows = 0;
    Eigen::VectorXd Sum;      // of each variable (predictors, then the outcome)
    Eigen::MatrixXd Product;  // of each pair's products
};

RelativeWeights WeightsOf(const StoreSums& total) {
    Eigen::Index m = total.Sum.size();
    Eigen::VectorXd mean = total.Sum / total.Rows;
    Eigen::MatrixXd covariance = total.Product / total.Rows - mean * mean.transpose();
    Eigen::VectorXd deviation = covariance.diagonal().cwiseMax(0).cwiseSqrt();
    if (deviation.minCoeff() <= 1e-12) {
        RelativeWeights none;
        none.Problem = "a need or the outcome never varies";
        return none;
    }
    Eigen::MatrixXd correlation =
        deviation.cwiseInverse().asDiagonal() * covariance * deviation.cwiseInverse().asDiagonal();
    Eigen::Index p = m - 1;
    return JohnsonWeights(correlation.topLeftCorner(p, p), correlation.col(p).head(p));
}

double Percentile(std::vector<double>& values, double q) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    double at = q * static_cast<double>(values.size() - 1);
    auto below = static_cast<size_t>(at);
    size_t above = std::min(below + 1, values.size() - 1);
    double fraction = at - static_cast<double>(below);
    return values[below] * (1 - fraction) + values[above] * fraction;
}

}  // namespace

DriverReport KeyDrivers(const std::vector<DriverRow>& rows, int bootstrap_samples, uint64_t seed,
                        int min_rows) {
    DriverReport report;
    report.Rows = static_cast<int>(rows.size());
    size_t p = rows.empty() ? 0 : rows.front().Predictors.size();
    auto m = static_cast<Eigen::Index>(p + 1);
    std::map<std::string, size_t, std::less<>> store_index;
    for (const DriverRow& row : rows) {
        store_index.emplace(row.Store, store_index.size());
    }
    report.Stores = static_cast<int>(store_index.size());
    if (report.Rows < min_rows || report.Stores < 2 || p == 0) {
        report.Problem = "not enough data: " + std::to_string(report.Rows) + " rows from " +
                         std::to_string(report.Stores) + " stores; " + std::to_string(min_rows) +
                         " rows from 2 stores needed";
        return report;
    }
    Eigen::VectorXd shift = Eigen::VectorXd::Zero(m);
    for (const DriverRow& row : rows) {
        for (size_t j = 0; j < p; ++j) {
            shift(static_cast<Eigen::Index>(j)) += row.Predictors[j];
        }
        shift(m - 1) += row.Outcome;
    }
    shift /= static_cast<double>(rows.size());
    std::vector<StoreSums> stores(
        store_index.size(), StoreSums{0, Eigen::VectorXd::Zero(m), Eigen::MatrixXd::Zero(m, m)});
    Eigen::VectorXd value(m);
    for (const DriverRow& row : rows) {
        for (size_t j = 0; j < p; ++j) {
            value(static_cast<Eigen::Index>(j)) = j < row.Predictors.size() ? row.Predictors[j] : 0;
        }
        value(m - 1) = row.Outcome;
        value -= shift;
        StoreSums& sums = stores[store_index.find(row.Store)->second];
        sums.Rows += 1;
        sums.Sum += value;
        sums.Product.selfadjointView<Eigen::Lower>().rankUpdate(value);
    }
    StoreSums total{0, Eigen::VectorXd::Zero(m), Eigen::MatrixXd::Zero(m, m)};
    for (StoreSums& sums : stores) {
        sums.Product = sums.Product.selfadjointView<Eigen::Lower>();  // both triangles
        total.Rows += sums.Rows;
        total.Sum += sums.Sum;
        total.Product += sums.Product;
    }
    RelativeWeights point = WeightsOf(total);
    if (!point.Ok) {
        report.Problem = point.Problem;
        return report;
    }
    // The bootstrap: whole stores drawn with replacement, as many as there are.
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<size_t> pick(0, stores.size() - 1);
    std::vector<std::vector<double>> weights(p);
    std::vector<double> r_squared;
    int attempts = 0;
    while (static_cast<int>(r_squared.size()) < bootstrap_samples &&
           attempts < 4 * bootstrap_samples) {
        attempts += 1;
        StoreSums sample{0, Eigen::VectorXd::Zero(m), Eigen::MatrixXd::Zero(m, m)};
        for (size_t i = 0; i < stores.size(); ++i) {
            const StoreSums& drawn = stores[pick(random)];
            sample.Rows += drawn.Rows;
            sample.Sum += drawn.Sum;
            sample.Product += drawn.Product;
        }
        RelativeWeights resampled = WeightsOf(sample);
        if (!resampled.Ok) {
            continue;
        }
        r_squared.push_back(resampled.RSquared);
        for (size_t j = 0; j < p; ++j) {
            weights[j].push_back(resampled.Weights[j]);
        }
    }
    report.Enough = true;
    report.RSquared = point.RSquared;
    report.Samples = static_cast<int>(r_squared.size());
    report.RSquaredLow = Percentile(r_squared, 0.025);
    report.RSquaredHigh = Percentile(r_squared, 0.975);
    std::vector<size_t> order(p);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return point.Weights[a] > point.Weights[b]; });
    report.Drivers.resize(p);
    for (size_t j = 0; j < p; ++j) {
        Driver& driver = report.Drivers[j];
        driver.Predictor = static_cast<int>(j);
        driver.Weight = point.Weights[j];
        driver.Share = point.RSquared > 0 ? point.Weights[j] / point.RSquared : 0;
        driver.Low = Percentile(weights[j], 0.025);
        driver.High = Percentile(weights[j], 0.975);
    }
    for (size_t rank = 0; rank < p; ++rank) {
        report.Drivers[order[rank]].Rank = static_cast<int>(rank) + 1;
    }
    return report;
}

}  // namespace doorstep::server
