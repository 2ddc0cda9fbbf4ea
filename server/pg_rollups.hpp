// Writing a batch's RollupDelta into the PostgreSQL rollup tables, inside the caller's
// transaction: one upsert per table.
#pragma once

#include <string_view>

#include "pg_connection.hpp"
#include "result.hpp"
#include "rollup_delta.hpp"

namespace doorstep::server {

Status WritePgRollups(PgConnection& db, std::string_view device_id, const RollupDelta& delta);

}  // namespace doorstep::server
