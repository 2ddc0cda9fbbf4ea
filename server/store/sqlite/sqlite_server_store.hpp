// ServerStore on one SQLite file: WAL, synchronous=FULL, versioned migrations, mode 0600.
// (States, transitions and invariants: see the header comment of sqlite_server_store.cpp.)
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "server/store/sql_server_store.hpp"
#include "server/store/sqlite/sqlite_session.hpp"

struct sqlite3;

namespace doorstep::server {

struct BatchStatements;  // sqlite_batch_statements.hpp

// One connection, used by one thread at a time under Mutex_: SQLite runs one writer at a time
// anyway, and a batch is a handful of milliseconds. Other processes (the command-line tools) open
// their own connection; WAL lets them read while the server writes, and busy_timeout makes
// writers queue instead of failing.
class SqliteServerStore final : public SqlServerStore {
  public:
    // Creates the file (and a missing parent directory, 0700) when needed, makes it 0600, applies
    // the pragmas and every pending migration.
    static Result<std::unique_ptr<SqliteServerStore>> Open(const std::string& path,
                                                           const StoreOpenOptions& options = {});
    ~SqliteServerStore() override;
    SqliteServerStore(const SqliteServerStore&) = delete;
    SqliteServerStore& operator=(const SqliteServerStore&) = delete;

    // What the two databases do differently (the rest: sql_server_store.hpp).
    Result<BatchOutcome> StoreBatch(std::string_view device_id,
                                    const std::vector<IncomingResponse>& items,
                                    int64_t received_at_ms) override;
    Result<CommentPage> ListComments(const ReportFilter& filter) override;
    Result<PurgeCounts> CountPurge(int64_t before_day) override;
    Result<PurgeCounts> Purge(int64_t before_day) override;
    Status ExportResponses(const ExportFilter& filter, ExportSink& sink) override;

    // "ok" when `PRAGMA integrity_check` passes, otherwise its report.
    Result<std::string> IntegrityCheck();
    int SchemaVersion() const { return SchemaVersion_; }
    const std::string& Path() const { return Path_; }

  private:
    SqliteServerStore(sqlite3* db, std::string path);
    Status WithSession(const SessionWork& work) override;

    std::mutex Mutex_;
    sqlite3* Db_;
    SqliteSession Session_;                   // Db_ for the generic store, under Mutex_
    std::unique_ptr<BatchStatements> Batch_;  // StoreBatch's statements, kept once prepared
    std::string Path_;
    int SchemaVersion_ = 0;
};

}  // namespace doorstep::server
