#include "core/wire/signing.hpp"

#include <sodium.h>

#include <mutex>

#include "core/wire/protocol.hpp"

namespace doorstep {
namespace {

std::once_flag g_sodium_ready;  // process-wide library initialisation, done once

void EnsureSodium() {
    std::call_once(g_sodium_ready, [] {
        if (sodium_init() < 0) {
            std::abort();  // no randomness source: nothing secure can be done
        }
    });
}

std::string RandomHex(size_t bytes) {
    EnsureSodium();
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    return ToHex(raw);
}

}  // namespace

constexpr char kHexDigits[] = "0123456789abcdef";

std::string ToHex(std::string_view bytes) {
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        hex.push_back(kHexDigits[c >> 4]);
        hex.push_back(kHexDigits[c & 0x0f]);
    }
    return hex;
}

bool FromHex(std::string_view hex, std::string& bytes) {
    if (hex.size() % 2 != 0) {
        return false;
    }
    auto value = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    bytes.clear();
    bytes.reserve(hex.size() / 2);
    for (size_t i = 0; i < hex.size(); i += 2) {
        int high = value(hex[i]);
        int low = value(hex[i + 1]);
        if (high < 0 || low < 0) {
            return false;
        }
        bytes.push_back(static_cast<char>(high * 16 + low));
    }
    return true;
}

std::string NewDeviceSecretHex() {
    return RandomHex(kDeviceSecretBytes);
}
std::string NewNonce() {
    return RandomHex(16);
}

std::string Sha256Hex(std::string_view data) {
    EnsureSodium();
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return ToHex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string CanonicalRequest(std::string_view method, std::string_view path, int64_t timestamp_ms,
                             std::string_view nonce, std::string_view body) {
    std::string canonical = "DOORSTEP-HMAC-SHA256\n";
    canonical.append(method).append("\n");
    canonical.append(path).append("\n");
    canonical.append(std::to_string(timestamp_ms)).append("\n");
    canonical.append(nonce).append("\n");
    canonical.append(Sha256Hex(body));
    return canonical;
}

std::string SignCanonical(std::string_view secret_hex, std::string_view canonical) {
    EnsureSodium();
    std::string key;
    if (!FromHex(secret_hex, key) || key.empty()) {
        return {};
    }
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(canonical.data()),
                                  canonical.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_memzero(key.data(), key.size());
    return ToHex(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

bool SignatureMatches(std::string_view secret_hex, std::string_view canonical,
                      std::string_view presented_hex) {
    std::string expected = SignCanonical(secret_hex, canonical);
    if (expected.empty() || presented_hex.size() != expected.size()) {
        return false;
    }
    return sodium_memcmp(expected.data(), presented_hex.data(), expected.size()) == 0;
}

std::vector<std::string> SignedPostHeaders(std::string_view device_id, std::string_view secret_hex,
                                           std::string_view path, int64_t timestamp_ms,
                                           std::string_view nonce, std::string_view body) {
    auto header = [](std::string_view name, std::string_view value) {
        return std::string(name).append(": ").append(value);
    };
    std::string canonical = CanonicalRequest("POST", path, timestamp_ms, nonce, body);
    return {
        header("Content-Type", protocol::kBodyContentType),
        header(protocol::kHeaderProtocol, std::to_string(protocol::kVersion)),
        header(protocol::kHeaderDevice, device_id),
        header(protocol::kHeaderTimestamp, std::to_string(timestamp_ms)),
        header(protocol::kHeaderNonce, nonce),
        header(protocol::kHeaderSignature, SignCanonical(secret_hex, canonical)),
    };
}

}  // namespace doorstep
