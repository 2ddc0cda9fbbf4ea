// Constants of the sync protocol, version 1 (docs/protocol.md). Shared by kiosk and server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace doorstep::protocol {

inline constexpr int kVersion = 1;

inline constexpr std::string_view kHeaderProtocol = "Doorstep-Protocol";
inline constexpr std::string_view kHeaderDevice = "Doorstep-Device";
inline constexpr std::string_view kHeaderTimestamp = "Doorstep-Timestamp";
inline constexpr std::string_view kHeaderNonce = "Doorstep-Nonce";
inline constexpr std::string_view kHeaderSignature = "Doorstep-Signature";
inline constexpr std::string_view kBodyContentType = "application/gzip";

inline constexpr std::string_view kPathEnroll = "/v1/enroll";
inline constexpr std::string_view kPathResponses = "/v1/responses";
inline constexpr std::string_view kPathHeartbeat = "/v1/heartbeat";
inline constexpr std::string_view kPathSurvey = "/v1/survey";
inline constexpr std::string_view kPathAlerts = "/v1/alerts";

inline constexpr int64_t kClockWindowMs = 5 * 60 * 1000;   // accepted timestamp skew
inline constexpr int64_t kNonceMemoryMs = 10 * 60 * 1000;  // how long nonces are remembered
inline constexpr int64_t kMaxAnswerAgeMs = int64_t{10} * 366 * 24 * 3600 * 1000;  // "age_ms"

inline constexpr size_t kMaxBodyBytes = 8u << 20;       // as sent (compressed)
inline constexpr size_t kMaxInflatedBytes = 64u << 20;  // once inflated
inline constexpr size_t kMaxInflateRatio = 200;         // inflated / sent
inline constexpr size_t kMaxBatchItems = 1000;
inline constexpr size_t kDefaultBatchItems = 500;

}  // namespace doorstep::protocol
