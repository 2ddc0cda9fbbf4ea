// Head office's PostgreSQL dialect: the schema's migrations and a pool of connections as the
// generic store's sessions (sql_server_store.hpp holds the states of what the store keeps), and
// what PostgreSQL does its own way: StoreBatch() in pg_server_batch.cpp, the comment search, the
// export and the purge.
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
#include "server/store/postgres/pg_server_store.hpp"

#include "core/wire/protocol.hpp"
#include "server/store/postgres/pg_server_schema.hpp"

namespace doorstep::server {
namespace {

Result<int> Migrate(PgConnection& db) {
    SqlParams lock = SqlParams().Int(kPgLockSpace).Int(kPgLockMigrations);
    if (Status locked = db.Run("lock for migrations", "SELECT pg_advisory_lock($1, $2)", lock);
        !locked.Ok()) {
        return locked.Err();
    }
    // Released on every path; a lost connection releases it too.
    struct Unlock {
        PgConnection& Db;
        SqlParams Lock;
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
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, operation);
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        if (Status applied = db.Run(operation, step.Sql); !applied.Ok()) {
            return applied.Err();
        }
        Status noted = db.Run(operation, "UPDATE doorstep_schema SET version = $1",
                              SqlParams().Int(step.Version));
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

}  // namespace doorstep::server
