// The one place that knows every database: which store a `--db` URL names, and opening it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

// Why a `--db` URL cannot be opened by this build (in words for the operator), or nothing when it
// names a supported store. Checks the form only; the file or the database server is opened by
// OpenServerStore(). Never repeats a password.
std::optional<std::string> StoreUrlProblem(std::string_view url);

// Opens the store a `--db` URL names. Supported: "sqlite:PATH" and "postgresql://..." (or
// "postgres://...", libpq's URI). Anything else is an error that says what is supported.
Result<std::unique_ptr<ServerStore>> OpenServerStore(std::string_view url,
                                                     const StoreOpenOptions& options = {});

}  // namespace doorstep::server
