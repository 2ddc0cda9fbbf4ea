#include "server_store.hpp"

#include "sqlite_server_store.hpp"

namespace doorstep::server {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";

}  // namespace

std::optional<std::string> StoreUrlProblem(std::string_view url) {
    if (url.starts_with(kSqlitePrefix)) {
        if (url.size() == kSqlitePrefix.size()) {
            return "database URL 'sqlite:' names no file; expected sqlite:PATH, e.g. "
                   "sqlite:/var/lib/doorstep/server.db";
        }
        return std::nullopt;
    }
    if (url.find(':') == std::string_view::npos) {
        return "database URL '" + std::string(url) +
               "' has no scheme; expected sqlite:PATH, e.g. sqlite:" + std::string(url);
    }
    // Only the scheme is repeated back: a later URL may carry a password.
    std::string scheme(url.substr(0, url.find(':')));
    if (scheme == "postgres" || scheme == "postgresql") {
        return "database URL scheme '" + scheme +
               "': PostgreSQL is not supported by this build yet; use sqlite:PATH";
    }
    return "database URL scheme '" + scheme +
           "' is not supported; expected sqlite:PATH, e.g. sqlite:./var/doorstep-server.db";
}

Result<std::unique_ptr<ServerStore>> OpenServerStore(std::string_view url,
                                                     const StoreOpenOptions& options) {
    if (std::optional<std::string> problem = StoreUrlProblem(url)) {
        return Error{*problem};
    }
    std::string path(url.substr(kSqlitePrefix.size()));
    Result<std::unique_ptr<SqliteServerStore>> store = SqliteServerStore::Open(path, options);
    if (!store.Ok()) {
        return store.Err();
    }
    return std::unique_ptr<ServerStore>(std::move(*store));
}

}  // namespace doorstep::server
