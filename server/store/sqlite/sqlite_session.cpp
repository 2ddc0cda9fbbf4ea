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

// The generic SQL's $N parameters as SQLite's ?N, whose index is N itself: looking up "$N" by
// name costs a walk of every parameter, which made a statement of a thousand parameters
// (an outcomes import) spend most of its time binding. Quoted text is left as it is.
std::string NumberedParameters(const std::string& sql) {
    std::string numbered = sql;
    bool quoted = false;
    for (size_t i = 0; i + 1 < numbered.size(); ++i) {
        if (numbered[i] == '\'') {
            quoted = !quoted;
        } else if (!quoted && numbered[i] == '$' && numbered[i + 1] >= '0' &&
                   numbered[i + 1] <= '9') {
            numbered[i] = '?';
        }
    }
    return numbered;
}

}  // namespace

Result<SqlRows> SqliteSession::Exec(std::string_view operation, const std::string& sql,
                                    const SqlParams& params) {
    Result<Statement> statement = Statement::Prepare(Db_, operation, NumberedParameters(sql));
    if (!statement.Ok()) {
        return statement.Err();
    }
    // ?N binds at N; a parameter the statement does not use is skipped, as PostgreSQL refuses one.
    const int highest = statement->ParameterCount();
    for (size_t i = 0; i < params.Size() && static_cast<int>(i) < highest; ++i) {
        Bind(*statement, static_cast<int>(i) + 1, params.Values()[i]);
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
