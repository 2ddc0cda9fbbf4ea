#include "server/store/postgres/pg_connection.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "server/store/server_store.hpp"

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

namespace {

// --- one statement's answer --------------------------------------------------------------------

// Frees a PGresult on every path.
class PgResult {
  public:
    explicit PgResult(PGresult* result) : Result_(result, PQclear) {}
    PGresult* Get() const { return Result_.get(); }
    ExecStatusType Status() const { return PQresultStatus(Result_.get()); }
    std::string SqlState() const {
        const char* state = PQresultErrorField(Result_.get(), PG_DIAG_SQLSTATE);
        return state != nullptr ? state : "";
    }
    const char* ErrorMessage() const {
        return PQresultErrorField(Result_.get(), PG_DIAG_MESSAGE_PRIMARY);
    }

  private:
    std::unique_ptr<PGresult, void (*)(PGresult*)> Result_;
};

// The answer as text cells (NULL as no value), with the count of rows it touched.
SqlRows ReadResult(const PgResult& result) {
    PGresult* answer = result.Get();
    int rows = PQntuples(answer);
    int columns = PQnfields(answer);
    std::vector<SqlValue> cells;
    cells.reserve(static_cast<size_t>(rows) * static_cast<size_t>(columns));
    for (int row = 0; row < rows; ++row) {
        for (int column = 0; column < columns; ++column) {
            if (PQgetisnull(answer, row, column) != 0) {
                cells.emplace_back(std::monostate());
            } else {
                cells.emplace_back(
                    std::string(PQgetvalue(answer, row, column),
                                static_cast<size_t>(PQgetlength(answer, row, column))));
            }
        }
    }
    const char* count = PQcmdTuples(answer);
    int64_t affected = count != nullptr && *count != '\0' ? std::strtoll(count, nullptr, 10) : 0;
    return SqlRows(columns, std::move(cells), affected);
}

// A parameter as the text PostgreSQL reads (nothing for NULL).
std::optional<std::string> ParamText(const SqlValue& value) {
    if (const auto* text = std::get_if<std::string>(&value)) {
        return *text;
    }
    if (const auto* number = std::get_if<int64_t>(&value)) {
        return std::to_string(*number);
    }
    if (const auto* real = std::get_if<double>(&value)) {
        char text[32];
        std::snprintf(text, sizeof text, "%.17g", *real);
        return std::string(text);
    }
    if (const auto* flag = std::get_if<bool>(&value)) {
        return std::string(*flag ? "true" : "false");
    }
    return std::nullopt;
}

}  // namespace

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

Result<SqlRows> PgConnection::Exec(std::string_view operation, const std::string& sql,
                                   const SqlParams& params) {
    std::vector<std::optional<std::string>> texts;
    texts.reserve(params.Size());
    for (const SqlValue& value : params.Values()) {
        texts.push_back(ParamText(value));
    }
    std::vector<const char*> values;
    values.reserve(texts.size());
    for (const std::optional<std::string>& text : texts) {
        values.push_back(text ? text->c_str() : nullptr);
    }
    // Without parameters PQexec allows several statements in one string (the migrations).
    PgResult result(texts.empty()
                        ? PQexec(Connection_, sql.c_str())
                        : PQexecParams(Connection_, sql.c_str(), static_cast<int>(values.size()),
                                       nullptr, values.data(), nullptr, nullptr, 0));
    ExecStatusType status = result.Status();
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        return ReadResult(result);
    }
    std::string state = result.SqlState();
    std::string message = Trimmed(result.ErrorMessage());
    if (message.empty()) {
        message = Trimmed(PQerrorMessage(Connection_));  // no result: the connection failed
    }
    return Error{std::string(operation) + ": " + message +
                     (state.empty() ? std::string() : " (SQLSTATE " + state + ")"),
                 CodeOfSqlState(state)};
}

Status PgConnection::Lock(SqlLock lock) {
    bool alerts = lock == SqlLock::Alerts;
    return Run(alerts ? "lock the alerts" : "lock the survey configuration",
               "SELECT pg_advisory_xact_lock($1, $2)",
               SqlParams().Int(kPgLockSpace).Int(alerts ? kPgLockAlerts : kPgLockSurveys));
}

bool PgConnection::Usable() const {
    return PQstatus(Connection_) == CONNECTION_OK;
}

bool PgConnection::Idle() const {
    return Usable() && PQtransactionStatus(Connection_) == PQTRANS_IDLE;
}

// --- transactions -------------------------------------------------------------------------------

Status PgConnection::BeginTransaction(std::string_view operation, SqlIsolation isolation) {
    return Run(operation, isolation == SqlIsolation::Snapshot
                              ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                              : "BEGIN");
}

Status PgConnection::CommitTransaction(std::string_view operation) {
    return Run(std::string(operation) + ": commit", "COMMIT");  // a failed COMMIT ends it too
}

void PgConnection::RollbackTransaction(std::string_view operation) {
    if (Usable()) {
        (void)Run(operation, "ROLLBACK");
    }
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
