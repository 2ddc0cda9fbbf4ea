// Enrollment: a one-time code made at head office, typed into a new kiosk, exchanged once for the
// kiosk's device id and secret (docs/protocol.md, "POST /v1/enroll").
//
// Codes are 12 characters from Crockford's base32 alphabet (no I, L, O or U), shown in groups of
// four: K7Q4-M2XD-9PXA. That is 60 random bits (libsodium), which nobody guesses online within a
// code's lifetime. Typing is forgiving: case, spaces and hyphens do not matter, and O, I and L
// are read as 0, 1 and 1. The store keeps only the SHA-256 of the normalised code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

inline constexpr int64_t kDefaultCodeLifetimeHours = 24;

// A fresh code in its display form, "XXXX-XXXX-XXXX".
std::string NewEnrollmentCode();
// The display form of what someone typed, or nothing when it cannot be a code.
std::optional<std::string> NormaliseEnrollmentCode(std::string_view typed);
// What the store keeps: lower-case hex SHA-256 of the normalised code.
std::string EnrollmentCodeHash(std::string_view normalised_code);
// "dev_" and 16 random lower-case hex digits.
std::string NewDeviceId();

// Store and door names go into reports and file names: 1-64 printable characters, no control
// characters. Returns the problem in words, or nothing.
std::optional<std::string> NameProblem(std::string_view what, std::string_view name);

// Makes a code for a kiosk at `store`/`door`, valid for `lifetime_hours` from `now_ms`, and
// returns it in display form. The code itself is never stored.
Result<std::string> CreateEnrollmentCode(ServerStore& store, std::string_view store_name,
                                         std::string_view door, int64_t lifetime_hours,
                                         int64_t now_ms);

// Exchanges a typed code for a new device. Nothing when the code is malformed, unknown, used or
// expired (the caller answers 401 bad_code and does not say which).
Result<std::optional<DeviceRecord>> RedeemEnrollmentCode(ServerStore& store,
                                                         std::string_view typed_code,
                                                         int64_t now_ms);

}  // namespace doorstep::server
