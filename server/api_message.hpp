// An HTTP request and answer as the API handlers see them: plain values, no HTTP library types,
// so the handlers read as the protocol document does and the HTTP layer stays a thin adapter.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace doorstep::server {

struct ApiRequest {
    std::string Method;
    std::string Path;
    std::map<std::string, std::string> Headers;  // names in lower case; the first value of each
    // Exactly as sent (gzip for POST bodies). A view: the HTTP layer's buffer outlives the call,
    // and a body may be megabytes.
    std::string_view Body;
    std::map<std::string, std::string> Query;  // decoded query parameters; the first of each

    // The header's value, or "" when absent. `name` in any case.
    std::string Header(std::string_view name) const;
    bool HasHeader(std::string_view name) const;
    // The value of a cookie from the Cookie header, or "" when absent.
    std::string Cookie(std::string_view name) const;
};

struct ApiReply {
    int Status = 200;
    std::string Body;  // JSON unless ContentType says otherwise
    std::string ContentType = "application/json";
    std::vector<std::pair<std::string, std::string>> Headers;  // beyond Content-Type

    // For the request log line only.
    std::string DeviceId;
    size_t Items = 0;
};

// {"error": code, "message": message, ...extra} with the given status. `extra_json` is a JSON
// object text whose members are added (e.g. {"limit": 1000}).
ApiReply ErrorReply(int status, std::string_view code, std::string_view message,
                    std::string_view extra_json = "{}");

// A JSON answer with status 200.
ApiReply JsonReply(std::string body);

}  // namespace doorstep::server
