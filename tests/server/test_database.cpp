#include "test_database.hpp"

#include "server/fleet/enrollment.hpp"
#include "server/store/open/open_store.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

namespace doorstep::testing {
namespace {

// The URL with its database (the path) replaced by `database`.
std::string WithDatabase(const std::string& url, const std::string& database) {
    size_t authority = url.find("://");
    REQUIRE(authority != std::string::npos);
    size_t path = url.find('/', authority + 3);
    size_t query = url.find('?', authority + 3);
    std::string base = url.substr(0, std::min(path, query));
    std::string rest = query == std::string::npos ? "" : url.substr(query);
    return base + "/" + database + rest;
}

// One connection per call: the helpers are for checks, not for speed.
class PgSession {
  public:
    explicit PgSession(const std::string& url) : Connection_(PQconnectdb(url.c_str())) {
        REQUIRE_MESSAGE(PQstatus(Connection_) == CONNECTION_OK,
                        std::string(PQerrorMessage(Connection_)));
        PQsetNoticeProcessor(
            Connection_, [](void*, const char*) {}, nullptr);
    }
    ~PgSession() { PQfinish(Connection_); }
    PgSession(const PgSession&) = delete;
    PgSession& operator=(const PgSession&) = delete;

    // The rows of `sql`; REQUIREs that it ran.
    std::unique_ptr<PGresult, void (*)(PGresult*)> Query(const std::string& sql) {
        std::unique_ptr<PGresult, void (*)(PGresult*)> result(PQexec(Connection_, sql.c_str()),
                                                              PQclear);
        ExecStatusType status = PQresultStatus(result.get());
        REQUIRE_MESSAGE((status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK),
                        sql << ": " << std::string(PQerrorMessage(Connection_)));
        return result;
    }

  private:
    PGconn* Connection_;
};

}  // namespace

const std::string& PostgresServerUrl() {
    static const std::string url = [] {
        const char* value = std::getenv("DOORSTEP_TEST_POSTGRES");
        return std::string(value != nullptr ? value : "");
    }();
    return url;
}

TestDatabase::TestDatabase() {
    if (!UsingPostgres()) {
        Url_ = "sqlite:" + SqlitePath();
        return;
    }
    static std::atomic<int> made{0};
    PgName_ = "doorstep_test_" + std::to_string(::getpid()) + "_" + std::to_string(++made);
    PgSession(PostgresServerUrl()).Query("CREATE DATABASE " + PgName_);
    Url_ = WithDatabase(PostgresServerUrl(), PgName_);
}

TestDatabase::~TestDatabase() {
    if (!PgName_.empty()) {
        // FORCE: servers a test left running (or killed) may still hold connections.
        PgSession(PostgresServerUrl())
            .Query("DROP DATABASE IF EXISTS " + PgName_ + " WITH (FORCE)");
    }
}

std::unique_ptr<server::ServerStore> TestDatabase::Open() const {
    Result<std::unique_ptr<server::ServerStore>> store = server::OpenServerStore(Url_);
    REQUIRE_MESSAGE(store.Ok(), (store.Ok() ? "" : store.Err().Message));
    return std::move(*store);
}

int64_t TestDatabase::QueryInt(const std::string& sql) const {
    if (!IsPostgres()) {
        RawDb raw(SqlitePath());
        return raw.QueryInt(sql.c_str());
    }
    PgSession session(Url_);
    auto result = session.Query(sql);
    REQUIRE(PQntuples(result.get()) >= 1);
    return std::strtoll(PQgetvalue(result.get(), 0, 0), nullptr, 10);
}

std::string TestDatabase::QueryText(const std::string& sql) const {
    if (!IsPostgres()) {
        RawDb raw(SqlitePath());
        return raw.QueryText(sql.c_str());
    }
    PgSession session(Url_);
    auto result = session.Query(sql);
    std::string text;
    for (int row = 0; row < PQntuples(result.get()); ++row) {
        for (int column = 0; column < PQnfields(result.get()); ++column) {
            text += (column == 0 ? "" : "|") + std::string(PQgetvalue(result.get(), row, column));
        }
        text += "\n";
    }
    return text;
}

void TestDatabase::Exec(const std::string& sql) const {
    if (!IsPostgres()) {
        RawDb raw(SqlitePath());
        REQUIRE_MESSAGE(raw.Exec(sql.c_str()) == SQLITE_OK, sql);
        return;
    }
    PgSession(Url_).Query(sql);
}

std::string EnrollDevice(server::ServerStore& store, const std::string& store_name,
                         const std::string& door, int64_t now_ms) {
    Result<std::string> code = server::CreateEnrollmentCode(store, store_name, door, 24, now_ms);
    REQUIRE(code.Ok());
    auto device = server::RedeemEnrollmentCode(store, *code, now_ms);
    REQUIRE(device.Ok());
    REQUIRE(device->has_value());
    return (*device)->DeviceId;
}

std::vector<server::IncomingResponse> SampleItems(int64_t first_seq, int count) {
    std::vector<server::IncomingResponse> items;
    items.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
        items.push_back(server::IncomingResponse{static_cast<size_t>(i), first_seq + i,
                                                 SampleResponse(static_cast<int>(first_seq) + i),
                                                 "", 0});
    }
    return items;
}

}  // namespace doorstep::testing
