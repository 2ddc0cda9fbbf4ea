// Request signing: HMAC-SHA256 (libsodium) over method, path, timestamp, nonce and body hash.
// See docs/protocol.md, "Signing".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace doorstep {

inline constexpr size_t kDeviceSecretBytes = 32;

// 32 random bytes as 64 lower-case hex digits.
std::string NewDeviceSecretHex();
// 16 random bytes as 32 lower-case hex digits.
std::string NewNonce();
std::string Sha256Hex(std::string_view data);
std::string ToHex(std::string_view bytes);
// Decodes lower-case or upper-case hex; false on odd length or a non-hex digit.
bool FromHex(std::string_view hex, std::string& bytes);

// The six-line string that is signed.
std::string CanonicalRequest(std::string_view method, std::string_view path, int64_t timestamp_ms,
                             std::string_view nonce, std::string_view body);
// Hex HMAC-SHA256 of `canonical` keyed with the hex-encoded device secret. Empty if the secret
// is not valid hex.
std::string SignCanonical(std::string_view secret_hex, std::string_view canonical);
// Constant-time comparison of an expected and a presented hex signature.
bool SignatureMatches(std::string_view secret_hex, std::string_view canonical,
                      std::string_view presented_hex);

// Every "Name: value" header of a signed protocol POST of `body` (already gzipped) to `path`.
std::vector<std::string> SignedPostHeaders(std::string_view device_id, std::string_view secret_hex,
                                           std::string_view path, int64_t timestamp_ms,
                                           std::string_view nonce, std::string_view body);

}  // namespace doorstep
