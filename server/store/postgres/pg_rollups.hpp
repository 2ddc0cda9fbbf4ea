// Writing a batch's RollupDelta into the PostgreSQL rollup tables, inside the caller's
// transaction: one upsert per table.
#pragma once

#include <string_view>

#include "core/base/result.hpp"
#include "server/store/postgres/pg_connection.hpp"
#include "server/store/rollup_delta.hpp"

namespace doorstep::server {

Status WritePgRollups(PgConnection& db, std::string_view device_id, const RollupDelta& delta);

}  // namespace doorstep::server
