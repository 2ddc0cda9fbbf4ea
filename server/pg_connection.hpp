// A thin RAII layer over libpq for PgServerStore: a connection, its results, parameters sent as
// text, and a transaction that rolls back unless committed. Failures come back as Error values
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

#include "result.hpp"

namespace doorstep::server {

inline constexpr int kPgRefusedCode = 19;  // the value of SQLITE_CONSTRAINT, as the batch expects
inline constexpr int kPgRetryCode = 40;

// The URL with its password (userinfo or ?password=) replaced by "***", for messages and logs.
std::string RedactedPgUrl(std::string_view url);
// `text` (a message about `url`) with every occurrence of the URL's password replaced by "***".
std::string WithoutPgPassword(std::string text, std::string_view url);

// Query parameters, all sent as text (PostgreSQL casts them to the column types).
class PgParams {
  public:
    PgParams& Text(std::string_view value);
    PgParams& Int(int64_t value);
    PgParams& Double(double value);
    PgParams& Bool(bool value);
    PgParams& Null();
    PgParams& OptionalInt(const std::optional<int64_t>& value);
    size_t Size() const { return Values_.size(); }

  private:
    friend class PgConnection;
    std::vector<std::optional<std::string>> Values_;
};

// The rows of one statement's answer, read as text; numbers are parsed from it.
class PgRows {
  public:
    explicit PgRows(PGresult* result) : Result_(result, PQclear) {}

    int Count() const { return PQntuples(Result_.get()); }
    // How many rows an INSERT, UPDATE or DELETE touched.
    int64_t Affected() const;
    bool IsNull(int row, int column) const { return PQgetisnull(Result_.get(), row, column) != 0; }
    std::string Text(int row, int column) const;  // NULL reads as ""
    int64_t Int(int row, int column) const;       // NULL reads as 0
    double Double(int row, int column) const;
    std::optional<int64_t> OptionalInt(int row, int column) const;

    ExecStatusType Status() const { return PQresultStatus(Result_.get()); }
    std::string SqlState() const;
    const char* ErrorMessage() const {
        return PQresultErrorField(Result_.get(), PG_DIAG_MESSAGE_PRIMARY);
    }

  private:
    std::unique_ptr<PGresult, void (*)(PGresult*)> Result_;
};

// Each row of `rows` turned into a Row with `read(rows, row)`.
template <typename Row, typename Read>
std::vector<Row> ReadPgRows(const PgRows& rows, Read read) {
    std::vector<Row> out;
    out.reserve(static_cast<size_t>(rows.Count()));
    for (int row = 0; row < rows.Count(); ++row) {
        out.push_back(read(rows, row));
    }
    return out;
}

class PgConnection {
  public:
    // Connects and sets the session up (UTC, a 5 s lock timeout, notices not printed). The error
    // names the URL without its password.
    static Result<std::unique_ptr<PgConnection>> Connect(const std::string& url);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    Result<PgRows> Exec(std::string_view operation, const std::string& sql,
                        const PgParams& params = {});
    Status Run(std::string_view operation, const std::string& sql, const PgParams& params = {});
    // The first column of the first row as a number.
    Result<int64_t> QueryInt(std::string_view operation, const std::string& sql,
                             const PgParams& params = {});

    // False once the server went away: such a connection is not reused.
    bool Usable() const;
    bool Idle() const;  // connected and outside any transaction

  private:
    explicit PgConnection(PGconn* connection) : Connection_(connection) {}

    PGconn* Connection_;
};

enum class PgIsolation {
    ReadCommitted,  // writers: each statement sees what committed before it
    Snapshot,       // readers: REPEATABLE READ, READ ONLY: one snapshot for every statement
};

// Rolls back in the destructor unless Commit() succeeded.
class PgTransaction {
  public:
    static Result<PgTransaction> Begin(PgConnection& connection, std::string_view operation,
                                       PgIsolation isolation = PgIsolation::ReadCommitted);
    ~PgTransaction();
    PgTransaction(PgTransaction&& other) noexcept;
    PgTransaction& operator=(PgTransaction&&) = delete;
    PgTransaction(const PgTransaction&) = delete;
    PgTransaction& operator=(const PgTransaction&) = delete;

    Status Commit();

  private:
    PgTransaction(PgConnection& connection, std::string_view operation)
        : Connection_(&connection), Operation_(operation) {}

    PgConnection* Connection_;  // null once committed, rolled back or moved from
    std::string Operation_;
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
