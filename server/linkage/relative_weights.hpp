// Key driver analysis: how much each need accounts for an outcome (would come back, sales), as
// Johnson's (2000) relative weights. They split the R² of a regression on all the needs into one
// share per need, fairly when the needs move together (as customers' answers do), where raw
// regression coefficients would give one need everything and the next a negative sign.
//
//   R = V diag(l) V'          the needs' correlations, by eigenvectors
//   L = V diag(sqrt l) V'     the needs' correlations with their nearest uncorrelated stand-ins
//   b = L^-1 r                the outcome regressed on those stand-ins (r: needs vs outcome)
//   weight_j = sum_k L_jk² b_k²        and  sum_j weight_j = R² = r' R^-1 r
#pragma once

#include <string>
#include <vector>

#include <Eigen/Dense>

namespace doorstep::server {

struct RelativeWeights {
    bool Ok = false;
    std::string Problem;          // when not Ok: what made the weights impossible
    double RSquared = 0;          // of the outcome on all predictors together
    std::vector<double> Weights;  // one per predictor, each >= 0, summing to RSquared
};

// From the predictors' correlation matrix and their correlations with the outcome.
RelativeWeights JohnsonWeights(const Eigen::MatrixXd& predictor_correlations,
                               const Eigen::VectorXd& outcome_correlations);

}  // namespace doorstep::server
