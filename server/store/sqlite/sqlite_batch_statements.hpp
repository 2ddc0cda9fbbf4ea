// The statements StoreBatch runs for every batch, prepared on the first batch and kept with the
// connection (SqliteServerStore::Batch_), used only under the store's mutex.
#pragma once

#include <array>
#include <cstddef>
#include <optional>

#include "core/sqlite/sqlite_db.hpp"
#include "server/store/records.hpp"
#include "server/store/sqlite/sqlite_rollups.hpp"

namespace doorstep::server {

// A response's scores go in with one multi-row INSERT; one statement per count of scores.
struct BatchStatements {
    Statement InsertResponse;
    std::array<std::optional<Statement>, kMaxScoresPerResponse + 1> InsertScores;
    Statement IndexComment;  // into comment_search
    Statement CountStored;   // the device's stored_count, highest_seq, last_received_at_ms
    RollupWriter Rollups;
};

}  // namespace doorstep::server
