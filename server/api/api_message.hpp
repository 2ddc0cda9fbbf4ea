// An HTTP request and answer as the API handlers see them: plain values, no HTTP library types,
// so the handlers read as the protocol document does and the HTTP layer stays a thin adapter.
#pragma once

#include <cstddef>
#include <functional>
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

// Hands one piece of a streamed body to the client; false once the client has gone.
using BodyWriter = std::function<bool(std::string_view)>;

struct ApiReply {
    int Status = 200;
    std::string Body;  // JSON unless ContentType says otherwise
    std::string ContentType = "application/json";
    std::vector<std::pair<std::string, std::string>> Headers;  // beyond Content-Type
    // When set, the body is this instead of Body: called once the headers are sent, it writes the
    // body a piece at a time (chunked), so a large download never sits whole in memory. It runs
    // on the request's worker thread after the handler returned; what it needs, it owns. It
    // returns false when the body could not be finished: the connection is then cut before the
    // last chunk, so the client sees a broken download, never a short one that looks whole.
    std::function<bool(const BodyWriter&)> Stream;

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
