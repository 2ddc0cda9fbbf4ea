// Fuzz target: the checks a signed request passes before its body is read (server/
// request_checks.cpp: protocol version, body encoding, device, timestamp, nonce, HMAC signature
// from core/wire/signing.cpp, clock window, replay) and the inflation of its body.
//
// The input is a request as it arrives: "METHOD PATH" on the first line, "Name: value" headers,
// an empty line, then the body (gzip). A Doorstep-Signature of "%SIGNATURE%" is replaced by the
// right signature, so the fuzzer also explores what follows a good signature. The store is a real
// SQLite server store with one enrolled device (the uploader byte test's, tests/data) and one
// revoked one; the clock stands at that test's request time.
//
// The target aborts unless the verdict (accepted, or the status and error code) is the one the
// model below gives, derived from docs/protocol.md with its own HMAC (libsodium); an accepted
// request is refused as a replay the second time; and an accepted body inflates or is refused
// with 400 bad_gzip or 413 inflated_too_large.
#include <sodium.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/wire/protocol.hpp"
#include "fuzz_require.hpp"
#include "server/api/api_message.hpp"
#include "server/api/request_checks.hpp"
#include "server/store/sqlite/sqlite_server_store.hpp"

namespace {

namespace protocol = doorstep::protocol;
using doorstep::fuzz::Require;
using doorstep::server::ApiReply;
using doorstep::server::ApiRequest;

constexpr int64_t kNowMs = 1795549384722;
constexpr std::string_view kDevice = "dev_wiretest";
constexpr std::string_view kSecret =
    "6b1d0c2f8e7a49d3b5c4a1e0f9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0";
constexpr std::string_view kRevokedDevice = "dev_revoked";
constexpr std::string_view kSignaturePlaceholder = "%SIGNATURE%";
// Not hex, so no request's nonce is ever this one (see ForgetNonces).
constexpr std::string_view kResetNonce = "fuzz-target-reset";

struct Verdict {
    int Status = 0;  // 0: accepted
    std::string Code;
    bool operator==(const Verdict&) const = default;
};

class FuzzStore {
  public:
    FuzzStore() {
        std::string base = std::filesystem::is_directory("/dev/shm")
                               ? "/dev/shm"
                               : std::filesystem::temp_directory_path().string();
        std::string pattern = base + "/doorstep-fuzz-XXXXXX";
        Require(mkdtemp(pattern.data()) != nullptr, "a temporary directory for the store");
        Dir_ = pattern;
        auto opened = doorstep::server::SqliteServerStore::Open(Dir_ + "/server.db");
        Require(opened.Ok(), "the store opens");
        Store_ = std::move(*opened);
        Enroll(kDevice, kSecret);
        Enroll(kRevokedDevice, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        Require(Store_->RevokeDevice(std::string(kRevokedDevice), kNowMs).Ok(), "revoke");
    }
    ~FuzzStore() {
        Store_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(Dir_, ignored);
    }
    FuzzStore(const FuzzStore&) = delete;
    FuzzStore& operator=(const FuzzStore&) = delete;

    doorstep::server::ServerStore& Store() { return *Store_; }

    // Every input starts from the same store: remembering a nonce at kNowMs + kNonceMemoryMs + 1
    // prunes all those remembered at kNowMs (RememberNonce prunes older than its time minus
    // kNonceMemoryMs). Only the reset nonce itself stays.
    void ForgetNonces() {
        auto reset =
            Store_->RememberNonce(kDevice, kResetNonce, kNowMs + protocol::kNonceMemoryMs + 1);
        Require(reset.Ok(), "the nonce reset runs");
    }

  private:
    void Enroll(std::string_view device, std::string_view secret) {
        std::string code_hash = "code-for-" + std::string(device);
        Require(Store_->AddEnrollmentCode({code_hash, "fuzz-store", "door", kNowMs, kNowMs + 1000})
                    .Ok(),
                "add a code");
        auto redeemed = Store_->RedeemEnrollmentCode(code_hash, device, secret, kNowMs);
        Require(redeemed.Ok() && redeemed->has_value(), "enroll a device");
    }

    std::string Dir_;
    std::unique_ptr<doorstep::server::SqliteServerStore> Store_;
};

std::string Hex(const unsigned char* bytes, size_t size) {
    std::string hex(size * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), bytes, size);
    hex.pop_back();
    return hex;
}

// docs/protocol.md, "Signing", with libsodium's one-shot calls rather than core/wire/signing.cpp.
std::string ModelSignature(const ApiRequest& request) {
    unsigned char body_hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(body_hash, reinterpret_cast<const unsigned char*>(request.Body.data()),
                       request.Body.size());
    std::string canonical = "DOORSTEP-HMAC-SHA256\n" + request.Method + "\n" + request.Path + "\n" +
                            request.Header(protocol::kHeaderTimestamp) + "\n" +
                            request.Header(protocol::kHeaderNonce) + "\n" +
                            Hex(body_hash, sizeof body_hash);
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
    Require(sodium_hex2bin(key, sizeof key, kSecret.data(), kSecret.size(), nullptr, nullptr,
                           nullptr) == 0,
            "the secret is hex");
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(canonical.data()),
                           canonical.size(), key);
    return Hex(mac, sizeof mac);
}

std::string_view Trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

std::string Lower(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return lower;
}

// The request line, the headers (names lower-cased, the first of each kept, as the HTTP layer
// hands them over) and the body, which stays a view into the input.
ApiRequest ReadRequest(std::string_view input) {
    ApiRequest request;
    bool first_line = true;
    while (!input.empty()) {
        size_t end = input.find('\n');
        std::string_view line = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (first_line) {
            first_line = false;
            size_t space = line.find(' ');
            request.Method = std::string(line.substr(0, space));
            if (space != std::string_view::npos) {
                std::string_view rest = line.substr(space + 1);
                request.Path = std::string(rest.substr(0, rest.find(' ')));
            }
            continue;
        }
        if (line.empty()) {
            break;  // the body follows
        }
        size_t colon = line.find(':');
        if (colon != std::string_view::npos) {
            request.Headers.emplace(Lower(Trim(line.substr(0, colon))),
                                    std::string(Trim(line.substr(colon + 1))));
        }
    }
    request.Body = input;
    return request;
}

bool CanonicalMillis(std::string_view text) {
    return !text.empty() && text.size() <= 18 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
           (text == "0" || text.front() != '0');
}

// What docs/protocol.md says the server answers, check by check in its order.
Verdict Expected(const ApiRequest& request) {
    if (request.Header(protocol::kHeaderProtocol) != "1") {
        return {426, "protocol_unsupported"};
    }
    std::string media = Lower(request.Header("Content-Type"));
    media = std::string(Trim(std::string_view(media).substr(0, media.find(';'))));
    if (request.HasHeader("Content-Encoding") || media != "application/gzip") {
        return {415, "unsupported_encoding"};
    }
    std::string device = request.Header(protocol::kHeaderDevice);
    if (device == kRevokedDevice) {
        return {403, "device_revoked"};
    }
    if (device != kDevice) {
        return {401, "unknown_device"};
    }
    std::string timestamp = request.Header(protocol::kHeaderTimestamp);
    std::string nonce = request.Header(protocol::kHeaderNonce);
    if (!CanonicalMillis(timestamp)) {
        return {400, "bad_request"};
    }
    if (nonce.size() != 32 || nonce.find_first_not_of("0123456789abcdef") != std::string::npos) {
        return {400, "bad_request"};
    }
    if (request.Header(protocol::kHeaderSignature) != ModelSignature(request)) {
        return {401, "bad_signature"};
    }
    int64_t skew = std::stoll(timestamp) - kNowMs;
    if (skew > protocol::kClockWindowMs || skew < -protocol::kClockWindowMs) {
        return {401, "clock_skew"};
    }
    return {};
}

Verdict VerdictOf(const ApiReply& reply) {
    nlohmann::json body = nlohmann::json::parse(reply.Body, nullptr, false);
    Require(body.is_object() && body.contains("message"), "a refusal is a JSON error");
    return {reply.Status, body.value("error", "")};
}

Verdict Check(const ApiRequest& request, doorstep::server::ServerStore& store) {
    if (auto refusal = doorstep::server::CheckProtocolVersion(request)) {
        return VerdictOf(*refusal);
    }
    if (auto refusal = doorstep::server::CheckBodyEncoding(request)) {
        return VerdictOf(*refusal);
    }
    auto authenticated = doorstep::server::Authenticate(request, store, kNowMs);
    if (const ApiReply* refusal = std::get_if<ApiReply>(&authenticated)) {
        return VerdictOf(*refusal);
    }
    Require(std::get<doorstep::server::DeviceRecord>(authenticated).DeviceId == kDevice,
            "the accepted device is the signing one");
    return {};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static FuzzStore* fuzz_store = [] {
        Require(sodium_init() >= 0, "libsodium starts");
        static FuzzStore store;
        return &store;
    }();
    ApiRequest request = ReadRequest(std::string_view(reinterpret_cast<const char*>(data), size));
    auto signature = request.Headers.find(Lower(protocol::kHeaderSignature));
    if (signature != request.Headers.end() && signature->second == kSignaturePlaceholder) {
        signature->second = ModelSignature(request);
    }

    Verdict expected = Expected(request);
    Verdict actual = Check(request, fuzz_store->Store());
    Require(actual == expected, "the checks give the protocol's verdict");
    if (actual.Status == 0) {
        Verdict replayed = Check(request, fuzz_store->Store());
        Require(replayed == Verdict{401, "replayed_nonce"}, "the same request again is a replay");
        auto inflated = doorstep::server::InflateBody(request);
        if (const ApiReply* refusal = std::get_if<ApiReply>(&inflated)) {
            Verdict verdict = VerdictOf(*refusal);
            Require(verdict == Verdict{400, "bad_gzip"} ||
                        verdict == Verdict{413, "inflated_too_large"},
                    "a body that does not inflate is bad_gzip or inflated_too_large");
        }
    }
    fuzz_store->ForgetNonces();
    return 0;
}
