// The generic store's device reports: completeness per device, the device list and the count of
// answers. Each reads from one snapshot, so a batch committed half-way through a report is either
// wholly in it or wholly absent.
#include "server/store/sql_server_store.hpp"

namespace doorstep::server {
namespace {

// The gaps below the highest stored seq, then whatever the device says it has beyond it.
SeqRanges MissingRanges(SeqRanges gaps, int64_t highest_stored, int64_t highest_reported) {
    if (highest_reported > highest_stored) {
        gaps.emplace_back(highest_stored + 1, highest_reported);
    }
    return gaps;
}

Result<std::optional<HeartbeatRecord>> LastHeartbeat(SqlSession& db, std::string_view device_id) {
    Result<SqlRows> rows =
        db.Exec("read heartbeat",
                "SELECT backlog, oldest_unsent_age_s, last_error, clock_offset_ms, app_version, "
                "survey_version, free_disk_bytes, highest_seq, received_at_ms, unsaved_answers, "
                "storage_error FROM heartbeats "
                "WHERE device_id = $1",
                SqlParams().Text(device_id));
    if (!rows.Ok()) {
        return rows.Err();
    }
    if (rows->Count() == 0) {
        return std::optional<HeartbeatRecord>();
    }
    HeartbeatRecord record;
    Heartbeat& beat = record.Data;
    beat.DeviceId = std::string(device_id);
    beat.Backlog = rows->Int(0, 0);
    beat.OldestUnsentAgeS = rows->Int(0, 1);
    beat.LastError = rows->Text(0, 2);
    beat.ClockOffsetMs = rows->Int(0, 3);
    beat.AppVersion = rows->Text(0, 4);
    beat.SurveyVersion = static_cast<int>(rows->Int(0, 5));
    beat.FreeDiskBytes = rows->Int(0, 6);
    beat.HighestSeq = rows->Int(0, 7);
    record.ReceivedAtMs = rows->Int(0, 8);
    beat.UnsavedAnswers = rows->Int(0, 9);
    beat.StorageError = rows->Text(0, 10);
    return std::optional<HeartbeatRecord>(std::move(record));
}

Result<Completeness> CompletenessOf(SqlSession& db, std::string_view device_id) {
    Completeness completeness;
    // Counted at ingest (StoreBatch) and by purge: no count over the device's rows.
    Result<SqlRows> totals =
        db.Exec("count stored responses",
                "SELECT stored_count, " + std::string(db.Greatest()) +
                    "(highest_seq, purged_through_seq), last_received_at_ms, purged_through_seq "
                    "FROM devices WHERE device_id = $1",
                SqlParams().Text(device_id));
    if (!totals.Ok()) {
        return totals.Err();
    }
    if (totals->Count() == 0) {
        return completeness;
    }
    completeness.StoredCount = totals->Int(0, 0);
    completeness.HighestStoredSeq = totals->Int(0, 1);
    completeness.LastReceivedAtMs = totals->OptionalInt(0, 2);
    // Every seq after the purged ones is here exactly when the count says so; only otherwise
    // are the seqs read to find which are missing.
    bool contiguous = completeness.StoredCount == completeness.HighestStoredSeq - totals->Int(0, 3);

    SeqRanges found;
    if (!contiguous) {
        // Each stored seq next to the one before it (before the first: the highest purged): a
        // jump of more than one is a gap. Reads the (device_id, seq) unique index.
        Result<SqlRows> gaps = db.Exec(
            "find missing seqs",
            "WITH purged AS (SELECT purged_through_seq AS seq FROM devices WHERE device_id = $1) "
            "SELECT previous + 1, seq - 1 FROM (SELECT seq, lag(seq, 1, (SELECT seq FROM purged)) "
            "OVER (ORDER BY seq) AS previous FROM responses WHERE device_id = $1 AND seq > "
            "(SELECT seq FROM purged)) AS stored WHERE seq - previous > 1 ORDER BY seq",
            SqlParams().Text(device_id));
        if (!gaps.Ok()) {
            return gaps.Err();
        }
        found = ReadSqlRows<std::pair<int64_t, int64_t>>(*gaps, [](const SqlRows& gap, int row) {
            return std::make_pair(gap.Int(row, 0), gap.Int(row, 1));
        });
    }
    Result<std::optional<HeartbeatRecord>> heartbeat = LastHeartbeat(db, device_id);
    if (!heartbeat.Ok()) {
        return heartbeat.Err();
    }
    int64_t reported = heartbeat->has_value() ? (*heartbeat)->Data.HighestSeq : 0;
    completeness.Missing = MissingRanges(std::move(found), completeness.HighestStoredSeq, reported);
    return completeness;
}

}  // namespace

Result<Completeness> SqlServerStore::DeviceCompleteness(std::string_view device_id) {
    return InSession<Completeness>([&](SqlSession& db) -> Result<Completeness> {
        Result<SqlTransaction> snapshot =
            SqlTransaction::Begin(db, "device completeness", SqlIsolation::Snapshot);
        if (!snapshot.Ok()) {
            return snapshot.Err();
        }
        return CompletenessOf(db, device_id);  // the read transaction ends with `snapshot`
    });
}

Result<std::vector<DeviceOverview>> SqlServerStore::ListDevices() {
    return InSession<std::vector<DeviceOverview>>(
        [&](SqlSession& db) -> Result<std::vector<DeviceOverview>> {
            Result<SqlTransaction> snapshot =
                SqlTransaction::Begin(db, "list devices", SqlIsolation::Snapshot);
            if (!snapshot.Ok()) {
                return snapshot.Err();
            }
            Result<SqlRows> rows =
                db.Exec("list devices",
                        "SELECT device_id, store, door, enrolled_at_ms, revoked_at_ms FROM devices "
                        "ORDER BY store, door, device_id");
            if (!rows.Ok()) {
                return rows.Err();
            }
            std::vector<DeviceOverview> devices;
            for (int row = 0; row < rows->Count(); ++row) {
                DeviceOverview overview;
                overview.Device.DeviceId = rows->Text(row, 0);
                overview.Device.Store = rows->Text(row, 1);
                overview.Device.Door = rows->Text(row, 2);
                overview.Device.EnrolledAtMs = rows->Int(row, 3);
                overview.Device.RevokedAtMs = rows->OptionalInt(row, 4);
                devices.push_back(std::move(overview));
            }
            for (DeviceOverview& overview : devices) {
                Result<std::optional<HeartbeatRecord>> heartbeat =
                    LastHeartbeat(db, overview.Device.DeviceId);
                if (!heartbeat.Ok()) {
                    return heartbeat.Err();
                }
                overview.LastHeartbeat = std::move(*heartbeat);
                Result<Completeness> stored = CompletenessOf(db, overview.Device.DeviceId);
                if (!stored.Ok()) {
                    return stored.Err();
                }
                overview.Stored = std::move(*stored);
            }
            return devices;
        });
}

Result<int64_t> SqlServerStore::CountResponses() {
    return InSession<int64_t>([&](SqlSession& db) {
        return db.QueryInt("count responses", "SELECT count(*) FROM responses");
    });
}

}  // namespace doorstep::server
