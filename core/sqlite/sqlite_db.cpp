#include "core/sqlite/sqlite_db.hpp"

#include <sqlite3.h>

#include <utility>

#include "core/base/log.hpp"

namespace doorstep {

Error SqliteError(sqlite3* db, std::string_view operation, int result_code) {
    int primary = result_code & 0xff;
    // sqlite3_errmsg names the detail ("UNIQUE constraint failed: responses.uuid"); without a
    // connection (or once it moved on) only the code's generic text is left.
    const char* detail = db != nullptr && (sqlite3_errcode(db) & 0xff) == primary
                             ? sqlite3_errmsg(db)
                             : sqlite3_errstr(result_code);
    std::string message(operation);
    message += ": ";
    message += detail;
    message += " (code " + std::to_string(primary);
    if (result_code != primary) {
        message += ", extended " + std::to_string(result_code);
    }
    message += ")";
    return Error{std::move(message), primary};
}

Status ExecSql(sqlite3* db, std::string_view operation, const char* sql) {
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        return SqliteError(db, operation, rc);
    }
    return Success();
}

// --- Statement ---------------------------------------------------------------------------------

Statement::Statement(sqlite3* db, sqlite3_stmt* handle, std::string_view operation)
    : Db_(db), Handle_(handle), Operation_(operation) {}

Result<Statement> Statement::Prepare(sqlite3* db, std::string_view operation,
                                     std::string_view sql) {
    sqlite3_stmt* handle = nullptr;
    // PERSISTENT: a hint that the statement lives long (the store caches most of its statements).
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &handle, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(handle);
        return SqliteError(db, std::string("prepare ") + std::string(operation), rc);
    }
    return Statement(db, handle, operation);
}

Statement::~Statement() {
    sqlite3_finalize(Handle_);
}

Statement::Statement(Statement&& other) noexcept
    : Db_(std::exchange(other.Db_, nullptr)),
      Handle_(std::exchange(other.Handle_, nullptr)),
      Operation_(std::move(other.Operation_)),
      BindFailure_(std::exchange(other.BindFailure_, 0)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(Handle_);
        Db_ = std::exchange(other.Db_, nullptr);
        Handle_ = std::exchange(other.Handle_, nullptr);
        Operation_ = std::move(other.Operation_);
        BindFailure_ = std::exchange(other.BindFailure_, 0);
    }
    return *this;
}

void Statement::NoteBindResult(int result_code) {
    if (result_code != SQLITE_OK && BindFailure_ == 0) {
        BindFailure_ = result_code;
    }
}

void Statement::BindInt64(int index, int64_t value) {
    NoteBindResult(sqlite3_bind_int64(Handle_, index, value));
}

void Statement::BindText(int index, std::string_view value) {
    // An empty view may have no storage; SQLite would read a null pointer as NULL, not ''.
    const char* text = value.data() != nullptr ? value.data() : "";
    NoteBindResult(
        sqlite3_bind_text64(Handle_, index, text, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void Statement::BindTextUnowned(int index, std::string_view value) {
    const char* text = value.data() != nullptr ? value.data() : "";
    NoteBindResult(
        sqlite3_bind_text64(Handle_, index, text, value.size(), SQLITE_STATIC, SQLITE_UTF8));
}

void Statement::BindDouble(int index, double value) {
    NoteBindResult(sqlite3_bind_double(Handle_, index, value));
}

void Statement::BindNull(int index) {
    NoteBindResult(sqlite3_bind_null(Handle_, index));
}

void Statement::BindOptional(int index, const std::optional<int64_t>& value) {
    if (value.has_value()) {
        BindInt64(index, *value);
    } else {
        BindNull(index);
    }
}

void Statement::BindTextOrNull(int index, std::string_view value) {
    if (value.empty()) {
        BindNull(index);
    } else {
        BindText(index, value);
    }
}

Result<bool> Statement::Step() {
    if (BindFailure_ != 0) {
        return SqliteError(Db_, Operation_ + " (bind)", BindFailure_);
    }
    int rc = sqlite3_step(Handle_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    return SqliteError(Db_, Operation_, rc);
}

Status Statement::Run() {
    for (;;) {
        Result<bool> row = Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            return Success();
        }
    }
}

int64_t Statement::ColumnInt64(int index) const {
    return sqlite3_column_int64(Handle_, index);
}

double Statement::ColumnDouble(int index) const {
    return sqlite3_column_double(Handle_, index);
}

std::string Statement::ColumnText(int index) const {
    // Read the pointer before the size: that order is the documented safe one.
    const unsigned char* text = sqlite3_column_text(Handle_, index);
    int size = sqlite3_column_bytes(Handle_, index);
    if (text == nullptr) {
        return {};
    }
    return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

bool Statement::ColumnIsNull(int index) const {
    return sqlite3_column_type(Handle_, index) == SQLITE_NULL;
}

std::optional<int64_t> Statement::ColumnOptionalInt64(int index) const {
    if (ColumnIsNull(index)) {
        return std::nullopt;
    }
    return ColumnInt64(index);
}

int Statement::ColumnCount() const {
    return sqlite3_column_count(Handle_);
}

int Statement::ColumnType(int index) const {
    return sqlite3_column_type(Handle_, index);
}

int Statement::ParameterCount() const {
    return sqlite3_bind_parameter_count(Handle_);
}

bool Statement::ReadOnly() const {
    return sqlite3_stmt_readonly(Handle_) != 0;
}

void Statement::Reset() {
    if (Handle_ == nullptr) {
        return;
    }
    // sqlite3_reset repeats the last step's error; that error was already reported by Step().
    sqlite3_reset(Handle_);
    sqlite3_clear_bindings(Handle_);
    BindFailure_ = 0;
}

Result<int64_t> QueryInt64(sqlite3* db, std::string_view operation, std::string_view sql) {
    Result<Statement> statement = Statement::Prepare(db, operation, sql);
    if (!statement.Ok()) {
        return statement.Err();
    }
    Result<bool> row = statement->Step();
    if (!row.Ok()) {
        return row.Err();
    }
    if (!*row) {
        return Error{std::string(operation) + ": no result", 0};
    }
    return statement->ColumnInt64(0);
}

// --- Transaction -------------------------------------------------------------------------------

Result<Transaction> Transaction::Begin(sqlite3* db, std::string_view operation,
                                       TransactionMode mode) {
    const char* sql = mode == TransactionMode::Immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED";
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        return SqliteError(db, std::string(operation) + " (begin)", rc);
    }
    return Transaction(db, operation);
}

Transaction::Transaction(Transaction&& other) noexcept
    : Db_(std::exchange(other.Db_, nullptr)), Operation_(std::move(other.Operation_)) {}

Transaction::~Transaction() {
    RollbackIfOpen();
}

Status Transaction::Commit() {
    if (Db_ == nullptr) {
        return Error{Operation_ + " (commit): the transaction is no longer open", 0};
    }
    int rc = sqlite3_exec(Db_, "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        Error error = SqliteError(Db_, Operation_ + " (commit)", rc);
        // A failed COMMIT may leave the transaction open (SQLITE_BUSY) or already rolled back (an
        // I/O error): either way it must end here, not linger into the next operation.
        RollbackIfOpen();
        return error;
    }
    Db_ = nullptr;
    return Success();
}

void Transaction::RollbackIfOpen() {
    if (Db_ == nullptr) {
        return;
    }
    sqlite3* db = std::exchange(Db_, nullptr);
    if (sqlite3_get_autocommit(db) != 0) {
        return;  // SQLite already rolled back (after an I/O error or a full disk)
    }
    int rc = sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        Log(LogLevel::Error, "store", "rollback failed",
            {{"operation", Operation_}, {"error", SqliteError(db, "rollback", rc).Message}});
    }
}

Result<std::string> IntegrityReport(sqlite3* db) {
    Result<Statement> check = Statement::Prepare(db, "integrity check", "PRAGMA integrity_check");
    if (!check.Ok()) {
        return check.Err();
    }
    std::string report;
    for (;;) {
        Result<bool> row = check->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            return report;
        }
        if (!report.empty()) {
            report += "\n";
        }
        report += check->ColumnText(0);
    }
}

}  // namespace doorstep
