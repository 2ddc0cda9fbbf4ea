// A thin RAII layer over the sqlite3 C API: prepared statements and transactions that report
// failures as Error values naming the operation, e.g. "insert response: disk I/O error (code 10)".
//
// Only what the store needs: bind by index, step, read columns, reset. No exceptions; no
// ownership of the connection (the Store owns the sqlite3*).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace doorstep {

// "<operation>: <sqlite3_errmsg> (code N)"; Code is the primary result code (SQLITE_IOERR, ...).
// The extended code, when it says more, is added to the text for the log.
Error SqliteError(sqlite3* db, std::string_view operation, int result_code);

// Runs SQL without results (pragmas that return nothing, DDL, BEGIN/COMMIT).
Status ExecSql(sqlite3* db, std::string_view operation, const char* sql);

// The first column of the first row, for one-value queries (PRAGMA user_version, count(*)).
Result<int64_t> QueryInt64(sqlite3* db, std::string_view operation, std::string_view sql);
// "ok" when `PRAGMA integrity_check` passes, otherwise its report, one problem a line.
Result<std::string> IntegrityReport(sqlite3* db);

class Statement {
  public:
    // `operation` names what the statement is for; every error it reports starts with it.
    static Result<Statement> Prepare(sqlite3* db, std::string_view operation, std::string_view sql);

    Statement() = default;
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binds use 1-based indexes, as in SQL. A failed bind is kept and reported by the next Step(),
    // so a call site reads as a plain list of binds.
    void BindInt64(int index, int64_t value);
    void BindText(int index, std::string_view value);  // copied by SQLite (SQLITE_TRANSIENT)
    // Not copied (SQLITE_STATIC): `value` must stay alive and unchanged until Reset(). Only for
    // hot loops over data that outlives the statement's use, such as a batch being stored.
    void BindTextUnowned(int index, std::string_view value);
    void BindNull(int index);
    void BindDouble(int index, double value);
    void BindOptional(int index, const std::optional<int64_t>& value);
    void BindTextOrNull(int index, std::string_view value);  // empty text is stored as NULL

    // true: a row is ready to read; false: the statement has finished.
    Result<bool> Step();
    // Steps to the end, for statements that return no rows (INSERT, UPDATE, ...).
    Status Run();

    // Column getters use 0-based indexes, as sqlite3_column_* does.
    int64_t ColumnInt64(int index) const;
    double ColumnDouble(int index) const;
    std::string ColumnText(int index) const;  // NULL reads as ""
    bool ColumnIsNull(int index) const;
    std::optional<int64_t> ColumnOptionalInt64(int index) const;
    int ColumnCount() const;
    int ColumnType(int index) const;  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, ... of this row
    // The highest parameter number the statement names (?N counts as N).
    int ParameterCount() const;
    bool ReadOnly() const;  // writes nothing (sqlite3_stmt_readonly)

    // Makes the statement ready to run again: ends any read it holds open, clears the bindings and
    // any pending bind error. Cached statements must be reset after every use (see ResetOnExit).
    void Reset();

    const std::string& Operation() const { return Operation_; }

  private:
    Statement(sqlite3* db, sqlite3_stmt* handle, std::string_view operation);
    void NoteBindResult(int result_code);

    sqlite3* Db_ = nullptr;
    sqlite3_stmt* Handle_ = nullptr;
    std::string Operation_;
    int BindFailure_ = 0;  // first failed bind's result code, 0 when all bound
};

// Steps `select` to its end and turns each row into a Row with `read(const Statement&)`.
template <typename Row, typename Read>
Result<std::vector<Row>> ReadAllRows(Statement& select, Read read) {
    std::vector<Row> rows;
    for (;;) {
        Result<bool> row = select.Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            return rows;
        }
        rows.push_back(read(select));
    }
}

// Steps `select` once: the row turned into a Row with `read(const Statement&)`, or nothing when
// the query has no row.
template <typename Row, typename Read>
Result<std::optional<Row>> ReadOptionalRow(Statement& select, Read read) {
    Result<bool> row = select.Step();
    if (!row.Ok()) {
        return row.Err();
    }
    if (!*row) {
        return std::optional<Row>();
    }
    return std::optional<Row>(read(select));
}

// Resets a (cached) statement at the end of a scope, on every path, so it never keeps a read
// snapshot open or leaks its bindings into the next use.
class ResetOnExit {
  public:
    explicit ResetOnExit(Statement& statement) : Statement_(statement) {}
    ~ResetOnExit() { Statement_.Reset(); }
    ResetOnExit(const ResetOnExit&) = delete;
    ResetOnExit& operator=(const ResetOnExit&) = delete;

  private:
    Statement& Statement_;
};

enum class TransactionMode {
    Immediate,  // takes the write lock at BEGIN: a busy database fails here, before any work
    Deferred,   // read transactions: one consistent snapshot across several statements
};

// Rolls back in the destructor unless Commit() succeeded.
class Transaction {
  public:
    static Result<Transaction> Begin(sqlite3* db, std::string_view operation,
                                     TransactionMode mode = TransactionMode::Immediate);
    ~Transaction();
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    // On failure the transaction is rolled back (by SQLite or by the destructor): nothing written
    // inside it is visible.
    Status Commit();

  private:
    Transaction(sqlite3* db, std::string_view operation) : Db_(db), Operation_(operation) {}
    void RollbackIfOpen();

    sqlite3* Db_ = nullptr;  // nullptr once committed, rolled back or moved from
    std::string Operation_;
};

}  // namespace doorstep
