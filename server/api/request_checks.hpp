// The checks a request passes before its content is looked at, in the order docs/protocol.md
// gives them. Each returns either what the request may go on with, or the refusal to send.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "core/wire/wire.hpp"
#include "server/api/api_message.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

// 426 protocol_unsupported when Doorstep-Protocol is missing or not a version spoken here.
std::optional<ApiReply> CheckProtocolVersion(const ApiRequest& request);

// 415 unsupported_encoding for any Content-Encoding header, or a Content-Type other than
// application/gzip. (The HTTP layer refuses Content-Encoding before reading the body; this is
// the same rule for callers that come in another way.)
std::optional<ApiReply> CheckBodyEncoding(const ApiRequest& request);

// Device known (401), not revoked (403), well-formed headers (400), signature (401), timestamp
// within kClockWindowMs (401 with server_time_ms), nonce fresh (401). The nonce is recorded only
// when every check before it passed.
std::variant<DeviceRecord, ApiReply> Authenticate(const ApiRequest& request, ServerStore& store,
                                                  int64_t now_ms);

// Inflates the body within the protocol's limits: 400 bad_gzip, 413 inflated_too_large.
std::variant<std::string, ApiReply> InflateBody(const ApiRequest& request);

// The answer to a request-wide decoding problem, with the extra member the protocol names
// (`offset` for invalid_utf8, `limit` for too_many_items, `field` for bad_request).
ApiReply WireErrorReply(const WireError& error, std::string_view inflated_body);

// 503 busy (with Retry-After) when the store was busy, otherwise 500; logs the error, which the
// answer does not repeat. `what` completes "could not ...".
ApiReply StoreFailureReply(const Error& error, std::string_view what);
// The same for head office's API, where nothing is being stored for a terminal: "the server
// could not `doing`", or busy.
ApiReply HeadOfficeFailure(const Error& error, std::string_view doing);

}  // namespace doorstep::server
