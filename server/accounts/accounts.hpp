// Head-office accounts: who may read reports, and how they prove it.
//
// A user has a name and a password; only an Argon2id hash of the password is kept (libsodium's
// crypto_pwhash_str, interactive limits). Logging in with the right password issues a session
// token for the dashboard; `doorstep-server add-token` issues API tokens for scripts. Both are
// 32 random bytes in hex behind a prefix that says what they are ("dss_" session, "dsa_" API),
// sent as `Authorization: Bearer TOKEN` or, for the dashboard, an HttpOnly cookie. The database
// keeps only their SHA-256.
//
// TOKEN STATES
//   (absent) --LogIn() / CreateApiToken()--> valid --LogOut() / revoke--> revoked
//   valid --kSessionLifetimeMs after login (sessions only)--> expired
//   A token of a disabled user is refused like a revoked one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

inline constexpr int64_t kSessionLifetimeMs = 12LL * 3600 * 1000;  // a working day
inline constexpr size_t kMinPasswordChars = 10;
inline constexpr size_t kMaxPasswordBytes = 1024;

// 1-64 characters of a-z, 0-9, '.', '_', '-' and '@'. The problem in words, or nothing.
std::optional<std::string> UserNameProblem(std::string_view name);
// At least kMinPasswordChars characters, at most kMaxPasswordBytes bytes, valid UTF-8.
std::optional<std::string> PasswordProblem(std::string_view password);

// Creates a user. An error names what is wrong: the name, the password, or a name taken.
Result<UserRecord> CreateUser(ServerStore& store, std::string_view name, std::string_view password,
                              int64_t now_ms);

struct IssuedToken {
    std::string Token;  // shown once; only its hash is stored
    TokenRecord Record;
};

// Wrong passwords allowed in a row before sign-in pauses for that user name; then the pause is
// 1 minute, doubling with each further wrong password up to kLongestLockMs. The right password
// clears the count. Unknown names count the same, so a lock says nothing about who exists.
inline constexpr int64_t kFreeLoginFailures = 5;
inline constexpr int64_t kLongestLockMs = 15 * 60 * 1000;

struct LoginOutcome {
    std::optional<IssuedToken> Session;  // set when signed in
    int64_t LockedUntilMs = 0;           // > now: refused without looking at the password
};

// A session for the right name and password. Otherwise no session, for a wrong password, an
// unknown name or a disabled user alike (the same answer after the same work), and for a name
// paused after too many wrong passwords (LockedUntilMs says until when).
Result<LoginOutcome> LogIn(ServerStore& store, std::string_view name, std::string_view password,
                           int64_t now_ms);
// The pause after `failures` wrong passwords in a row, from the time of the last one.
int64_t LoginLockMs(int64_t failures);
Result<IssuedToken> CreateApiToken(ServerStore& store, std::string_view user_name,
                                   std::string_view label, int64_t now_ms);

// The token's record when it is valid at `now_ms`; nothing when it is malformed, unknown,
// revoked, expired or its user is disabled or gone.
Result<std::optional<TokenRecord>> Authorize(ServerStore& store, std::string_view token,
                                             int64_t now_ms);
// Revokes a token (logging out); false when it was not known.
Result<bool> RevokeBearerToken(ServerStore& store, std::string_view token, int64_t now_ms);

// What the store keeps of a token: lower-case hex SHA-256.
std::string BearerTokenHash(std::string_view token);

}  // namespace doorstep::server
