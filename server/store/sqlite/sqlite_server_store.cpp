// Head office's SQLite dialect: the file, its one connection as the generic store's session
// (sql_server_store.hpp holds the states of what the store keeps), and what SQLite does its own
// way: StoreBatch() in sqlite_server_batch.cpp, the comment search, the export and the purge.
//
// THE FILE (SqliteServerStore::Open)
//
//   (no file) --create 0600--> FILE --pragmas--> CONFIGURED --migrations--> READY
//   (all in OpenDurableFile(), core/sqlite/sqlite_file.cpp, shared with the kiosk's store)
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
//   * One writer at a time: every writing transaction begins IMMEDIATE, so what PostgreSQL locks
//     for (a code redeemed twice, two alert evaluations, two publishers) cannot interleave here.
//   * Only the SHA-256 of a code is stored. The file holds device secrets, so it is 0600; SQLite
//     creates -wal and -shm with the main file's mode.
#include "server/store/sqlite/sqlite_server_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "core/base/log.hpp"
#include "core/base/paths.hpp"
#include "core/sqlite/sqlite_db.hpp"
#include "core/sqlite/sqlite_file.hpp"
#include "core/wire/protocol.hpp"
#include "server/store/sqlite/server_schema.hpp"
#include "server/store/sqlite/sqlite_batch_statements.hpp"

namespace doorstep::server {

SqliteServerStore::SqliteServerStore(sqlite3* db, std::string path)
    : Db_(db), Session_(db), Path_(std::move(path)) {}

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

Status SqliteServerStore::WithSession(const SessionWork& work) {
    std::lock_guard lock(Mutex_);
    return work(Session_);
}

Result<std::string> SqliteServerStore::IntegrityCheck() {
    std::lock_guard lock(Mutex_);
    return IntegrityReport(Db_);
}

}  // namespace doorstep::server
