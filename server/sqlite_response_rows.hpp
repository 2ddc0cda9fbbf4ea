// Reading stored responses back from head office's SQLite file: one column list and one row
// reader, shared by the CSV export and by StoreBatch's "same uuid, same content?" check.
#pragma once

#include <string>

#include "server_store.hpp"
#include "sqlite_db.hpp"

namespace doorstep::server {

// The columns ReadResponseRow() expects, in order, over "responses r JOIN devices d".
inline constexpr const char* kResponseRowColumns =
    "r.id, r.device_id, d.store, r.seq, r.uuid, r.survey_id, r.survey_version, r.door, r.lang, "
    "r.kind, r.status, r.abandoned_at, r.started_at_ms, r.ended_at_ms, r.duration_ms, "
    "r.least_met, r.intent, r.comment, r.synthetic, r.received_at_ms";

inline constexpr const char* kResponseScoresSql =
    "SELECT need, score FROM response_scores WHERE response_id = ?1 ORDER BY ordinal";

// The row `row` stands on (selected with kResponseRowColumns) with its scores, read through
// `scores` (prepared from kResponseScoresSql).
Result<ExportRow> ReadResponseRow(const Statement& row, Statement& scores);

}  // namespace doorstep::server
