// Reading stored responses back from head office's SQLite file: one column list and one row
// reader, shared by the CSV export and by StoreBatch's "same uuid, same content?" check.
#pragma once

#include <string>

#include "core/sqlite/sqlite_db.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

// The columns ReadResponseRow() expects, in order, over "responses r JOIN devices d": id,
// device, store, seq, the response's own fields (response_columns.hpp), received_at_ms,
// suspect_reason, utc_offset_min.
std::string ResponseRowColumns();

inline constexpr const char* kResponseScoresSql =
    "SELECT need, score FROM response_scores WHERE response_id = ?1 ORDER BY ordinal";

// The row `row` stands on (selected with kResponseRowColumns) with its scores, read through
// `scores` (prepared from kResponseScoresSql).
Result<ExportRow> ReadResponseRow(const Statement& row, Statement& scores);

}  // namespace doorstep::server
