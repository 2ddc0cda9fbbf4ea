// The small statement interface the generic store (sql_server_store.hpp) is written against, and
// that each database dialect supplies: server/store/sqlite (one file, one writer) and
// server/store/postgres (a pool of libpq connections).
//
// A statement is SQL text with numbered parameters `$1`, `$2`, ... (both databases read that
// form: SQLite as named parameters), its values typed in SqlParams, and its answer read back whole
// as SqlRows. Errors are the dialect's own, naming the operation, with the Code the store already
// speaks (kStoreBusyCode, a constraint, ...). Only the SQL that really differs between the two
// databases is asked of the dialect: row locks, cross-server locks, a few function names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/base/result.hpp"

namespace doorstep::server {

// One value of a statement or of its answer.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string, bool>;

// The values of `$1`, `$2`, ... in order.
class SqlParams {
  public:
    SqlParams& Text(std::string_view value);
    SqlParams& Int(int64_t value);
    SqlParams& Double(double value);
    SqlParams& Bool(bool value);
    SqlParams& Null();
    SqlParams& OptionalInt(const std::optional<int64_t>& value);
    size_t Size() const { return Values_.size(); }
    const std::vector<SqlValue>& Values() const { return Values_; }

  private:
    std::vector<SqlValue> Values_;
};

// A statement's whole answer. Numbers read from text cells (PostgreSQL answers in text) are
// parsed; NULL reads as "" or 0.
class SqlRows {
  public:
    SqlRows() = default;
    SqlRows(int columns, std::vector<SqlValue> cells, int64_t affected)
        : Columns_(columns), Cells_(std::move(cells)), Affected_(affected) {}

    int Count() const { return Columns_ == 0 ? 0 : static_cast<int>(Cells_.size()) / Columns_; }
    // How many rows an INSERT, UPDATE or DELETE touched.
    int64_t Affected() const { return Affected_; }
    bool IsNull(int row, int column) const;
    std::string Text(int row, int column) const;
    int64_t Int(int row, int column) const;
    double Double(int row, int column) const;
    std::optional<int64_t> OptionalInt(int row, int column) const;

  private:
    const SqlValue& Cell(int row, int column) const {
        return Cells_[static_cast<size_t>(row) * static_cast<size_t>(Columns_) +
                      static_cast<size_t>(column)];
    }

    int Columns_ = 0;
    std::vector<SqlValue> Cells_;  // row by row
    int64_t Affected_ = 0;
};

// Each row of `rows` turned into a Row with `read(rows, row)`.
template <typename Row, typename Read>
std::vector<Row> ReadSqlRows(const SqlRows& rows, Read read) {
    std::vector<Row> out;
    out.reserve(static_cast<size_t>(rows.Count()));
    for (int row = 0; row < rows.Count(); ++row) {
        out.push_back(read(rows, row));
    }
    return out;
}

enum class SqlIsolation {
    Write,     // SQLite: BEGIN IMMEDIATE; PostgreSQL: READ COMMITTED
    Snapshot,  // readers: one consistent snapshot for every statement (PostgreSQL: READ ONLY)
};

// What several servers on one database must do one at a time. SQLite's single writer already
// serialises them; PostgreSQL takes a transaction-scoped advisory lock.
enum class SqlLock { Alerts, Surveys };

// One connection, used by one thread for one call.
class SqlSession {
  public:
    virtual ~SqlSession() = default;

    // `operation` names the statement; every error starts with it.
    virtual Result<SqlRows> Exec(std::string_view operation, const std::string& sql,
                                 const SqlParams& params) = 0;
    Result<SqlRows> Exec(std::string_view operation, const std::string& sql) {
        return Exec(operation, sql, SqlParams());
    }
    Status Run(std::string_view operation, const std::string& sql,
               const SqlParams& params = SqlParams());
    // The first column of the first row as a number.
    Result<int64_t> QueryInt(std::string_view operation, const std::string& sql,
                             const SqlParams& params = SqlParams());

    // Inside a transaction: waits for the other servers' holders of `lock`, until it ends.
    virtual Status Lock(SqlLock lock) = 0;
    // Appended to a SELECT inside a writing transaction: locks the rows it reads (" FOR UPDATE").
    virtual std::string_view ForUpdate() const = 0;
    // Appended to a subquery choosing a row to claim: skips rows another server is claiming.
    virtual std::string_view ForUpdateSkipLocked() const = 0;
    // The name of the two-argument maximum: greatest(a, b) or max(a, b).
    virtual std::string_view Greatest() const = 0;
    // After a text expression: orders it byte by byte, whatever the database's locale.
    virtual std::string_view BinaryCollation() const = 0;

  private:
    friend class SqlTransaction;
    virtual Status BeginTransaction(std::string_view operation, SqlIsolation isolation) = 0;
    // On failure the transaction has ended too: nothing of it is visible.
    virtual Status CommitTransaction(std::string_view operation) = 0;
    virtual void RollbackTransaction(std::string_view operation) = 0;
};

// Rolls back in the destructor unless Commit() succeeded.
class SqlTransaction {
  public:
    static Result<SqlTransaction> Begin(SqlSession& session, std::string_view operation,
                                        SqlIsolation isolation = SqlIsolation::Write);
    ~SqlTransaction();
    SqlTransaction(SqlTransaction&& other) noexcept;
    SqlTransaction& operator=(SqlTransaction&&) = delete;
    SqlTransaction(const SqlTransaction&) = delete;
    SqlTransaction& operator=(const SqlTransaction&) = delete;

    Status Commit();

  private:
    SqlTransaction(SqlSession& session, std::string_view operation)
        : Session_(&session), Operation_(operation) {}

    SqlSession* Session_;  // null once committed, rolled back or moved from
    std::string Operation_;
};

}  // namespace doorstep::server
