// The web dashboard's own files, served from the copies compiled into doorstep-server
// (web_assets.hpp): "/" is the page, everything it loads sits beside it. The page talks to
// /api/ like any other client.
#pragma once

#include <optional>

#include "server/api/api_message.hpp"

namespace doorstep::server {

// The file a GET (or HEAD) asks for, with caching and security headers; a 304 when the browser's
// copy (If-None-Match) is current. Nothing when the path names no dashboard file.
std::optional<ApiReply> DashboardFile(const ApiRequest& request);

}  // namespace doorstep::server
