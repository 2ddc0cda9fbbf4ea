// Head office's PostgreSQL store: the devices, their codes, nonces and heartbeats. StoreBatch()
// lives in pg_server_batch.cpp, the reports in pg_server_reports.cpp and pg_server_sums.cpp.
//
// THE STATES OF WHAT IT KEEPS (the same as SqliteServerStore's; sqlite_server_store.cpp)
//
//   enrollment code   (absent) --AddEnrollmentCode()--> unused --RedeemEnrollmentCode()--> used
//   device            (absent) --RedeemEnrollmentCode()--> active --RevokeDevice()--> revoked
//   response          (absent) --StoreBatch(), uuid and seq both new for the device--> stored
//                     stored --StoreBatch(), same uuid, same content--> stored (acked again)
//                     stored --StoreBatch(), same uuid or seq, other content--> stored (conflict)
//   nonce             (absent) --RememberNonce()--> remembered --kNonceMemoryMs later--> (pruned)
//   heartbeat         (absent) --SaveHeartbeat()--> latest --SaveHeartbeat()--> latest (replaced)
//   alert delivery    pending --ClaimWebhookDelivery()--> leased (next_at = now + lease)
//                     leased --RecordWebhookAttempt()--> delivered | pending (later) | failed
//
// THE DATABASE (PgServerStore::Open)
//
//   (connect) --advisory lock kPgLockMigrations--> LOCKED --steps--> READY --unlock
//                                                     |
//                doorstep_schema.version > kLatestPgSchemaVersion: Open() fails, writes nothing
//
//   Each step of kPgServerMigrations runs in its own transaction with the version update; the
//   session lock makes a second server that starts at the same time wait, then find nothing to do.
//
// INVARIANTS, AND WHAT KEEPS THEM WITH SEVERAL SERVERS ON ONE DATABASE
//   * A response is stored at most once per device: UNIQUE (device_id, uuid) and (device_id, seq).
//     StoreBatch holds a per-device transaction lock (kPgLockDeviceSpace), so batches of one
//     device run one at a time across servers, as SQLite's single writer runs them: a repeat is
//     always compared with a committed row, and the device's rollup rows have one writer.
//   * A batch, its scores and its rollups commit together, before the acknowledgement.
//   * A code enrolls at most one device: Redeem locks the code's row (FOR UPDATE), so a second
//     server waits and then finds it used.
//   * A nonce is accepted once: its INSERT ... ON CONFLICT DO NOTHING waits for a concurrent
//     insert of the same key, then does nothing, and the caller hears "replay".
//   * At most one open alert per store, door and need: ApplyAlertFindings holds kPgLockAlerts.
//     A delivery is claimed by one server at a time: FOR UPDATE SKIP LOCKED plus the lease.
//   * Locks wait at most 5 s (lock_timeout): longer is kStoreBusyCode, 503 busy, as with SQLite.
#include "pg_server_store.hpp"

#include "pg_server_schema.hpp"
#include "protocol.hpp"

namespace doorstep::server {
namespace {

constexpr const char* kDeviceColumns =
    "device_id, store, door, secret_hex, enrolled_at_ms, revoked_at_ms";

DeviceRecord ReadDevice(const PgRows& rows, int row) {
    DeviceRecord device;
    device.DeviceId = rows.Text(row, 0);
    device.Store = rows.Text(row, 1);
    device.Door = rows.Text(row, 2);
    device.SecretHex = rows.Text(row, 3);
    device.EnrolledAtMs = rows.Int(row, 4);
    device.RevokedAtMs = rows.OptionalInt(row, 5);
    return device;
}

Result<int> Migrate(PgConnection& db) {
    PgParams lock = PgParams().Int(kPgLockSpace).Int(kPgLockMigrations);
    if (Status locked = db.Run("lock for migrations", "SELECT pg_advisory_lock($1, $2)", lock);
        !locked.Ok()) {
        return locked.Err();
    }
    // Released on every path; a lost connection releases it too.
    struct Unlock {
        PgConnection& Db;
        PgParams Lock;
        ~Unlock() { (void)Db.Run("unlock migrations", "SELECT pg_advisory_unlock($1, $2)", Lock); }
    } unlock{db, lock};

    Status made = db.Run("create the schema version table",
                         "CREATE TABLE IF NOT EXISTS doorstep_schema (version INTEGER NOT NULL); "
                         "INSERT INTO doorstep_schema SELECT 0 "
                         "WHERE NOT EXISTS (SELECT 1 FROM doorstep_schema)");
    if (!made.Ok()) {
        return made.Err();
    }
    Result<int64_t> version =
        db.QueryInt("read the schema version", "SELECT version FROM doorstep_schema");
    if (!version.Ok()) {
        return version.Err();
    }
    if (*version > kLatestPgSchemaVersion) {
        return Error{"the database has schema version " + std::to_string(*version) +
                         ", newer than this build knows (" +
                         std::to_string(kLatestPgSchemaVersion) +
                         "): a newer doorstep-server wrote it: run that version",
                     1};
    }
    for (const PgSchemaStep& step : kPgServerMigrations) {
        if (step.Version <= *version) {
            continue;
        }
        std::string operation = "migrate to schema version " + std::to_string(step.Version);
        Result<PgTransaction> transaction = PgTransaction::Begin(db, operation);
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        if (Status applied = db.Run(operation, step.Sql); !applied.Ok()) {
            return applied.Err();
        }
        Status noted = db.Run(operation, "UPDATE doorstep_schema SET version = $1",
                              PgParams().Int(step.Version));
        if (!noted.Ok()) {
            return noted.Err();
        }
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
    }
    return kLatestPgSchemaVersion;
}

}  // namespace

Result<std::unique_ptr<PgServerStore>> PgServerStore::Open(const std::string& url) {
    std::unique_ptr<PgServerStore> store(new PgServerStore(url));
    Result<PgPool::Lease> lease = store->Pool_.Acquire();
    if (!lease.Ok()) {
        return lease.Err();
    }
    Result<int> version = Migrate(**lease);
    if (!version.Ok()) {
        return version.Err();
    }
    store->SchemaVersion_ = *version;
    return store;
}

// --- enrollment and devices -----------------------------------------------------------------

Status PgServerStore::AddEnrollmentCode(const EnrollmentCodeRecord& code) {
    return WithConnection([&](PgConnection& db) {
        return db.Run("add enrollment code",
                      "INSERT INTO enrollment_codes (code_hash, store, door, created_at_ms, "
                      "expires_at_ms) VALUES ($1, $2, $3, $4, $5)",
                      PgParams()
                          .Text(code.CodeHash)
                          .Text(code.Store)
                          .Text(code.Door)
                          .Int(code.CreatedAtMs)
                          .Int(code.ExpiresAtMs));
    });
}

Result<std::optional<DeviceRecord>> PgServerStore::RedeemEnrollmentCode(std::string_view code_hash,
                                                                        std::string_view device_id,
                                                                        std::string_view secret_hex,
                                                                        int64_t now_ms) {
    return WithConnection([&](PgConnection& db) -> Result<std::optional<DeviceRecord>> {
        Result<PgTransaction> transaction = PgTransaction::Begin(db, "redeem enrollment code");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        // FOR UPDATE: a second server redeeming the same code waits here, then sees it used.
        Result<PgRows> code = db.Exec(
            "find enrollment code",
            "SELECT store, door FROM enrollment_codes WHERE code_hash = $1 AND used_at_ms IS NULL "
            "AND expires_at_ms > $2 FOR UPDATE",
            PgParams().Text(code_hash).Int(now_ms));
        if (!code.Ok()) {
            return code.Err();
        }
        if (code->Count() == 0) {
            return std::optional<DeviceRecord>();  // unknown, used or expired: nothing changes
        }
        DeviceRecord device{std::string(device_id),  code->Text(0, 0), code->Text(0, 1),
                            std::string(secret_hex), now_ms,           std::nullopt};
        Status inserted = db.Run("create device",
                                 "INSERT INTO devices (device_id, store, door, secret_hex, "
                                 "enrolled_at_ms) VALUES ($1, $2, $3, $4, $5)",
                                 PgParams()
                                     .Text(device.DeviceId)
                                     .Text(device.Store)
                                     .Text(device.Door)
                                     .Text(device.SecretHex)
                                     .Int(now_ms));
        if (!inserted.Ok()) {
            return inserted.Err();
        }
        Status used = db.Run(
            "use up enrollment code",
            "UPDATE enrollment_codes SET used_at_ms = $2, device_id = $3 WHERE code_hash = $1",
            PgParams().Text(code_hash).Int(now_ms).Text(device.DeviceId));
        if (!used.Ok()) {
            return used.Err();
        }
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
        return std::optional<DeviceRecord>(std::move(device));
    });
}

Result<std::optional<DeviceRecord>> PgServerStore::FindDevice(std::string_view device_id) {
    return WithConnection([&](PgConnection& db) -> Result<std::optional<DeviceRecord>> {
        Result<PgRows> rows =
            db.Exec("find device",
                    std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE device_id = $1",
                    PgParams().Text(device_id));
        if (!rows.Ok()) {
            return rows.Err();
        }
        if (rows->Count() == 0) {
            return std::optional<DeviceRecord>();
        }
        return std::optional<DeviceRecord>(ReadDevice(*rows, 0));
    });
}

Result<bool> PgServerStore::RevokeDevice(std::string_view device_id, int64_t now_ms) {
    return WithConnection([&](PgConnection& db) -> Result<bool> {
        Result<PgRows> updated = db.Exec(
            "revoke device",
            "UPDATE devices SET revoked_at_ms = coalesce(revoked_at_ms, $2) WHERE device_id = $1",
            PgParams().Text(device_id).Int(now_ms));
        if (!updated.Ok()) {
            return updated.Err();
        }
        return updated->Affected() == 1;
    });
}

// --- requests -------------------------------------------------------------------------------

Result<bool> PgServerStore::RememberNonce(std::string_view device_id, std::string_view nonce,
                                          int64_t now_ms) {
    return WithConnection([&](PgConnection& db) -> Result<bool> {
        Result<PgTransaction> transaction = PgTransaction::Begin(db, "remember nonce");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        // A request is only accepted within kClockWindowMs of its timestamp, so a nonce older
        // than kNonceMemoryMs (twice that window) can no longer come with an acceptable one.
        Status pruned = db.Run("forget old nonces", "DELETE FROM nonces WHERE seen_at_ms < $1",
                               PgParams().Int(now_ms - protocol::kNonceMemoryMs));
        if (!pruned.Ok()) {
            return pruned.Err();
        }
        Result<PgRows> inserted =
            db.Exec("remember nonce",
                    "INSERT INTO nonces (device_id, nonce, seen_at_ms) VALUES ($1, $2, $3) "
                    "ON CONFLICT DO NOTHING",
                    PgParams().Text(device_id).Text(nonce).Int(now_ms));
        if (!inserted.Ok()) {
            return inserted.Err();
        }
        bool fresh = inserted->Affected() == 1;
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
        return fresh;
    });
}

Status PgServerStore::SaveHeartbeat(const Heartbeat& heartbeat, int64_t received_at_ms) {
    return WithConnection([&](PgConnection& db) {
        return db.Run(
            "save heartbeat",
            "INSERT INTO heartbeats (device_id, backlog, oldest_unsent_age_s, last_error, "
            "clock_offset_ms, app_version, survey_version, free_disk_bytes, highest_seq, "
            "received_at_ms, unsaved_answers, storage_error) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
            "ON CONFLICT (device_id) DO UPDATE SET backlog = excluded.backlog, "
            "oldest_unsent_age_s = excluded.oldest_unsent_age_s, last_error = excluded.last_error, "
            "clock_offset_ms = excluded.clock_offset_ms, app_version = excluded.app_version, "
            "survey_version = excluded.survey_version, free_disk_bytes = excluded.free_disk_bytes, "
            "highest_seq = excluded.highest_seq, received_at_ms = excluded.received_at_ms, "
            "unsaved_answers = excluded.unsaved_answers, storage_error = excluded.storage_error",
            PgParams()
                .Text(heartbeat.DeviceId)
                .Int(heartbeat.Backlog)
                .Int(heartbeat.OldestUnsentAgeS)
                .Text(heartbeat.LastError)
                .Int(heartbeat.ClockOffsetMs)
                .Text(heartbeat.AppVersion)
                .Int(heartbeat.SurveyVersion)
                .Int(heartbeat.FreeDiskBytes)
                .Int(heartbeat.HighestSeq)
                .Int(received_at_ms)
                .Int(heartbeat.UnsavedAnswers)
                .Text(heartbeat.StorageError));
    });
}

}  // namespace doorstep::server
