#include "server/linkage/relative_weights.hpp"

#include <cmath>

namespace doorstep::server {
namespace {

// Below this eigenvalue (of a correlation matrix, whose eigenvalues sum to its size) the
// predictors say the same thing twice and no split of R² between them means anything.
constexpr double kCollinear = 1e-8;

}  // namespace

RelativeWeights JohnsonWeights(const Eigen::MatrixXd& predictor_correlations,
                               const Eigen::VectorXd& outcome_correlations) {
    RelativeWeights result;
    Eigen::Index p = predictor_correlations.rows();
    if (p == 0 || predictor_correlations.cols() != p || outcome_correlations.size() != p) {
        result.Problem = "no predictors, or matrices of different sizes";
        return result;
    }
    if (!predictor_correlations.allFinite() || !outcome_correlations.allFinite()) {
        result.Problem = "a predictor or the outcome never varies";
        return result;
    }
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(predictor_correlations);
    if (solver.info() != Eigen::Success) {
        result.Problem = "the predictors' correlations could not be decomposed";
        return result;
    }
    const Eigen::VectorXd& values = solver.eigenvalues();
    if (values.minCoeff() < kCollinear) {
        result.Problem = "two or more predictors are collinear";
        return result;
    }
    const Eigen::MatrixXd& vectors = solver.eigenvectors();
    Eigen::MatrixXd lambda = vectors * values.cwiseSqrt().asDiagonal() * vectors.transpose();
    Eigen::VectorXd beta = vectors * values.cwiseSqrt().cwiseInverse().asDiagonal() *
                           vectors.transpose() * outcome_correlations;
    Eigen::VectorXd weights = lambda.cwiseAbs2() * beta.cwiseAbs2();
    result.Ok = true;
    result.RSquared = beta.squaredNorm();
    result.Weights.assign(weights.data(), weights.data() + weights.size());
    return result;
}

}  // namespace doorstep::server
