// Head office's SQLite store: the devices, their codes, nonces and heartbeats. StoreBatch() lives
// in sqlite_server_batch.cpp and the read-only reports in sqlite_server_reports.cpp.
//
// THE STATES OF WHAT IT KEEPS
//
//   enrollment code   (absent) --AddEnrollmentCode()--> unused --RedeemEnrollmentCode()--> used
//                                                         |
//                                      expires_at_ms passes: expired (no write; Redeem refuses it)
//
//   device            (absent) --RedeemEnrollmentCode()--> active --RevokeDevice()--> revoked
//
//   response          (absent) --StoreBatch(), uuid and seq both new for the device--> stored
//                     stored --StoreBatch(), same uuid, same content--> stored (acked again)
//                     stored --StoreBatch(), same uuid or seq, other content--> stored (conflict)
//
//   nonce             (absent) --RememberNonce()--> remembered
//                     remembered --RememberNonce(), kNonceMemoryMs later--> (pruned)
//
//   heartbeat         (absent) --SaveHeartbeat()--> latest --SaveHeartbeat()--> latest (replaced)
//
//   user              (absent) --AddUser()--> active   (sqlite_server_accounts.cpp)
//   token             (absent) --AddToken()--> valid --RevokeToken()--> revoked
//                     valid --expires_at_ms passes--> expired (kept; refused by accounts.cpp)
//
// THE FILE (SqliteServerStore::Open)
//
//   (no file) --create 0600--> FILE --pragmas--> CONFIGURED --migrations--> READY
//   (all in OpenDurableFile(), kiosk/core/sqlite_file.cpp, shared with the kiosk's store)
//                                                             |
//                      user_version > kLatestServerSchemaVersion: Open() fails, writes nothing
//
//   CONFIGURED: journal_mode=WAL, synchronous=FULL, foreign_keys=ON, busy timeout set.
//   Migrations: PRAGMA user_version k -> k+1 for each step in kServerMigrations, each step in its
//   own transaction.
//
// INVARIANTS
//   * A response is stored at most once per device: UNIQUE (device_id, uuid) and
//     UNIQUE (device_id, seq). A stored response is never changed or deleted.
//   * A response and its scores are written together, and a whole batch in one transaction:
//     StoreBatch() returns its outcome only after COMMIT returned, so nothing is acked that is not
//     durable (WAL + synchronous=FULL fsyncs on every commit).
//   * A code enrolls at most one device: marking it used and creating the device are one
//     transaction (BEGIN IMMEDIATE, so two servers cannot both redeem it).
//   * Only the SHA-256 of a code is stored. The file holds device secrets, so it is 0600; SQLite
//     creates -wal and -shm with the main file's mode.
#include "sqlite_server_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "log.hpp"
#include "paths.hpp"
#include "protocol.hpp"
#include "server_schema.hpp"
#include "sqlite_batch_statements.hpp"
#include "sqlite_db.hpp"
#include "sqlite_file.hpp"

namespace doorstep::server {
namespace {

constexpr const char* kDeviceColumns =
    "device_id, store, door, secret_hex, enrolled_at_ms, revoked_at_ms";

DeviceRecord ReadDevice(const Statement& row) {
    DeviceRecord device;
    device.DeviceId = row.ColumnText(0);
    device.Store = row.ColumnText(1);
    device.Door = row.ColumnText(2);
    device.SecretHex = row.ColumnText(3);
    device.EnrolledAtMs = row.ColumnInt64(4);
    device.RevokedAtMs = row.ColumnOptionalInt64(5);
    return device;
}

}  // namespace

SqliteServerStore::SqliteServerStore(sqlite3* db, std::string path)
    : Db_(db), Path_(std::move(path)) {}

SqliteServerStore::~SqliteServerStore() {
    Batch_.reset();  // finalized before the connection closes
    sqlite3_close_v2(Db_);
}

Result<std::unique_ptr<SqliteServerStore>> SqliteServerStore::Open(
    const std::string& path, const StoreOpenOptions& options) {
    std::string parent = std::filesystem::path(path).parent_path().string();
    if (!parent.empty()) {
        std::error_code error;
        if (!std::filesystem::exists(parent, error)) {
            if (Status made = EnsurePrivateDirectory(parent); !made.Ok()) {
                return made.Err();
            }
        }
    }
    DurableFileOptions file_options;
    file_options.Vfs = options.SqliteVfs;
    file_options.BusyTimeoutMs = options.BusyTimeoutMs;
    file_options.Noun = "database";
    file_options.NewerBuildHint = "a newer doorstep-server wrote it: run that version";
    Result<DurableFile> file = OpenDurableFile(path, file_options, kServerMigrations);
    if (!file.Ok()) {
        return file.Err();
    }
    // Owns the connection from here, so every path below closes it.
    std::unique_ptr<SqliteServerStore> store(new SqliteServerStore(file->Db, path));
    // Checkpoints every ~40 MB of WAL rather than SQLite's 4 MB: a page written by many batches
    // in a row is copied into the database once, not once per few batches.
    std::string tuning = "PRAGMA cache_size=-" + std::to_string(options.PageCacheKiB) +
                         "; PRAGMA wal_autocheckpoint=10000";
    if (Status cached = ExecSql(file->Db, "tune the page cache", tuning.c_str()); !cached.Ok()) {
        return cached.Err();
    }
    store->SchemaVersion_ = file->SchemaVersion;
    return store;
}

// --- enrollment and devices -----------------------------------------------------------------

Status SqliteServerStore::AddEnrollmentCode(const EnrollmentCodeRecord& code) {
    std::lock_guard lock(Mutex_);
    Result<Statement> insert = Statement::Prepare(
        Db_, "add enrollment code",
        "INSERT INTO enrollment_codes (code_hash, store, door, created_at_ms, expires_at_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert.Ok()) {
        return insert.Err();
    }
    insert->BindText(1, code.CodeHash);
    insert->BindText(2, code.Store);
    insert->BindText(3, code.Door);
    insert->BindInt64(4, code.CreatedAtMs);
    insert->BindInt64(5, code.ExpiresAtMs);
    return insert->Run();  // one statement: SQLite wraps it in its own transaction
}

Result<std::optional<DeviceRecord>> SqliteServerStore::RedeemEnrollmentCode(
    std::string_view code_hash, std::string_view device_id, std::string_view secret_hex,
    int64_t now_ms) {
    std::lock_guard lock(Mutex_);
    Result<Transaction> transaction = Transaction::Begin(Db_, "redeem enrollment code");
    if (!transaction.Ok()) {
        return transaction.Err();
    }
    Result<Statement> select =
        Statement::Prepare(Db_, "find enrollment code",
                           "SELECT store, door FROM enrollment_codes "
                           "WHERE code_hash = ?1 AND used_at_ms IS NULL AND expires_at_ms > ?2");
    if (!select.Ok()) {
        return select.Err();
    }
    select->BindText(1, code_hash);
    select->BindInt64(2, now_ms);
    Result<bool> found = select->Step();
    if (!found.Ok()) {
        return found.Err();
    }
    if (!*found) {
        return std::optional<DeviceRecord>();  // unknown, used or expired: nothing changes
    }
    DeviceRecord device;
    device.DeviceId = std::string(device_id);
    device.Store = select->ColumnText(0);
    device.Door = select->ColumnText(1);
    device.SecretHex = std::string(secret_hex);
    device.EnrolledAtMs = now_ms;
    select->Reset();

    Result<Statement> insert = Statement::Prepare(
        Db_, "create device",
        "INSERT INTO devices (device_id, store, door, secret_hex, enrolled_at_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert.Ok()) {
        return insert.Err();
    }
    insert->BindText(1, device.DeviceId);
    insert->BindText(2, device.Store);
    insert->BindText(3, device.Door);
    insert->BindText(4, device.SecretHex);
    insert->BindInt64(5, device.EnrolledAtMs);
    if (Status inserted = insert->Run(); !inserted.Ok()) {
        return inserted.Err();
    }
    Result<Statement> use = Statement::Prepare(
        Db_, "use up enrollment code",
        "UPDATE enrollment_codes SET used_at_ms = ?2, device_id = ?3 WHERE code_hash = ?1");
    if (!use.Ok()) {
        return use.Err();
    }
    use->BindText(1, code_hash);
    use->BindInt64(2, now_ms);
    use->BindText(3, device.DeviceId);
    if (Status used = use->Run(); !used.Ok()) {
        return used.Err();
    }
    if (Status committed = transaction->Commit(); !committed.Ok()) {
        return committed.Err();
    }
    return std::optional<DeviceRecord>(std::move(device));
}

Result<std::optional<DeviceRecord>> SqliteServerStore::FindDeviceLocked(
    std::string_view device_id) {
    Result<Statement> select = Statement::Prepare(
        Db_, "find device",
        std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE device_id = ?1");
    if (!select.Ok()) {
        return select.Err();
    }
    select->BindText(1, device_id);
    Result<bool> found = select->Step();
    if (!found.Ok()) {
        return found.Err();
    }
    if (!*found) {
        return std::optional<DeviceRecord>();
    }
    return std::optional<DeviceRecord>(ReadDevice(*select));
}

Result<std::optional<DeviceRecord>> SqliteServerStore::FindDevice(std::string_view device_id) {
    std::lock_guard lock(Mutex_);
    return FindDeviceLocked(device_id);
}

Result<bool> SqliteServerStore::RevokeDevice(std::string_view device_id, int64_t now_ms) {
    std::lock_guard lock(Mutex_);
    Result<Statement> update = Statement::Prepare(
        Db_, "revoke device",
        "UPDATE devices SET revoked_at_ms = coalesce(revoked_at_ms, ?2) WHERE device_id = ?1");
    if (!update.Ok()) {
        return update.Err();
    }
    update->BindText(1, device_id);
    update->BindInt64(2, now_ms);
    if (Status updated = update->Run(); !updated.Ok()) {
        return updated.Err();
    }
    return sqlite3_changes(Db_) == 1;
}

// --- requests -------------------------------------------------------------------------------

Result<bool> SqliteServerStore::RememberNonce(std::string_view device_id, std::string_view nonce,
                                              int64_t now_ms) {
    std::lock_guard lock(Mutex_);
    Result<Transaction> transaction = Transaction::Begin(Db_, "remember nonce");
    if (!transaction.Ok()) {
        return transaction.Err();
    }
    // A request is only accepted within kClockWindowMs of its timestamp, so a nonce older than
    // kNonceMemoryMs (twice that window) can no longer come with an acceptable timestamp.
    Result<Statement> prune =
        Statement::Prepare(Db_, "forget old nonces", "DELETE FROM nonces WHERE seen_at_ms < ?1");
    if (!prune.Ok()) {
        return prune.Err();
    }
    prune->BindInt64(1, now_ms - protocol::kNonceMemoryMs);
    if (Status pruned = prune->Run(); !pruned.Ok()) {
        return pruned.Err();
    }
    Result<Statement> insert = Statement::Prepare(
        Db_, "remember nonce",
        "INSERT OR IGNORE INTO nonces (device_id, nonce, seen_at_ms) VALUES (?1, ?2, ?3)");
    if (!insert.Ok()) {
        return insert.Err();
    }
    insert->BindText(1, device_id);
    insert->BindText(2, nonce);
    insert->BindInt64(3, now_ms);
    if (Status inserted = insert->Run(); !inserted.Ok()) {
        return inserted.Err();
    }
    bool fresh = sqlite3_changes(Db_) == 1;
    if (Status committed = transaction->Commit(); !committed.Ok()) {
        return committed.Err();
    }
    return fresh;
}

Status SqliteServerStore::SaveHeartbeat(const Heartbeat& heartbeat, int64_t received_at_ms) {
    std::lock_guard lock(Mutex_);
    Result<Statement> upsert = Statement::Prepare(
        Db_, "save heartbeat",
        "INSERT INTO heartbeats (device_id, backlog, oldest_unsent_age_s, last_error, "
        "clock_offset_ms, app_version, survey_version, free_disk_bytes, highest_seq, "
        "received_at_ms, unsaved_answers, storage_error) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
        "ON CONFLICT (device_id) DO UPDATE SET backlog = excluded.backlog, "
        "oldest_unsent_age_s = excluded.oldest_unsent_age_s, last_error = excluded.last_error, "
        "clock_offset_ms = excluded.clock_offset_ms, app_version = excluded.app_version, "
        "survey_version = excluded.survey_version, free_disk_bytes = excluded.free_disk_bytes, "
        "highest_seq = excluded.highest_seq, received_at_ms = excluded.received_at_ms, "
        "unsaved_answers = excluded.unsaved_answers, storage_error = excluded.storage_error");
    if (!upsert.Ok()) {
        return upsert.Err();
    }
    upsert->BindText(1, heartbeat.DeviceId);
    upsert->BindInt64(2, heartbeat.Backlog);
    upsert->BindInt64(3, heartbeat.OldestUnsentAgeS);
    upsert->BindText(4, heartbeat.LastError);
    upsert->BindInt64(5, heartbeat.ClockOffsetMs);
    upsert->BindText(6, heartbeat.AppVersion);
    upsert->BindInt64(7, heartbeat.SurveyVersion);
    upsert->BindInt64(8, heartbeat.FreeDiskBytes);
    upsert->BindInt64(9, heartbeat.HighestSeq);
    upsert->BindInt64(10, received_at_ms);
    upsert->BindInt64(11, heartbeat.UnsavedAnswers);
    upsert->BindText(12, heartbeat.StorageError);
    return upsert->Run();
}

Result<std::string> SqliteServerStore::IntegrityCheck() {
    std::lock_guard lock(Mutex_);
    return IntegrityReport(Db_);
}

}  // namespace doorstep::server
