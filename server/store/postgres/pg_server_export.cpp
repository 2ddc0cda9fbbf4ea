// PgServerStore's CSV export: every answer of the filter, a page at a time from one snapshot
// (REPEATABLE READ, READ ONLY), so a batch committed half-way through is either wholly in it or
// absent.
#include "server/store/postgres/pg_response_rows.hpp"
#include "server/store/postgres/pg_server_store.hpp"

namespace doorstep::server {

Status PgServerStore::ExportResponses(const ExportFilter& filter, ExportSink& sink) {
    return WithConnection([&](PgConnection& db) -> Status {
        Result<SqlTransaction> snapshot =
            SqlTransaction::Begin(db, "export responses", SqlIsolation::Snapshot);
        if (!snapshot.Ok()) {
            return snapshot.Err();
        }
        // $1, $2: started_at window (NULL: open); $3: store ('' for every store); $4: true when
        // the report filter applies, with its local days and narrowing in $5 to $10 (as the
        // rollups see them: the device's door, the answer's local day).
        const std::string where =
            " WHERE ($1::bigint IS NULL OR r.started_at_ms >= $1) AND ($2::bigint IS NULL OR "
            "r.started_at_ms < $2) AND ($3 = '' OR d.store = $3) AND (NOT $4 OR ("
            "(r.started_at_ms + r.utc_offset_min * 60000) / 86400000 BETWEEN $5 AND $6 "
            "AND ($7 = '' OR d.door = $7) AND ($8 = '' OR r.lang = $8) "
            "AND ($9 = '' OR r.kind = $9) AND ($10 OR r.suspect_reason = '')))";
        const ReportFilter report = filter.Report.value_or(ReportFilter{});
        SqlParams params = SqlParams()
                               .OptionalInt(filter.StartedFromMs)
                               .OptionalInt(filter.StartedUntilMs)
                               .Text(filter.Report ? report.Store : filter.Store)
                               .Bool(filter.Report.has_value())
                               .Int(report.FromDay)
                               .Int(report.ToDay)
                               .Text(report.Door)
                               .Text(report.Language)
                               .Text(report.Kind ? ToString(*report.Kind) : std::string_view())
                               .Bool(report.IncludeSuspect);
        Result<SqlRows> needs =
            db.Exec("list exported needs",
                    "SELECT DISTINCT s.need FROM response_scores s JOIN responses r ON r.id = "
                    "s.response_id JOIN devices d ON d.device_id = r.device_id" +
                        where + " ORDER BY s.need",
                    params);
        if (!needs.Ok()) {
            return needs.Err();
        }
        std::vector<std::string> need_ids = ReadSqlRows<std::string>(
            *needs, [](const SqlRows& need, int row) { return need.Text(row, 0); });
        if (Status begun = sink.Begin(need_ids); !begun.Ok()) {
            return begun;
        }
        // A page of rows at a time (keyset on the sort order), so memory stays flat.
        constexpr int kPage = 2000;
        std::string after_store;
        std::string after_device;
        int64_t after_seq = 0;
        for (bool first = true;; first = false) {
            SqlParams page = params;
            page.Bool(first).Text(after_store).Text(after_device).Int(after_seq);
            Result<SqlRows> rows = db.Exec(
                "export responses",
                "SELECT " + PgResponseRowColumns() +
                    " FROM responses r JOIN devices d ON d.device_id = r.device_id" + where +
                    " AND ($11 OR (d.store, r.device_id, r.seq) > ($12, $13, $14)) "
                    "ORDER BY d.store, r.device_id, r.seq LIMIT " +
                    std::to_string(kPage),
                page);
            if (!rows.Ok()) {
                return rows.Err();
            }
            std::vector<ExportRow> out;
            std::vector<int64_t> ids;
            for (int row = 0; row < rows->Count(); ++row) {
                Result<ExportRow> read = ReadPgResponseRow(*rows, row);
                if (!read.Ok()) {
                    return read.Err();
                }
                out.push_back(std::move(*read));
                ids.push_back(rows->Int(row, 0));
            }
            if (Status scored = ReadPgScores(db, ids, out); !scored.Ok()) {
                return scored;
            }
            for (const ExportRow& row : out) {
                if (Status written = sink.Row(row); !written.Ok()) {
                    return written;
                }
            }
            if (rows->Count() < kPage) {
                return Success();
            }
            after_store = out.back().Store;
            after_device = out.back().DeviceId;
            after_seq = out.back().Seq;
        }
    });
}

}  // namespace doorstep::server
