#include "server/store/sqlite/sqlite_session.hpp"

#include <sqlite3.h>

#include <string>
#include <utility>
#include <vector>

namespace doorstep::server {
namespace {

void Bind(Statement& statement, int index, const SqlValue& value) {
    if (const auto* text = std::get_if<std::string>(&value)) {
        statement.BindText(index, *text);
    } else if (const auto* number = std::get_if<int64_t>(&value)) {
        statement.BindInt64(index, *number);
    } else if (const auto* real = std::get_if<double>(&value)) {
        statement.BindDouble(index, *real);
    } else if (const auto* flag = std::get_if<bool>(&value)) {
        statement.BindInt64(index, *flag ? 1 : 0);
    } else {
        statement.BindNull(index);
    }
}

SqlValue ReadCell(const Statement& row, int column) {
    switch (row.ColumnType(column)) {
        case SQLITE_INTEGER:
            return row.ColumnInt64(column);
        case SQLITE_FLOAT:
            return row.ColumnDouble(column);
        case SQLITE_NULL:
            return std::monostate();
        default:
            return row.ColumnText(column);
    }
}

}  // namespace

Result<SqlRows> SqliteSession::Exec(std::string_view operation, const std::string& sql,
                                    const SqlParams& params) {
    Result<Statement> statement = Statement::Prepare(Db_, operation, sql);
    if (!statement.Ok()) {
        return statement.Err();
    }
    for (size_t i = 0; i < params.Size(); ++i) {
        int index = statement->ParameterIndex("$" + std::to_string(i + 1));
        if (index > 0) {
            Bind(*statement, index, params.Values()[i]);
        }
    }
    int columns = statement->ColumnCount();
    std::vector<SqlValue> cells;
    for (;;) {
        Result<bool> row = statement->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        for (int column = 0; column < columns; ++column) {
            cells.push_back(ReadCell(*statement, column));
        }
    }
    int64_t affected = statement->ReadOnly() ? 0 : sqlite3_changes64(Db_);
    return SqlRows(columns, std::move(cells), affected);
}

Status SqliteSession::BeginTransaction(std::string_view operation, SqlIsolation isolation) {
    Result<Transaction> begun =
        Transaction::Begin(Db_, operation,
                           isolation == SqlIsolation::Snapshot ? TransactionMode::Deferred
                                                               : TransactionMode::Immediate);
    if (!begun.Ok()) {
        return begun.Err();
    }
    Open_.emplace(std::move(*begun));
    return Success();
}

Status SqliteSession::CommitTransaction(std::string_view operation) {
    if (!Open_) {
        return Error{std::string(operation) + " (commit): the transaction is no longer open", 0};
    }
    Status committed = Open_->Commit();
    Open_.reset();
    return committed;
}

void SqliteSession::RollbackTransaction(std::string_view /*operation*/) {
    Open_.reset();  // Transaction's destructor rolls back
}

}  // namespace doorstep::server
