// PgServerStore's read-only side: completeness per device, the device list, counts and the
// export. Each reads from one snapshot (REPEATABLE READ, READ ONLY), so a batch committed
// half-way through a report is either wholly in it or wholly absent.
#include "pg_response_rows.hpp"
#include "pg_server_store.hpp"

namespace doorstep::server {
namespace {

// The gaps below the highest stored seq, then whatever the device says it has beyond it.
SeqRanges MissingRanges(SeqRanges gaps, int64_t highest_stored, int64_t highest_reported) {
    if (highest_reported > highest_stored) {
        gaps.emplace_back(highest_stored + 1, highest_reported);
    }
    return gaps;
}

Result<std::optional<HeartbeatRecord>> LastHeartbeat(PgConnection& db, std::string_view device_id) {
    Result<PgRows> rows =
        db.Exec("read heartbeat",
                "SELECT backlog, oldest_unsent_age_s, last_error, clock_offset_ms, app_version, "
                "survey_version, free_disk_bytes, highest_seq, received_at_ms, unsaved_answers, "
                "storage_error FROM heartbeats "
                "WHERE device_id = $1",
                PgParams().Text(device_id));
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

Result<Completeness> CompletenessOf(PgConnection& db, std::string_view device_id) {
    Completeness completeness;
    // Counted at ingest (StoreBatch) and by purge: no count over the device's rows.
    Result<PgRows> totals = db.Exec(
        "count stored responses",
        "SELECT stored_count, greatest(highest_seq, purged_through_seq), last_received_at_ms, "
        "purged_through_seq FROM devices WHERE device_id = $1",
        PgParams().Text(device_id));
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
        Result<PgRows> gaps = db.Exec(
            "find missing seqs",
            "WITH purged AS (SELECT purged_through_seq AS seq FROM devices WHERE device_id = $1) "
            "SELECT previous + 1, seq - 1 FROM (SELECT seq, lag(seq, 1, (SELECT seq FROM purged)) "
            "OVER (ORDER BY seq) AS previous FROM responses WHERE device_id = $1 AND seq > "
            "(SELECT seq FROM purged)) AS stored WHERE seq - previous > 1 ORDER BY seq",
            PgParams().Text(device_id));
        if (!gaps.Ok()) {
            return gaps.Err();
        }
        found = ReadPgRows<std::pair<int64_t, int64_t>>(*gaps, [](const PgRows& gap, int row) {
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

Result<Completeness> PgServerStore::DeviceCompleteness(std::string_view device_id) {
    return WithConnection([&](PgConnection& db) -> Result<Completeness> {
        Result<PgTransaction> snapshot =
            PgTransaction::Begin(db, "device completeness", PgIsolation::Snapshot);
        if (!snapshot.Ok()) {
            return snapshot.Err();
        }
        return CompletenessOf(db, device_id);  // the read transaction ends with `snapshot`
    });
}

Result<std::vector<DeviceOverview>> PgServerStore::ListDevices() {
    return WithConnection([&](PgConnection& db) -> Result<std::vector<DeviceOverview>> {
        Result<PgTransaction> snapshot =
            PgTransaction::Begin(db, "list devices", PgIsolation::Snapshot);
        if (!snapshot.Ok()) {
            return snapshot.Err();
        }
        Result<PgRows> rows =
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

Result<int64_t> PgServerStore::CountResponses() {
    return WithConnection([&](PgConnection& db) {
        return db.QueryInt("count responses", "SELECT count(*) FROM responses");
    });
}

Status PgServerStore::ExportResponses(const ExportFilter& filter, ExportSink& sink) {
    return WithConnection([&](PgConnection& db) -> Status {
        Result<PgTransaction> snapshot =
            PgTransaction::Begin(db, "export responses", PgIsolation::Snapshot);
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
        PgParams params = PgParams()
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
        Result<PgRows> needs =
            db.Exec("list exported needs",
                    "SELECT DISTINCT s.need FROM response_scores s JOIN responses r ON r.id = "
                    "s.response_id JOIN devices d ON d.device_id = r.device_id" +
                        where + " ORDER BY s.need",
                    params);
        if (!needs.Ok()) {
            return needs.Err();
        }
        std::vector<std::string> need_ids = ReadPgRows<std::string>(
            *needs, [](const PgRows& need, int row) { return need.Text(row, 0); });
        if (Status begun = sink.Begin(need_ids); !begun.Ok()) {
            return begun;
        }
        // A page of rows at a time (keyset on the sort order), so memory stays flat.
        constexpr int kPage = 2000;
        std::string after_store;
        std::string after_device;
        int64_t after_seq = 0;
        for (bool first = true;; first = false) {
            PgParams page = params;
            page.Bool(first).Text(after_store).Text(after_device).Int(after_seq);
            Result<PgRows> rows = db.Exec(
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
