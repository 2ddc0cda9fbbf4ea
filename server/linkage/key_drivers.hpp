// Which needs drive an outcome most: relative weights (relative_weights.hpp) over rows of need
// scores and the outcome, with 95 % intervals from a bootstrap that resamples whole stores, as a
// store's rows are not independent of each other.
//
// Invariants:
//   * The same rows and seed give the same report.
//   * Fewer than min_rows rows or fewer than two stores: not enough data, no weights.
//   * A bootstrap sample whose predictors turn out collinear is drawn again, never counted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace doorstep::server {

struct DriverRow {
    std::string Store;               // the cluster the bootstrap resamples
    std::vector<double> Predictors;  // one per need, the same order in every row
    double Outcome = 0;
};

struct Driver {
    int Predictor = 0;  // index into DriverRow::Predictors
    double Weight = 0;  // its share of R² (the weights sum to RSquared)
    double Low = 0;     // the 95 % bootstrap interval of Weight
    double High = 0;
    double Share = 0;  // Weight / RSquared: 0..1
    int Rank = 0;      // 1 = drives the outcome most
};

struct DriverReport {
    bool Enough = false;
    std::string Problem;  // when not Enough: why ("not enough data: 12 rows, 30 needed", ...)
    double RSquared = 0;
    double RSquaredLow = 0;
    double RSquaredHigh = 0;
    int Rows = 0;
    int Stores = 0;
    int Samples = 0;              // bootstrap samples drawn
    std::vector<Driver> Drivers;  // in predictor order; Rank gives the order of importance
};

inline constexpr int kMinDriverRows = 30;
inline constexpr int kDriverBootstrapSamples = 500;

DriverReport KeyDrivers(const std::vector<DriverRow>& rows,
                        int bootstrap_samples = kDriverBootstrapSamples, uint64_t seed = 1,
                        int min_rows = kMinDriverRows);

}  // namespace doorstep::server
