// Outcomes, the lagging figures head office imports per store and day (sales, transactions,
// footfall, returns, complaints, and any metric it names), read strictly from CSV:
//
//   store,date,sales,transactions,footfall
//   ST-001,2026-03-02,10234.50,412,1830
//
// The first two columns are `store` and `date` (YYYY-MM-DD); each further column is a metric,
// named by its header ([a-z][a-z0-9_]*, up to 40 characters). An empty cell gives no value.
//
// Invariants:
//   * Every refused row is named with its line and reason; a file with any problem imports
//     nothing (the store's import takes all of Values in one transaction, or none).
//   * A store and day appear at most once in a file; the five standard metrics are never
//     negative, and transactions, footfall, returns and complaints are whole numbers.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server/linkage/line_problems.hpp"
#include "server/store/records.hpp"

namespace doorstep::server {

inline constexpr std::string_view kStandardMetrics[] = {"sales", "transactions", "footfall",
                                                        "returns", "complaints"};
inline constexpr int64_t kEarliestOutcomeDay = 10957;  // 2000-01-01

struct OutcomeFile {
    std::vector<OutcomeRecord> Values;  // as the store keeps them (records.hpp)
    std::vector<std::string> Metrics;   // the header's, in its order
    int Rows = 0;                       // data rows read
    LineProblems Problems;
    bool Ok() const { return Problems.Empty(); }
};

// `known_store` says whether head office knows a store; `today` (a day number) is the last day
// a figure may be for.
OutcomeFile ReadOutcomeCsv(std::string_view text,
                           const std::function<bool(std::string_view)>& known_store, int64_t today);

}  // namespace doorstep::server
