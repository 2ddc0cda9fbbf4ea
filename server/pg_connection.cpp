#include "pg_connection.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "server_store.hpp"

namespace doorstep::server {
namespace {

constexpr size_t kMaxIdleConnections = 8;

// The Code an Error gets from an SQLSTATE (docs: "PostgreSQL Error Codes").
int CodeOfSqlState(std::string_view state) {
    if (state == "40001" || state == "40P01") {  // serialization failure, deadlock
        return kPgRetryCode;
    }
    if (state == "55P03" || state == "57014") {  // lock_timeout, statement_timeout
        return kStoreBusyCode;
    }
    if (state.starts_with("22") || state.starts_with("23")) {  // data exception, constraint
        return kPgRefusedCode;
    }
    return 1;
}

std::string Trimmed(const char* message) {
    std::string text = message != nullptr ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

void IgnoreNotice(void* /*unused*/, const char* /*message*/) {}

}  // namespace

namespace {

// Where the URL carries a password: after "user:" in its userinfo, and each ?password= value.
std::vector<std::pair<size_t, size_t>> PasswordSpans(std::string_view url) {
    std::vector<std::pair<size_t, size_t>> spans;  // (position, length), ascending
    size_t scheme_end = url.find("://");
    if (scheme_end != std::string_view::npos) {
        size_t authority = scheme_end + 3;
        size_t authority_end = std::min(url.find_first_of("/?", authority), url.size());
        size_t at = url.substr(0, authority_end).rfind('@');
        size_t colon = url.find(':', authority);
        if (at != std::string_view::npos && at >= authority && colon < at) {
            spans.emplace_back(colon + 1, at - colon - 1);
        }
    }
    for (size_t at = url.find("password="); at != std::string_view::npos;
         at = url.find("password=", at + 1)) {
        size_t value = at + 9;
        spans.emplace_back(value, std::min(url.find('&', value), url.size()) - value);
    }
    return spans;
}

}  // namespace

std::string RedactedPgUrl(std::string_view url) {
    std::string text(url);
    std::vector<std::pair<size_t, size_t>> spans = PasswordSpans(url);
    for (size_t i = spans.size(); i-- > 0;) {  // from the back: earlier positions stay valid
        text.replace(spans[i].first, spans[i].second, "***");
    }
    return text;
}

std::string WithoutPgPassword(std::string text, std::string_view url) {
    for (const auto& [position, length] : PasswordSpans(url)) {
        std::string password(url.substr(position, length));
        if (password.empty()) {
            continue;
        }
        for (size_t at = text.find(password); at != std::string::npos;
             at = text.find(password, at + 3)) {
            text.replace(at, password.size(), "***");
        }
    }
    return text;
}

// --- parameters and rows ------------------------------------------------------------------------

PgParams& PgParams::Text(std::string_view value) {
    Values_.emplace_back(std::string(value));
    return *this;
}

PgParams& PgParams::Int(int64_t value) {
    Values_.emplace_back(std::to_string(value));
    return *this;
}

PgParams& PgParams::Double(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    Values_.emplace_back(std::string(text));
    return *this;
}

PgParams& PgParams::Bool(bool value) {
    Values_.emplace_back(std::string(value ? "true" : "false"));
    return *this;
}

PgParams& PgParams::Null() {
    Values_.emplace_back(std::nullopt);
    return *this;
}

PgParams& PgParams::OptionalInt(const std::optional<int64_t>& value) {
    return value ? Int(*value) : Null();
}

int64_t PgRows::Affected() const {
    const char* count = PQcmdTuples(Result_.get());
    return count != nullptr && *count != '\0' ? std::strtoll(count, nullptr, 10) : 0;
}

std::string PgRows::SqlState() const {
    const char* state = PQresultErrorField(Result_.get(), PG_DIAG_SQLSTATE);
    return state != nullptr ? state : "";
}

std::string PgRows::Text(int row, int column) const {
    return std::string(PQgetvalue(Result_.get(), row, column),
                       static_cast<size_t>(PQgetlength(Result_.get(), row, column)));
}

int64_t PgRows::Int(int row, int column) const {
    const char* text = PQgetvalue(Result_.get(), row, column);
    const char* end = text + PQgetlength(Result_.get(), row, column);
    int64_t value = 0;
    std::from_chars(text, end, value);  // sum() of bigint is numeric: "12", never "12.0"
    return value;
}

double PgRows::Double(int row, int column) const {
    return std::strtod(PQgetvalue(Result_.get(), row, column), nullptr);
}

std::optional<int64_t> PgRows::OptionalInt(int row, int column) const {
    if (IsNull(row, column)) {
        return std::nullopt;
    }
    return Int(row, column);
}

// --- the connection -----------------------------------------------------------------------------

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& url) {
    PGconn* connection = PQconnectdb(url.c_str());
    if (connection == nullptr) {
        return Error{"cannot connect to PostgreSQL: out of memory", 1};
    }
    std::unique_ptr<PgConnection> owned(new PgConnection(connection));
    if (PQstatus(connection) != CONNECTION_OK) {
        return Error{"cannot connect to PostgreSQL at " + RedactedPgUrl(url) + ": " +
                         WithoutPgPassword(Trimmed(PQerrorMessage(connection)), url),
                     1};
    }
    PQsetNoticeProcessor(connection, IgnoreNotice, nullptr);
    // A lock held longer than SQLite's busy timeout is "busy" (503, Retry-After) here too.
    Status set_up = owned->Run("set up the session",
                               "SET TIME ZONE 'UTC'; SET lock_timeout = '5s'; "
                               "SET application_name = 'doorstep-server'");
    if (!set_up.Ok()) {
        return set_up.Err();
    }
    return owned;
}

PgConnection::~PgConnection() {
    PQfinish(Connection_);
}

Result<PgRows> PgConnection::Exec(std::string_view operation, const std::string& sql,
                                  const PgParams& params) {
    std::vector<const char*> values;
    values.reserve(params.Values_.size());
    for (const std::optional<std::string>& value : params.Values_) {
        values.push_back(value ? value->c_str() : nullptr);
    }
    // Without parameters PQexec allows several statements in one string (the migrations).
    PgRows rows(params.Values_.empty()
                    ? PQexec(Connection_, sql.c_str())
                    : PQexecParams(Connection_, sql.c_str(), static_cast<int>(values.size()),
                                   nullptr, values.data(), nullptr, nullptr, 0));
    ExecStatusType status = rows.Status();
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        return rows;
    }
    std::string state = rows.SqlState();
    std::string message = Trimmed(rows.ErrorMessage());
    if (message.empty()) {
        message = Trimmed(PQerrorMessage(Connection_));  // no result: the connection failed
    }
    return Error{std::string(operation) + ": " + message +
                     (state.empty() ? std::string() : " (SQLSTATE " + state + ")"),
                 CodeOfSqlState(state)};
}

Status PgConnection::Run(std::string_view operation, const std::string& sql,
                         const PgParams& params) {
    Result<PgRows> rows = Exec(operation, sql, params);
    if (!rows.Ok()) {
        return rows.Err();
    }
    return Success();
}

Result<int64_t> PgConnection::QueryInt(std::string_view operation, const std::string& sql,
                                       const PgParams& params) {
    Result<PgRows> rows = Exec(operation, sql, params);
    if (!rows.Ok()) {
        return rows.Err();
    }
    if (rows->Count() == 0) {
        return Error{std::string(operation) + ": the query returned no row", 1};
    }
    return rows->Int(0, 0);
}

bool PgConnection::Usable() const {
    return PQstatus(Connection_) == CONNECTION_OK;
}

bool PgConnection::Idle() const {
    return Usable() && PQtransactionStatus(Connection_) == PQTRANS_IDLE;
}

// --- transactions -------------------------------------------------------------------------------

Result<PgTransaction> PgTransaction::Begin(PgConnection& connection, std::string_view operation,
                                           PgIsolation isolation) {
    const char* begin = isolation == PgIsolation::Snapshot
                            ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                            : "BEGIN";
    if (Status begun = connection.Run(operation, begin); !begun.Ok()) {
        return begun.Err();
    }
    return PgTransaction(connection, operation);
}

PgTransaction::~PgTransaction() {
    if (Connection_ != nullptr && Connection_->Usable()) {
        (void)Connection_->Run(Operation_, "ROLLBACK");
    }
}

PgTransaction::PgTransaction(PgTransaction&& other) noexcept
    : Connection_(other.Connection_), Operation_(std::move(other.Operation_)) {
    other.Connection_ = nullptr;
}

Status PgTransaction::Commit() {
    PgConnection* connection = Connection_;
    Connection_ = nullptr;  // a failed COMMIT has ended the transaction too
    return connection->Run(Operation_ + ": commit", "COMMIT");
}

// --- the pool -----------------------------------------------------------------------------------

PgPool::Lease::~Lease() {
    if (Pool_ != nullptr && Connection_ && Connection_->Idle()) {
        Pool_->Release(std::move(Connection_));
    }
}

Result<PgPool::Lease> PgPool::Acquire() {
    {
        std::lock_guard lock(Mutex_);
        if (!Idle_.empty()) {
            std::unique_ptr<PgConnection> connection = std::move(Idle_.back());
            Idle_.pop_back();
            return Lease(*this, std::move(connection));
        }
    }
    Result<std::unique_ptr<PgConnection>> connected = PgConnection::Connect(Url_);
    if (!connected.Ok()) {
        return connected.Err();
    }
    return Lease(*this, std::move(*connected));
}

void PgPool::Release(std::unique_ptr<PgConnection> connection) {
    std::lock_guard lock(Mutex_);
    if (Idle_.size() < kMaxIdleConnections) {
        Idle_.push_back(std::move(connection));
    }
}

}  // namespace doorstep::server
