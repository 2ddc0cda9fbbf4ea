#include "server/api/request_checks.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/base/log.hpp"
#include "core/base/text.hpp"
#include "core/wire/gzip.hpp"
#include "core/wire/protocol.hpp"
#include "core/wire/signing.hpp"

namespace doorstep::server {
namespace {

bool IsLowerHex(std::string_view text, size_t digits) {
    if (text.size() != digits) {
        return false;
    }
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

std::optional<int64_t> ParseMillis(std::string_view text) {
    if (text.empty() || text.size() > 18) {  // 18 digits: no overflow, and far past year 9999
        return std::nullopt;
    }
    int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0) {
        return std::nullopt;
    }
    // The signature covers the number as std::to_string writes it: other spellings ("+5",
    // "007") would be checked against text the kiosk never signed.
    if (std::to_string(value) != text) {
        return std::nullopt;
    }
    return value;
}

// Header values are the client's text: echo at most a short, recognisable prefix of them.
std::string Echo(std::string_view text) {
    constexpr size_t kMaxEcho = 80;
    return text.size() <= kMaxEcho ? std::string(text)
                                   : std::string(text.substr(0, kMaxEcho)) + "...";
}

ApiReply MalformedHeader(std::string_view header, std::string_view expected) {
    nlohmann::json extra{{"field", header}};
    return ErrorReply(400, "bad_request",
                      std::string(header) + " header must be " + std::string(expected),
                      extra.dump());
}

// "application/gzip", ignoring case and any parameters.
bool IsGzipMediaType(std::string_view content_type) {
    std::string_view media = content_type.substr(0, content_type.find(';'));
    while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) {
        media.remove_suffix(1);
    }
    if (media.size() != protocol::kBodyContentType.size()) {
        return false;
    }
    for (size_t i = 0; i < media.size(); ++i) {
        char c = media[i];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (c != protocol::kBodyContentType[i]) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::optional<ApiReply> CheckProtocolVersion(const ApiRequest& request) {
    std::string version = request.Header(protocol::kHeaderProtocol);
    if (version == std::to_string(protocol::kVersion)) {
        return std::nullopt;
    }
    nlohmann::json extra{{"supported", {protocol::kVersion}}};
    std::string message =
        version.empty() ? "the Doorstep-Protocol header is missing; this server speaks version 1"
                        : "protocol version '" + Echo(version) +
                              "' is not spoken by this server; it speaks version 1";
    return ErrorReply(426, "protocol_unsupported", message, extra.dump());
}

std::optional<ApiReply> CheckBodyEncoding(const ApiRequest& request) {
    if (request.HasHeader("Content-Encoding")) {
        return ErrorReply(415, "unsupported_encoding",
                          "Content-Encoding is not accepted; send the gzip body as "
                          "Content-Type: application/gzip without Content-Encoding");
    }
    std::string content_type = request.Header("Content-Type");
    if (!IsGzipMediaType(content_type)) {
        return ErrorReply(
            415, "unsupported_encoding",
            "Content-Type must be application/gzip, got '" + Echo(content_type) + "'");
    }
    return std::nullopt;
}

std::variant<DeviceRecord, ApiReply> Authenticate(const ApiRequest& request, ServerStore& store,
                                                  int64_t now_ms) {
    std::string device_id = request.Header(protocol::kHeaderDevice);
    if (device_id.empty()) {
        return ErrorReply(401, "unknown_device", "the Doorstep-Device header is missing");
    }
    Result<std::optional<DeviceRecord>> found = store.FindDevice(device_id);
    if (!found.Ok()) {
        return StoreFailureReply(found.Err(), "look up the device");
    }
    if (!found->has_value()) {
        return ErrorReply(401, "unknown_device",
                          "device '" + Echo(device_id) + "' is not enrolled at this server");
    }
    DeviceRecord device = std::move(**found);
    if (device.RevokedAtMs.has_value()) {
        return ErrorReply(
            403, "device_revoked",
            "device '" + device_id + "' was revoked; enroll it again with a new code");
    }

    std::string timestamp_text = request.Header(protocol::kHeaderTimestamp);
    std::optional<int64_t> timestamp = ParseMillis(timestamp_text);
    if (!timestamp) {
        return MalformedHeader(protocol::kHeaderTimestamp, "Unix milliseconds in decimal");
    }
    std::string nonce = request.Header(protocol::kHeaderNonce);
    if (!IsLowerHex(nonce, 32)) {
        return MalformedHeader(protocol::kHeaderNonce, "32 lower-case hex digits");
    }
    std::string canonical =
        CanonicalRequest(request.Method, request.Path, *timestamp, nonce, request.Body);
    if (!SignatureMatches(device.SecretHex, canonical,
                          request.Header(protocol::kHeaderSignature))) {
        return ErrorReply(401, "bad_signature",
                          "the request signature does not match this device's secret");
    }

    int64_t skew = *timestamp - now_ms;
    if (skew > protocol::kClockWindowMs || skew < -protocol::kClockWindowMs) {
        nlohmann::json extra{{"server_time_ms", now_ms}};
        return ErrorReply(401, "clock_skew",
                          "the request timestamp is " + std::to_string(skew / 1000) +
                              " s away from the server clock (at most " +
                              std::to_string(protocol::kClockWindowMs / 1000) +
                              " s either way is accepted)",
                          extra.dump());
    }
    Result<bool> fresh = store.RememberNonce(device.DeviceId, nonce, now_ms);
    if (!fresh.Ok()) {
        return StoreFailureReply(fresh.Err(), "record the request nonce");
    }
    if (!*fresh) {
        return ErrorReply(401, "replayed_nonce",
                          "this nonce was already used by this device; sign again with a new one");
    }
    return device;
}

std::variant<std::string, ApiReply> InflateBody(const ApiRequest& request) {
    Inflated inflated = GzipInflate(
        request.Body, InflateLimits{protocol::kMaxInflatedBytes, protocol::kMaxInflateRatio});
    switch (inflated.Failure) {
        case InflateFailure::None:
            return std::move(inflated.Data);
        case InflateFailure::Corrupt:
            return ErrorReply(400, "bad_gzip", inflated.Message);
        case InflateFailure::TooLarge: {
            nlohmann::json extra{{"limit", protocol::kMaxInflatedBytes}};
            return ErrorReply(413, "inflated_too_large",
                              inflated.Message +
                                  " (limits: " + std::to_string(protocol::kMaxInflatedBytes >> 20) +
                                  " MiB, " + std::to_string(protocol::kMaxInflateRatio) +
                                  " times the size sent)",
                              extra.dump());
        }
    }
    return ErrorReply(500, "server_error", "unknown inflate result");
}

ApiReply WireErrorReply(const WireError& error, std::string_view inflated_body) {
    nlohmann::json extra = nlohmann::json::object();
    if (error.Code == "invalid_utf8") {
        size_t offset = FindInvalidUtf8(inflated_body);
        if (offset != std::string_view::npos) {
            extra["offset"] = offset;
        }
    } else if (error.Code == "too_many_items") {
        extra["limit"] = protocol::kMaxBatchItems;
    }
    if (!error.Field.empty()) {
        extra["field"] = error.Field;
    }
    int status = error.Status >= 400 && error.Status < 500 ? error.Status : 400;
    std::string code = error.Code.empty() ? "bad_request" : error.Code;
    return ErrorReply(status, code, error.Message, extra.dump());
}

ApiReply StoreFailureReply(const Error& error, std::string_view what) {
    Log(LogLevel::Error, "api", "store failure",
        {{"operation", std::string(what)}, {"error", error.Message}});
    if (error.Code == kStoreBusyCode) {
        ApiReply reply = ErrorReply(503, "busy",
                                    "the server is busy and could not " + std::string(what) +
                                        "; nothing was stored; try again after Retry-After");
        reply.Headers.emplace_back("Retry-After", "5");
        return reply;
    }
    return ErrorReply(
        500, "server_error",
        "the server could not " + std::string(what) + "; nothing was stored; try again later");
}

ApiReply HeadOfficeFailure(const Error& error, std::string_view doing) {
    Log(LogLevel::Error, "api", "store failed",
        {{"doing", std::string(doing)}, {"error", error.Message}});
    if (error.Code == kStoreBusyCode) {
        ApiReply reply = ErrorReply(503, "busy", "the database is busy; try again in a moment");
        reply.Headers.emplace_back("Retry-After", "1");
        return reply;
    }
    return ErrorReply(500, "server_error", "the server could not " + std::string(doing));
}

}  // namespace doorstep::server
