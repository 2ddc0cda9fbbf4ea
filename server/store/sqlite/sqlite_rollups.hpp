// Writing a batch's RollupDelta into the SQLite rollup tables, inside the caller's transaction.
#pragma once

#include <optional>
#include <string_view>

#include "core/base/result.hpp"
#include "core/sqlite/sqlite_db.hpp"
#include "server/store/rollup_delta.hpp"

struct sqlite3;

namespace doorstep::server {

// One upsert statement per rollup table, prepared on first use and kept with the connection.
class RollupWriter {
  public:
    Status Write(sqlite3* db, std::string_view device_id, const RollupDelta& delta);

  private:
    Status Prepare(sqlite3* db);

    std::optional<Statement> Answers_;
    std::optional<Statement> Scores_;
    std::optional<Statement> LeastMet_;
    std::optional<Statement> Hours_;
    std::optional<Statement> FleetHours_;
    std::optional<Statement> WeekAnswers_;
    std::optional<Statement> WeekScores_;
    std::optional<Statement> Name_;
};

}  // namespace doorstep::server
