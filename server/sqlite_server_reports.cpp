// SqliteServerStore's read-only side: completeness per device, the device list, counts and the
// export. Each report reads from one snapshot (a deferred transaction), so a batch committed
// half-way through a report is either wholly in it or wholly absent.
#include <sqlite3.h>

#include <mutex>

#include "sqlite_db.hpp"
#include "sqlite_report_filter.hpp"
#include "sqlite_response_rows.hpp"
#include "sqlite_server_store.hpp"

namespace doorstep::server {
namespace {

// The gaps below the highest stored seq, then whatever the device says it has beyond it.
SeqRanges MissingRanges(SeqRanges gaps, int64_t highest_stored, int64_t highest_reported) {
    if (highest_reported > highest_stored) {
        gaps.emplace_back(highest_stored + 1, highest_reported);
    }
    return gaps;
}

}  // namespace

Result<std::optional<HeartbeatRecord>> SqliteServerStore::LastHeartbeatLocked(
    std::string_view device_id) {
    Result<Statement> select = Statement::Prepare(
        Db_, "read heartbeat",
        "SELECT backlog, oldest_unsent_age_s, last_error, clock_offset_ms, app_version, "
        "survey_version, free_disk_bytes, highest_seq, received_at_ms, unsaved_answers, "
        "storage_error FROM heartbeats "
        "WHERE device_id = ?1");
    if (!select.Ok()) {
        return select.Err();
    }
    select->BindText(1, device_id);
    Result<bool> found = select->Step();
    if (!found.Ok()) {
        return found.Err();
    }
    if (!*found) {
        return std::optional<HeartbeatRecord>();
    }
    HeartbeatRecord record;
    Heartbeat& beat = record.Data;
    beat.DeviceId = std::string(device_id);
    beat.Backlog = select->ColumnInt64(0);
    beat.OldestUnsentAgeS = select->ColumnInt64(1);
    beat.LastError = select->ColumnText(2);
    beat.ClockOffsetMs = select->ColumnInt64(3);
    beat.AppVersion = select->ColumnText(4);
    beat.SurveyVersion = static_cast<int>(select->ColumnInt64(5));
    beat.FreeDiskBytes = select->ColumnInt64(6);
    beat.HighestSeq = select->ColumnInt64(7);
    record.ReceivedAtMs = select->ColumnInt64(8);
    beat.UnsavedAnswers = select->ColumnInt64(9);
    beat.StorageError = select->ColumnText(10);
    return std::optional<HeartbeatRecord>(std::move(record));
}

Result<Completeness> SqliteServerStore::CompletenessLocked(std::string_view device_id) {
    Completeness completeness;
    // Counted at ingest (StoreBatch) and by purge: no count over the device's rows.
    Result<Statement> totals = Statement::Prepare(
        Db_, "count stored responses",
        "SELECT stored_count, max(highest_seq, purged_through_seq), last_received_at_ms, "
        "purged_through_seq FROM devices WHERE device_id = ?1");
    if (!totals.Ok()) {
        return totals.Err();
    }
    totals->BindText(1, device_id);
    if (Result<bool> row = totals->Step(); !row.Ok() || !*row) {
        return row.Ok() ? Result<Completeness>(completeness) : Result<Completeness>(row.Err());
    }
    completeness.StoredCount = totals->ColumnInt64(0);
    completeness.HighestStoredSeq = totals->ColumnInt64(1);
    completeness.LastReceivedAtMs = totals->ColumnOptionalInt64(2);
    // Every seq after the purged ones is here exactly when the count says so; only otherwise
    // are the seqs read to find which are missing.
    bool contiguous =
        completeness.StoredCount == completeness.HighestStoredSeq - totals->ColumnInt64(3);

    Result<Statement> gaps = Statement::Prepare(
        Db_, "find missing seqs",
        "WITH purged AS (SELECT purged_through_seq AS seq FROM devices WHERE device_id = ?1) "
        "SELECT previous + 1, seq - 1 FROM (SELECT seq, lag(seq, 1, (SELECT seq FROM purged)) "
        "OVER (ORDER BY seq) AS previous FROM responses WHERE device_id = ?1 AND seq > "
        "(SELECT seq FROM purged)) WHERE seq - previous > 1 ORDER BY seq");
    if (!gaps.Ok()) {
        return gaps.Err();
    }
    gaps->BindText(1, device_id);
    SeqRanges found;
    while (!contiguous) {
        Result<bool> row = gaps->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        found.emplace_back(gaps->ColumnInt64(0), gaps->ColumnInt64(1));
    }
    Result<std::optional<HeartbeatRecord>> heartbeat = LastHeartbeatLocked(device_id);
    if (!heartbeat.Ok()) {
        return heartbeat.Err();
    }
    int64_t reported = heartbeat->has_value() ? (*heartbeat)->Data.HighestSeq : 0;
    completeness.Missing = MissingRanges(std::move(found), completeness.HighestStoredSeq, reported);
    return completeness;
}

Result<Completeness> SqliteServerStore::DeviceCompleteness(std::string_view device_id) {
    std::lock_guard lock(Mutex_);
    Result<Transaction> snapshot =
        Transaction::Begin(Db_, "device completeness", TransactionMode::Deferred);
    if (!snapshot.Ok()) {
        return snapshot.Err();
    }
    return CompletenessLocked(device_id);  // the read transaction ends with `snapshot`
}

Result<std::vector<DeviceOverview>> SqliteServerStore::ListDevices() {
    std::lock_guard lock(Mutex_);
    Result<Transaction> snapshot =
        Transaction::Begin(Db_, "list devices", TransactionMode::Deferred);
    if (!snapshot.Ok()) {
        return snapshot.Err();
    }
    Result<Statement> select = Statement::Prepare(
        Db_, "list devices",
        "SELECT device_id, store, door, enrolled_at_ms, revoked_at_ms FROM devices "
        "ORDER BY store, door, device_id");
    if (!select.Ok()) {
        return select.Err();
    }
    std::vector<DeviceOverview> devices;
    for (;;) {
        Result<bool> row = select->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        DeviceOverview overview;
        overview.Device.DeviceId = select->ColumnText(0);
        overview.Device.Store = select->ColumnText(1);
        overview.Device.Door = select->ColumnText(2);
        overview.Device.EnrolledAtMs = select->ColumnInt64(3);
        overview.Device.RevokedAtMs = select->ColumnOptionalInt64(4);
        devices.push_back(std::move(overview));
    }
    for (DeviceOverview& overview : devices) {
        Result<std::optional<HeartbeatRecord>> heartbeat =
            LastHeartbeatLocked(overview.Device.DeviceId);
        if (!heartbeat.Ok()) {
            return heartbeat.Err();
        }
        overview.LastHeartbeat = std::move(*heartbeat);
        Result<Completeness> stored = CompletenessLocked(overview.Device.DeviceId);
        if (!stored.Ok()) {
            return stored.Err();
        }
        overview.Stored = std::move(*stored);
    }
    return devices;
}

Result<int64_t> SqliteServerStore::CountResponses() {
    std::lock_guard lock(Mutex_);
    return QueryInt64(Db_, "count responses", "SELECT count(*) FROM responses");
}

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
