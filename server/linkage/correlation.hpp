// Pearson correlation with its 95 % confidence interval (Fisher's z), and the same within stores:
// each store's values are taken as deviations from that store's own mean, so a store that always
// sells more does not make a need look like it moves sales.
#pragma once

#include <span>

namespace doorstep::server {

struct Correlation {
    double R = 0;    // -1..1
    double Low = 0;  // the 95 % interval's ends
    double High = 0;
    int Pairs = 0;        // how many pairs it rests on
    bool Enough = false;  // false: too few pairs, or one side never varies; R and the interval 0
};

// Below this many pairs a correlation is "not enough data".
inline constexpr int kMinCorrelationPairs = 30;

// r of x and y (the same length). `lost_degrees` counts means already taken out of the data
// (one per store for within-store values), which the interval's width allows for.
Correlation Pearson(std::span<const double> x, std::span<const double> y, int lost_degrees = 0,
                    int min_pairs = kMinCorrelationPairs);

}  // namespace doorstep::server
