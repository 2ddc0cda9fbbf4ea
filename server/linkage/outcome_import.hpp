// Importing an outcomes file (outcome_csv.hpp) into the store: the one path the command line,
// the API and the dashboard's upload share. The stores it may name are those head office knows
// (its terminals' stores); the last day a figure may be for is today, in UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/base/result.hpp"
#include "server/linkage/outcome_csv.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

struct OutcomeImport {
    OutcomeFile File;                           // what was read, with every problem
    std::optional<OutcomeImportCounts> Counts;  // set when imported (the file had no problem)
};

// The stores head office knows: its terminals' stores.
Result<std::set<std::string, std::less<>>> KnownStores(ServerStore& store);

Result<OutcomeImport> ImportOutcomeCsv(ServerStore& store, std::string_view text,
                                       std::string_view by, int64_t now_ms);

}  // namespace doorstep::server
