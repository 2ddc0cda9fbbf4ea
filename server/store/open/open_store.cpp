#include "server/store/open/open_store.hpp"

#include <libpq-fe.h>

#include "server/store/postgres/pg_connection.hpp"
#include "server/store/postgres/pg_server_store.hpp"
#include "server/store/sqlite/sqlite_server_store.hpp"

namespace doorstep::server {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr const char* kSupported =
    "expected sqlite:PATH (e.g. sqlite:./var/doorstep-server.db) or "
    "postgresql://USER:PASSWORD@HOST:PORT/DATABASE";

bool IsPostgresUrl(std::string_view url) {
    return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

// Why libpq cannot read the URL, or nothing. Neither the URL nor libpq's message is repeated with
// the password in it.
std::optional<std::string> PostgresUrlProblem(std::string_view url) {
    std::string text(url);
    char* message = nullptr;
    PQconninfoOption* options = PQconninfoParse(text.c_str(), &message);
    if (options != nullptr) {
        PQconninfoFree(options);
        return std::nullopt;
    }
    std::string why = message != nullptr ? message : "out of memory";
    PQfreemem(message);
    while (!why.empty() && why.back() == '\n') {
        why.pop_back();
    }
    return "database URL " + RedactedPgUrl(url) +
           " is not a valid PostgreSQL URL: " + WithoutPgPassword(why, url);
}

}  // namespace

std::optional<std::string> StoreUrlProblem(std::string_view url) {
    if (url.starts_with(kSqlitePrefix)) {
        if (url.size() == kSqlitePrefix.size()) {
            return "database URL 'sqlite:' names no file; expected sqlite:PATH, e.g. "
                   "sqlite:/var/lib/doorstep/server.db";
        }
        return std::nullopt;
    }
    if (IsPostgresUrl(url)) {
        return PostgresUrlProblem(url);
    }
    if (url.find(':') == std::string_view::npos) {
        return "database URL '" + std::string(url) +
               "' has no scheme; expected sqlite:PATH, e.g. sqlite:" + std::string(url) +
               ", or postgresql://...";
    }
    // Only the scheme is repeated back: a URL may carry a password.
    std::string scheme(url.substr(0, url.find(':')));
    return "database URL scheme '" + scheme + "' is not supported; " + kSupported;
}

Result<std::unique_ptr<ServerStore>> OpenServerStore(std::string_view url,
                                                     const StoreOpenOptions& options) {
    if (std::optional<std::string> problem = StoreUrlProblem(url)) {
        return Error{*problem};
    }
    if (IsPostgresUrl(url)) {
        Result<std::unique_ptr<PgServerStore>> store = PgServerStore::Open(std::string(url));
        if (!store.Ok()) {
            return store.Err();
        }
        return std::unique_ptr<ServerStore>(std::move(*store));
    }
    std::string path(url.substr(kSqlitePrefix.size()));
    Result<std::unique_ptr<SqliteServerStore>> store = SqliteServerStore::Open(path, options);
    if (!store.Ok()) {
        return store.Err();
    }
    return std::unique_ptr<ServerStore>(std::move(*store));
}

}  // namespace doorstep::server
