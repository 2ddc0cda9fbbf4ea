// Reading stored responses back from PostgreSQL: the column list and the reader shared by the
// CSV export and by StoreBatch's "same uuid, same content?" check (as sqlite_response_rows.hpp).
#pragma once

#include <string>
#include <vector>

#include "server/store/postgres/pg_connection.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

// The columns ReadPgResponseRow() expects, over "responses r JOIN devices d": id, device, store,
// seq, the response's own fields (response_columns.hpp), received_at_ms, suspect_reason,
// utc_offset_min. The same list as ResponseRowColumns().
std::string PgResponseRowColumns();

// Row `row` of `rows` (selected with PgResponseRowColumns()), without its scores.
Result<ExportRow> ReadPgResponseRow(const SqlRows& rows, int row);

// The scores of the responses with these ids, in survey order, added to `responses` (ids[i] is
// the id of responses[i]).
Status ReadPgScores(PgConnection& db, const std::vector<int64_t>& ids,
                    std::vector<ExportRow>& responses);

// A PostgreSQL array literal of the texts, for "= ANY($n::text[])".
std::string PgTextArray(const std::vector<std::string>& values);
std::string PgIntArray(const std::vector<int64_t>& values);

}  // namespace doorstep::server
