// Needs against outcomes, as numbers: correlations and their intervals checked against the
// formulas worked independently here, lagged linkage on fleets with a planted effect and with
// none, and relative weights checked against Johnson's construction from the raw data (SVD) and
// against Shapley values of R².
#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "server/linkage/correlation.hpp"
#include "server/linkage/key_drivers.hpp"
#include "server/linkage/lagged_linkage.hpp"
#include "server/linkage/relative_weights.hpp"

using namespace doorstep::server;

namespace {

// r by the textbook's one-pass formula (a different route from the code's deviations).
double TextbookR(const std::vector<double>& x, const std::vector<double>& y) {
    double n = static_cast<double>(x.size());
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        sx += x[i];
        sy += y[i];
        sxx += x[i] * x[i];
        syy += y[i] * y[i];
        sxy += x[i] * y[i];
    }
    return (n * sxy - sx * sy) / std::sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
}

// A fleet of `stores` stores over `weeks` weeks: trust each week is noise around the store's own
// level; sales are the store's size plus `effect` times trust `lag` weeks earlier, plus noise.
struct Fleet {
    WeeklyValues Trust;
    WeeklyValues Sales;
};

Fleet PlantedFleet(int stores, int weeks, int lag, double effect, unsigned seed) {
    std::mt19937 random(seed);
    std::normal_distribution<double> noise(0, 1);
    std::uniform_real_distribution<double> level(3, 4.5);
    std::uniform_real_distribution<double> size(20000, 200000);
    Fleet fleet;
    for (int s = 0; s < stores; ++s) {
        std::string store = "store-" + std::to_string(s);
        double trust_level = level(random);
        double store_size = size(random);
        for (int w = 0; w < weeks; ++w) {
            fleet.Trust[store][w] = trust_level + 0.4 * noise(random);
        }
        for (int w = 0; w < weeks; ++w) {
            double earlier = w - lag >= 0 ? fleet.Trust[store][w - lag] - trust_level : 0;
            fleet.Sales[store][w] = store_size + effect * 1000 * earlier + 1000 * noise(random);
        }
    }
    return fleet;
}

// R² of y on the columns `use` of x, by least squares on centred data.
double RSquared(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const std::vector<int>& use) {
    if (use.empty()) {
        return 0;
    }
    Eigen::MatrixXd columns(x.rows(), static_cast<Eigen::Index>(use.size()));
    for (size_t j = 0; j < use.size(); ++j) {
        columns.col(static_cast<Eigen::Index>(j)) = x.col(use[j]).array() - x.col(use[j]).mean();
    }
    Eigen::VectorXd centred = y.array() - y.mean();
    Eigen::VectorXd beta = columns.colPivHouseholderQr().solve(centred);
    Eigen::VectorXd residual = centred - columns * beta;
    return 1 - residual.squaredNorm() / centred.squaredNorm();
}

// Shapley values of R² for three predictors: each one's average gain over every order.
std::vector<double> Shapley3(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
    std::vector<double> value(3, 0);
    std::vector<int> order = {0, 1, 2};
    int orders = 0;
    do {
        std::vector<int> used;
        double before = 0;
        for (int j : order) {
            used.push_back(j);
            double after = RSquared(x, y, used);
            value[static_cast<size_t>(j)] += after - before;
            before = after;
        }
        orders += 1;
    } while (std::next_permutation(order.begin(), order.end()));
    for (double& v : value) {
        v /= orders;
    }
    return value;
}

// Johnson's relative weights built as he first did, from the raw data: the standardised
// predictors' nearest orthonormal stand-ins Z = P Q' (from X = P D Q'), y regressed on Z, X on Z.
std::vector<double> JohnsonBySvd(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
    Eigen::MatrixXd z_x = x.rowwise() - x.colwise().mean();
    for (Eigen::Index j = 0; j < z_x.cols(); ++j) {
        z_x.col(j) /= z_x.col(j).norm();
    }
    Eigen::VectorXd z_y = (y.array() - y.mean()).matrix();
    z_y /= z_y.norm();
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(z_x, Eigen::ComputeThinU | Eigen::ComputeThinV);
    Eigen::MatrixXd z = svd.matrixU() * svd.matrixV().transpose();
    Eigen::VectorXd beta = z.transpose() * z_y;  // Z has orthonormal columns
    Eigen::MatrixXd lambda = z.transpose() * z_x;
    std::vector<double> weights(static_cast<size_t>(x.cols()), 0);
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        for (Eigen::Index k = 0; k < x.cols(); ++k) {
            weights[static_cast<size_t>(j)] += lambda(k, j) * lambda(k, j) * beta(k) * beta(k);
        }
    }
    return weights;
}

}  // namespace

TEST_CASE("correlation: r and Fisher's interval as the formulas give them") {
    std::mt19937 random(3);
    std::normal_distribution<double> noise(0, 1);
    std::vector<double> x, y;
    for (int i = 0; i < 50; ++i) {
        x.push_back(noise(random));
        y.push_back(0.6 * x.back() + noise(random));
    }
    Correlation r = Pearson(x, y);
    REQUIRE(r.Enough);
    CHECK(r.Pairs == 50);
    CHECK(r.R == doctest::Approx(TextbookR(x, y)).epsilon(1e-12));
    double z = 0.5 * std::log((1 + r.R) / (1 - r.R));
    double half = 1.96 / std::sqrt(47.0);
    CHECK(r.Low == doctest::Approx(std::tanh(z - half)).epsilon(1e-4));
    CHECK(r.High == doctest::Approx(std::tanh(z + half)).epsilon(1e-4));

    // Too few pairs, or a side that never varies: not enough data.
    CHECK_FALSE(Pearson(std::vector<double>(x.begin(), x.begin() + 29),
                        std::vector<double>(y.begin(), y.begin() + 29))
                    .Enough);
    CHECK_FALSE(Pearson(std::vector<double>(50, 3.2), y).Enough);
    // Means already taken out widen the interval.
    Correlation within = Pearson(x, y, 10);
    CHECK(within.High - within.Low > r.High - r.Low);
}

TEST_CASE("linkage: trust moves sales eight weeks later; the lag and its sign are found") {
    Fleet fleet = PlantedFleet(60, 104, 8, 0.8, 11);
    std::vector<LagCorrelation> lags = LaggedLinkage(fleet.Trust, fleet.Sales);
    REQUIRE(lags.size() == 9);
    auto strongest = std::max_element(lags.begin(), lags.end(), [](const auto& a, const auto& b) {
        return std::fabs(a.Within.R) < std::fabs(b.Within.R);
    });
    CHECK(strongest->LagWeeks == 8);
    CHECK(strongest->Significant);
    CHECK(strongest->Within.R > 0.2);
    CHECK(strongest->Stores == 60);
    CHECK(strongest->Within.Pairs == 60 * (104 - 8));
    for (const LagCorrelation& lag : lags) {
        if (lag.LagWeeks != 8) {
            CAPTURE(lag.LagWeeks);
            CHECK_FALSE(lag.Significant);
        }
    }
    // A store's size is not an effect: the same fleet with sizes spread wider finds the same r.
    Fleet bigger = fleet;
    for (auto& [store, weeks] : bigger.Sales) {
        double extra = 1e6 * static_cast<double>(store.size() % 7);
        for (auto& [week, sales] : weeks) {
            sales += extra;
        }
    }
    CHECK(LaggedLinkage(bigger.Trust, bigger.Sales)[8].Within.R ==
          doctest::Approx(strongest->Within.R).epsilon(1e-9));
}

TEST_CASE("linkage: a fleet with no effect shows none, beyond the 5 % a family allows") {
    int fleets_with_a_finding = 0;
    for (unsigned seed = 1; seed <= 20; ++seed) {
        Fleet fleet = PlantedFleet(40, 104, 8, 0.0, seed);
        std::vector<LagCorrelation> lags = LaggedLinkage(fleet.Trust, fleet.Sales);
        fleets_with_a_finding += std::any_of(lags.begin(), lags.end(),
                                             [](const LagCorrelation& l) { return l.Significant; });
        for (const LagCorrelation& lag : lags) {
            CHECK(std::fabs(lag.Within.R) < 0.08);
        }
    }
    CHECK(fleets_with_a_finding <= 3);  // expected 1 in 20; a planted effect is found every time
}

TEST_CASE("linkage: too few store-weeks, or one store, is not enough data") {
    Fleet small = PlantedFleet(3, 12, 2, 0.8, 5);  // 3 * (12 - 8) = 12 pairs at lag 8
    std::vector<LagCorrelation> lags = LaggedLinkage(small.Trust, small.Sales);
    CHECK_FALSE(lags[8].Within.Enough);
    CHECK_FALSE(lags[8].Significant);
    Fleet one = PlantedFleet(1, 104, 2, 0.8, 5);
    CHECK_FALSE(LaggedLinkage(one.Trust, one.Sales)[2].Within.Enough);
}

TEST_CASE("relative weights: Johnson's construction from the raw data, and Shapley's order") {
    std::mt19937 random(17);
    std::normal_distribution<double> noise(0, 1);
    const int n = 2000;
    Eigen::MatrixXd x(n, 3);
    Eigen::VectorXd y(n);
    for (int i = 0; i < n; ++i) {
        double common = noise(random);  // the needs move together, as answers do
        x(i, 0) = common + noise(random);
        x(i, 1) = 0.7 * common + noise(random);
        x(i, 2) = 0.5 * common + noise(random);
        y(i) = 1.0 * x(i, 0) + 0.5 * x(i, 1) + 0.15 * x(i, 2) + 1.5 * noise(random);
    }
    Eigen::MatrixXd all(n, 4);
    all << x, y;
    Eigen::MatrixXd centred = all.rowwise() - all.colwise().mean();
    Eigen::MatrixXd covariance = centred.transpose() * centred / (n - 1);
    Eigen::VectorXd sd = covariance.diagonal().cwiseSqrt();
    Eigen::MatrixXd correlation =
        sd.cwiseInverse().asDiagonal() * covariance * sd.cwiseInverse().asDiagonal();
    RelativeWeights weights =
        JohnsonWeights(correlation.topLeftCorner(3, 3), correlation.col(3).head(3));
    REQUIRE(weights.Ok);
    double sum = weights.Weights[0] + weights.Weights[1] + weights.Weights[2];
    CHECK(sum == doctest::Approx(weights.RSquared).epsilon(1e-9));
    CHECK(weights.RSquared == doctest::Approx(RSquared(x, y, {0, 1, 2})).epsilon(1e-9));
    std::vector<double> by_svd = JohnsonBySvd(x, y);
    std::vector<double> shapley = Shapley3(x, y);
    for (size_t j = 0; j < 3; ++j) {
        CAPTURE(j);
        CHECK(weights.Weights[j] == doctest::Approx(by_svd[j]).epsilon(1e-9));
        CHECK(weights.Weights[j] == doctest::Approx(shapley[j]).epsilon(0.05));  // close kin
    }
    CHECK(weights.Weights[0] > weights.Weights[1]);
    CHECK(weights.Weights[1] > weights.Weights[2]);

    // The same need twice: no split means anything.
    Eigen::MatrixXd twice(2, 2);
    twice << 1, 1, 1, 1;
    RelativeWeights collinear = JohnsonWeights(twice, Eigen::Vector2d(0.5, 0.5));
    CHECK_FALSE(collinear.Ok);
    CHECK(collinear.Problem == "two or more predictors are collinear");
}

TEST_CASE("key drivers: the planted order, with store-bootstrap intervals; none in noise") {
    std::mt19937 random(23);
    std::normal_distribution<double> noise(0, 1);
    std::vector<DriverRow> rows;
    std::vector<DriverRow> noise_rows;
    for (int s = 0; s < 50; ++s) {
        double store_mood = 0.3 * noise(random);
        for (int i = 0; i < 40; ++i) {
            double common = noise(random);
            std::vector<double> needs = {3 + store_mood + 0.6 * (common + noise(random)),
                                         3 + store_mood + 0.6 * (0.7 * common + noise(random)),
                                         3 + store_mood + 0.6 * (0.5 * common + noise(random))};
            double intent = 5 + 1.2 * (needs[1] - 3) + 0.6 * (needs[0] - 3) + 0.1 * (needs[2] - 3) +
                            noise(random);
            rows.push_back({"store-" + std::to_string(s), needs, intent});
            noise_rows.push_back({"store-" + std::to_string(s), needs, 5 + 2 * noise(random)});
        }
    }
    DriverReport report = KeyDrivers(rows, 300, 7);
    REQUIRE(report.Enough);
    CHECK(report.Rows == 2000);
    CHECK(report.Stores == 50);
    CHECK(report.Samples == 300);
    CHECK(report.Drivers[1].Rank == 1);  // control drives coming back most
    CHECK(report.Drivers[0].Rank == 2);
    CHECK(report.Drivers[2].Rank == 3);
    double shares = 0;
    for (const Driver& driver : report.Drivers) {
        CAPTURE(driver.Predictor);
        CHECK(driver.Low <= driver.Weight);
        CHECK(driver.Weight <= driver.High);
        shares += driver.Share;
    }
    CHECK(shares == doctest::Approx(1.0));
    CHECK(report.Drivers[1].Low > report.Drivers[0].High);  // the first place is clear
    CHECK(report.RSquaredLow <= report.RSquared);
    CHECK(report.RSquared <= report.RSquaredHigh);
    // The same rows and seed, the same report.
    DriverReport again = KeyDrivers(rows, 300, 7);
    CHECK(again.Drivers[1].Low == report.Drivers[1].Low);

    DriverReport nothing = KeyDrivers(noise_rows, 300, 7);
    REQUIRE(nothing.Enough);
    CHECK(nothing.RSquared < 0.01);
    CHECK(nothing.RSquaredLow < 0.005);

    std::vector<DriverRow> few(rows.begin(), rows.begin() + 20);
    DriverReport short_of_rows = KeyDrivers(few);
    CHECK_FALSE(short_of_rows.Enough);
    CHECK(short_of_rows.Problem ==
          "not enough data: 20 rows from 1 stores; 30 rows from 2 stores needed");
}
