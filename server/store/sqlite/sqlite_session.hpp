// SQLite's side of the generic statement interface (sql_session.hpp): the store's one connection
// as an SqlSession. `$N` parameters are SQLite's named parameters, bound by name; writers begin
// IMMEDIATE, so the file's single write lock already serialises what PostgreSQL locks for.
#pragma once

#include <optional>

#include "core/sqlite/sqlite_db.hpp"
#include "server/store/sql_session.hpp"

struct sqlite3;

namespace doorstep::server {

class SqliteSession final : public SqlSession {
  public:
    explicit SqliteSession(sqlite3* db) : Db_(db) {}

    using SqlSession::Exec;
    Result<SqlRows> Exec(std::string_view operation, const std::string& sql,
                         const SqlParams& params) override;
    Status Lock(SqlLock /*lock*/) override { return Success(); }
    std::string_view ForUpdate() const override { return ""; }
    std::string_view ForUpdateSkipLocked() const override { return ""; }
    std::string_view Greatest() const override { return "max"; }
    std::string_view BinaryCollation() const override { return ""; }  // BINARY is the default

  private:
    Status BeginTransaction(std::string_view operation, SqlIsolation isolation) override;
    Status CommitTransaction(std::string_view operation) override;
    void RollbackTransaction(std::string_view operation) override;

    sqlite3* Db_;
    std::optional<Transaction> Open_;  // the transaction begun, until it ends
};

}  // namespace doorstep::server
