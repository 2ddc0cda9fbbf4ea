#include "server/store/sql_session.hpp"

#include <charconv>
#include <cstdlib>
#include <utility>

namespace doorstep::server {

SqlParams& SqlParams::Text(std::string_view value) {
    Values_.emplace_back(std::string(value));
    return *this;
}

SqlParams& SqlParams::Int(int64_t value) {
    Values_.emplace_back(value);
    return *this;
}

SqlParams& SqlParams::Double(double value) {
    Values_.emplace_back(value);
    return *this;
}

SqlParams& SqlParams::Bool(bool value) {
    Values_.emplace_back(value);
    return *this;
}

SqlParams& SqlParams::Null() {
    Values_.emplace_back(std::monostate());
    return *this;
}

SqlParams& SqlParams::OptionalInt(const std::optional<int64_t>& value) {
    return value ? Int(*value) : Null();
}

bool SqlRows::IsNull(int row, int column) const {
    return std::holds_alternative<std::monostate>(Cell(row, column));
}

std::string SqlRows::Text(int row, int column) const {
    const SqlValue& cell = Cell(row, column);
    if (const auto* text = std::get_if<std::string>(&cell)) {
        return *text;
    }
    if (const auto* number = std::get_if<int64_t>(&cell)) {
        return std::to_string(*number);
    }
    if (const auto* real = std::get_if<double>(&cell)) {
        return std::to_string(*real);
    }
    return "";
}

int64_t SqlRows::Int(int row, int column) const {
    const SqlValue& cell = Cell(row, column);
    if (const auto* number = std::get_if<int64_t>(&cell)) {
        return *number;
    }
    if (const auto* real = std::get_if<double>(&cell)) {
        return static_cast<int64_t>(*real);
    }
    if (const auto* text = std::get_if<std::string>(&cell)) {
        int64_t value = 0;
        std::from_chars(text->data(), text->data() + text->size(), value);  // "12", never "12.0"
        return value;
    }
    return 0;
}

double SqlRows::Double(int row, int column) const {
    const SqlValue& cell = Cell(row, column);
    if (const auto* real = std::get_if<double>(&cell)) {
        return *real;
    }
    if (const auto* number = std::get_if<int64_t>(&cell)) {
        return static_cast<double>(*number);
    }
    if (const auto* text = std::get_if<std::string>(&cell)) {
        return std::strtod(text->c_str(), nullptr);
    }
    return 0;
}

std::optional<int64_t> SqlRows::OptionalInt(int row, int column) const {
    if (IsNull(row, column)) {
        return std::nullopt;
    }
    return Int(row, column);
}

Status SqlSession::Run(std::string_view operation, const std::string& sql,
                       const SqlParams& params) {
    Result<SqlRows> rows = Exec(operation, sql, params);
    if (!rows.Ok()) {
        return rows.Err();
    }
    return Success();
}

Result<int64_t> SqlSession::QueryInt(std::string_view operation, const std::string& sql,
                                     const SqlParams& params) {
    Result<SqlRows> rows = Exec(operation, sql, params);
    if (!rows.Ok()) {
        return rows.Err();
    }
    if (rows->Count() == 0) {
        return Error{std::string(operation) + ": the query returned no row", 1};
    }
    return rows->Int(0, 0);
}

Result<SqlTransaction> SqlTransaction::Begin(SqlSession& session, std::string_view operation,
                                             SqlIsolation isolation) {
    if (Status begun = session.BeginTransaction(operation, isolation); !begun.Ok()) {
        return begun.Err();
    }
    return SqlTransaction(session, operation);
}

SqlTransaction::~SqlTransaction() {
    if (Session_ != nullptr) {
        Session_->RollbackTransaction(Operation_);
    }
}

SqlTransaction::SqlTransaction(SqlTransaction&& other) noexcept
    : Session_(std::exchange(other.Session_, nullptr)), Operation_(std::move(other.Operation_)) {}

Status SqlTransaction::Commit() {
    SqlSession* session = std::exchange(Session_, nullptr);
    if (session == nullptr) {
        return Error{Operation_ + " (commit): the transaction is no longer open", 0};
    }
    return session->CommitTransaction(Operation_);
}

}  // namespace doorstep::server
