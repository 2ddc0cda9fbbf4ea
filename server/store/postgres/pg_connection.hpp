// PostgreSQL's side of the generic statement interface (sql_session.hpp): a libpq connection as an
// SqlSession, and a pool of them. Failures come back as Error values
// naming the operation, e.g. "insert responses: duplicate key value ... (SQLSTATE 23505)".
//
// Error::Code tells the caller what kind of failure it was, in the terms the store already uses:
// kStoreBusyCode for a lock wait that ran out, kPgRetryCode for a deadlock or serialization
// failure (the whole transaction may simply run again), kPgRefusedCode when the data broke a rule
// of the schema (a CHECK, a key, a value out of range), 1 for anything else.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "server/store/sql_session.hpp"

namespace doorstep::server {

inline constexpr int kPgRefusedCode = 19;  // the value of SQLITE_CONSTRAINT, as the batch expects
inline constexpr int kPgRetryCode = 40;

// Advisory lock keys (the two-int form, first key kPgLockSpace), so other applications sharing
// the database do not collide with ours.
inline constexpr int kPgLockSpace = 0x0d005e9;  // "doorstep"
inline constexpr int kPgLockMigrations = 1;
inline constexpr int kPgLockAlerts = 2;
inline constexpr int kPgLockSurveys = 3;
inline constexpr int kPgLockDeviceSpace = kPgLockSpace + 1;  // second key: hashtext(device_id)

// The URL with its password (userinfo or ?password=) replaced by "***", for messages and logs.
std::string RedactedPgUrl(std::string_view url);
// `text` (a message about `url`) with every occurrence of the URL's password replaced by "***".
std::string WithoutPgPassword(std::string text, std::string_view url);

// One libpq connection, as the generic store's SqlSession. Parameters are sent as text
// (PostgreSQL casts them to the column types); answers are read as text.
class PgConnection final : public SqlSession {
  public:
    // Connects and sets the session up (UTC, a 5 s lock timeout, notices not printed). The error
    // names the URL without its password.
    static Result<std::unique_ptr<PgConnection>> Connect(const std::string& url);
    ~PgConnection() override;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    using SqlSession::Exec;
    // Without parameters several statements may share `sql` (the migrations).
    Result<SqlRows> Exec(std::string_view operation, const std::string& sql,
                         const SqlParams& params) override;
    Status Lock(SqlLock lock) override;
    std::string_view ForUpdate() const override { return " FOR UPDATE"; }
    std::string_view ForUpdateSkipLocked() const override { return " FOR UPDATE SKIP LOCKED"; }
    std::string_view Greatest() const override { return "greatest"; }
    std::string_view BinaryCollation() const override { return " COLLATE \"C\""; }

    // False once the server went away: such a connection is not reused.
    bool Usable() const;
    bool Idle() const;  // connected and outside any transaction

  private:
    explicit PgConnection(PGconn* connection) : Connection_(connection) {}
    Status BeginTransaction(std::string_view operation, SqlIsolation isolation) override;
    Status CommitTransaction(std::string_view operation) override;
    void RollbackTransaction(std::string_view operation) override;

    PGconn* Connection_;
};

// Connections for the threads of one process: a thread takes one for a call and gives it back.
// Connections are made on demand, so the pool grows to the number of threads that use it at once.
class PgPool {
  public:
    class Lease {
      public:
        Lease(PgPool& pool, std::unique_ptr<PgConnection> connection)
            : Pool_(&pool), Connection_(std::move(connection)) {}
        ~Lease();
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        PgConnection& operator*() const { return *Connection_; }

      private:
        PgPool* Pool_;
        std::unique_ptr<PgConnection> Connection_;
    };

    explicit PgPool(std::string url) : Url_(std::move(url)) {}
    Result<Lease> Acquire();

  private:
    void Release(std::unique_ptr<PgConnection> connection);

    std::string Url_;
    std::mutex Mutex_;
    std::vector<std::unique_ptr<PgConnection>> Idle_;
};

}  // namespace doorstep::server
