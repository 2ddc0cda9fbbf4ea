// SqliteServerStore's CSV export: every answer of the filter, streamed from one snapshot (a
// deferred transaction), so a batch committed half-way through is either wholly in it or absent.
#include <sqlite3.h>

#include <mutex>

#include "core/sqlite/sqlite_db.hpp"
#include "server/store/sqlite/sqlite_report_filter.hpp"
#include "server/store/sqlite/sqlite_response_rows.hpp"
#include "server/store/sqlite/sqlite_server_store.hpp"

namespace doorstep::server {

Status SqliteServerStore::ExportResponses(const ExportFilter& filter, ExportSink& sink) {
    std::lock_guard lock(Mutex_);
    Result<Transaction> snapshot =
        Transaction::Begin(Db_, "export responses", TransactionMode::Deferred);
    if (!snapshot.Ok()) {
        return snapshot.Err();
    }
    // ?1..?7 the report filter as BindReportFilter() binds it (?3, the store, serves the command
    // line's --store too); ?8, ?9 the started_at window (NULL: open); ?10 1 when the report
    // filter's days and narrowing apply (as the rollups see them: the device's door, the
    // answer's local day).
    const std::string where =
        " WHERE (?8 IS NULL OR r.started_at_ms >= ?8) AND (?9 IS NULL OR r.started_at_ms < ?9) "
        "AND (?3 = '' OR d.store = ?3) AND (?10 = 0 OR ("
        "(r.started_at_ms + r.utc_offset_min * 60000) / 86400000 BETWEEN ?1 AND ?2 "
        "AND (?4 = '' OR d.door = ?4) AND (?5 = '' OR r.lang = ?5) AND (?6 = '' OR r.kind = ?6) "
        "AND (?7 OR r.suspect_reason = '')))";
    auto bind_filter = [&filter](Statement& statement) {
        ReportFilter report = filter.Report.value_or(ReportFilter{});
        if (!filter.Report) {
            report.Store = filter.Store;
        }
        BindReportFilter(statement, report);
        statement.BindOptional(8, filter.StartedFromMs);
        statement.BindOptional(9, filter.StartedUntilMs);
        statement.BindInt64(10, filter.Report ? 1 : 0);
    };

    Result<Statement> needs = Statement::Prepare(
        Db_, "list exported needs",
        "SELECT DISTINCT s.need FROM response_scores s JOIN responses r ON r.id = s.response_id "
        "JOIN devices d ON d.device_id = r.device_id" +
            where + " ORDER BY s.need");
    if (!needs.Ok()) {
        return needs.Err();
    }
    bind_filter(*needs);
    std::vector<std::string> need_ids;
    for (;;) {
        Result<bool> row = needs->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        need_ids.push_back(needs->ColumnText(0));
    }
    if (Status begun = sink.Begin(need_ids); !begun.Ok()) {
        return begun;
    }

    Result<Statement> rows =
        Statement::Prepare(Db_, "export responses",
                           "SELECT " + ResponseRowColumns() +
                               " FROM responses r JOIN devices d ON d.device_id = r.device_id" +
                               where + " ORDER BY d.store, r.device_id, r.seq");
    Result<Statement> scores =
        Statement::Prepare(Db_, "export response scores", kResponseScoresSql);
    if (!rows.Ok()) {
        return rows.Err();
    }
    if (!scores.Ok()) {
        return scores.Err();
    }
    bind_filter(*rows);
    for (;;) {
        Result<bool> row = rows->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        Result<ExportRow> out = ReadResponseRow(*rows, *scores);
        if (!out.Ok()) {
            return out.Err();
        }
        if (Status written = sink.Row(*out); !written.Ok()) {
            return written;
        }
    }
    return Success();
}

}  // namespace doorstep::server
