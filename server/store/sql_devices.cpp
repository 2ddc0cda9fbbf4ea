// The generic store's devices: enrollment codes, devices, nonces and heartbeats.
#include "core/wire/protocol.hpp"
#include "server/store/sql_server_store.hpp"

namespace doorstep::server {
namespace {

constexpr const char* kDeviceColumns =
    "device_id, store, door, secret_hex, enrolled_at_ms, revoked_at_ms";

DeviceRecord ReadDevice(const SqlRows& rows, int row) {
    DeviceRecord device;
    device.DeviceId = rows.Text(row, 0);
    device.Store = rows.Text(row, 1);
    device.Door = rows.Text(row, 2);
    device.SecretHex = rows.Text(row, 3);
    device.EnrolledAtMs = rows.Int(row, 4);
    device.RevokedAtMs = rows.OptionalInt(row, 5);
    return device;
}

}  // namespace

// --- enrollment and devices -----------------------------------------------------------------

Status SqlServerStore::AddEnrollmentCode(const EnrollmentCodeRecord& code) {
    return WithSession([&](SqlSession& db) -> Status {
        return db.Run("add enrollment code",
                      "INSERT INTO enrollment_codes (code_hash, store, door, created_at_ms, "
                      "expires_at_ms) VALUES ($1, $2, $3, $4, $5)",
                      SqlParams()
                          .Text(code.CodeHash)
                          .Text(code.Store)
                          .Text(code.Door)
                          .Int(code.CreatedAtMs)
                          .Int(code.ExpiresAtMs));
    });
}

Result<std::optional<DeviceRecord>> SqlServerStore::RedeemEnrollmentCode(
    std::string_view code_hash, std::string_view device_id, std::string_view secret_hex,
    int64_t now_ms) {
    return InSession<std::optional<DeviceRecord>>([&](SqlSession& db)
                                                      -> Result<std::optional<DeviceRecord>> {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "redeem enrollment code");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        // FOR UPDATE: a second server redeeming the same code waits here, then sees it used.
        Result<SqlRows> code = db.Exec(
            "find enrollment code",
            "SELECT store, door FROM enrollment_codes WHERE code_hash = $1 AND used_at_ms IS NULL "
            "AND expires_at_ms > $2" +
                std::string(db.ForUpdate()),
            SqlParams().Text(code_hash).Int(now_ms));
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
                                 SqlParams()
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
            SqlParams().Text(code_hash).Int(now_ms).Text(device.DeviceId));
        if (!used.Ok()) {
            return used.Err();
        }
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
        return std::optional<DeviceRecord>(std::move(device));
    });
}

Result<std::optional<DeviceRecord>> SqlServerStore::FindDevice(std::string_view device_id) {
    return InSession<std::optional<DeviceRecord>>(
        [&](SqlSession& db) -> Result<std::optional<DeviceRecord>> {
            Result<SqlRows> rows = db.Exec(
                "find device",
                std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE device_id = $1",
                SqlParams().Text(device_id));
            if (!rows.Ok()) {
                return rows.Err();
            }
            if (rows->Count() == 0) {
                return std::optional<DeviceRecord>();
            }
            return std::optional<DeviceRecord>(ReadDevice(*rows, 0));
        });
}

Result<bool> SqlServerStore::RevokeDevice(std::string_view device_id, int64_t now_ms) {
    return InSession<bool>([&](SqlSession& db) -> Result<bool> {
        Result<SqlRows> updated = db.Exec(
            "revoke device",
            "UPDATE devices SET revoked_at_ms = coalesce(revoked_at_ms, $2) WHERE device_id = $1",
            SqlParams().Text(device_id).Int(now_ms));
        if (!updated.Ok()) {
            return updated.Err();
        }
        return updated->Affected() == 1;
    });
}

// --- requests -------------------------------------------------------------------------------

Result<bool> SqlServerStore::RememberNonce(std::string_view device_id, std::string_view nonce,
                                           int64_t now_ms) {
    return InSession<bool>([&](SqlSession& db) -> Result<bool> {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "remember nonce");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        // A request is only accepted within kClockWindowMs of its timestamp, so a nonce older
        // than kNonceMemoryMs (twice that window) can no longer come with an acceptable one.
        Status pruned = db.Run("forget old nonces", "DELETE FROM nonces WHERE seen_at_ms < $1",
                               SqlParams().Int(now_ms - protocol::kNonceMemoryMs));
        if (!pruned.Ok()) {
            return pruned.Err();
        }
        Result<SqlRows> inserted =
            db.Exec("remember nonce",
                    "INSERT INTO nonces (device_id, nonce, seen_at_ms) VALUES ($1, $2, $3) "
                    "ON CONFLICT DO NOTHING",
                    SqlParams().Text(device_id).Text(nonce).Int(now_ms));
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

Status SqlServerStore::SaveHeartbeat(const Heartbeat& heartbeat, int64_t received_at_ms) {
    return WithSession([&](SqlSession& db) -> Status {
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
            SqlParams()
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
