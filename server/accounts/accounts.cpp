#include "server/accounts/accounts.hpp"

#include <sodium.h>

#include <algorithm>

#include "core/base/text.hpp"
#include "core/wire/signing.hpp"

namespace doorstep::server {
namespace {

constexpr std::string_view kSessionPrefix = "dss_";
constexpr std::string_view kApiPrefix = "dsa_";
constexpr size_t kTokenHexDigits = 64;

bool IsTokenShaped(std::string_view token) {
    if (!token.starts_with(kSessionPrefix) && !token.starts_with(kApiPrefix)) {
        return false;
    }
    std::string_view digits = token.substr(kSessionPrefix.size());
    return digits.size() == kTokenHexDigits &&
           std::all_of(digits.begin(), digits.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Result<IssuedToken> IssueToken(ServerStore& store, TokenKind kind, std::string_view user_name,
                               std::string_view label, int64_t now_ms) {
    IssuedToken issued;
    // 256 random bits, as many as a device secret.
    issued.Token =
        std::string(kind == TokenKind::Api ? kApiPrefix : kSessionPrefix) + NewDeviceSecretHex();
    issued.Record.TokenHash = BearerTokenHash(issued.Token);
    issued.Record.Kind = kind;
    issued.Record.UserName = std::string(user_name);
    issued.Record.Label = std::string(label);
    issued.Record.CreatedAtMs = now_ms;
    if (kind == TokenKind::Session) {
        issued.Record.ExpiresAtMs = now_ms + kSessionLifetimeMs;
    }
    if (Status added = store.AddToken(issued.Record); !added.Ok()) {
        return added.Err();
    }
    return issued;
}

}  // namespace

std::optional<std::string> UserNameProblem(std::string_view name) {
    if (name.empty() || name.size() > 64) {
        return "user name must be 1-64 characters, got " + std::to_string(name.size());
    }
    auto allowed = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-' || c == '@';
    };
    if (!std::all_of(name.begin(), name.end(), allowed)) {
        return "user name may hold only a-z, 0-9, '.', '_', '-' and '@'";
    }
    return std::nullopt;
}

std::optional<std::string> PasswordProblem(std::string_view password) {
    if (password.size() > kMaxPasswordBytes) {
        return "password must be at most " + std::to_string(kMaxPasswordBytes) + " bytes";
    }
    if (!IsValidUtf8(password)) {
        return "password is not valid UTF-8";
    }
    if (CountCodePoints(password) < kMinPasswordChars) {
        return "password must be at least " + std::to_string(kMinPasswordChars) + " characters";
    }
    return std::nullopt;
}

Result<UserRecord> CreateUser(ServerStore& store, std::string_view name, std::string_view password,
                              int64_t now_ms) {
    if (std::optional<std::string> problem = UserNameProblem(name)) {
        return Error{*problem};
    }
    if (std::optional<std::string> problem = PasswordProblem(password)) {
        return Error{*problem};
    }
    if (sodium_init() < 0) {
        return Error{"libsodium cannot start: no password can be hashed"};
    }
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, password.data(), password.size(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        return Error{"out of memory while hashing the password"};
    }
    UserRecord user{std::string(name), hash, now_ms, std::nullopt};
    Result<bool> added = store.AddUser(user);
    if (!added.Ok()) {
        return added.Err();
    }
    if (!*added) {
        return Error{"a user named '" + user.Name + "' exists already"};
    }
    return user;
}

int64_t LoginLockMs(int64_t failures) {
    if (failures < kFreeLoginFailures) {
        return 0;
    }
    int64_t doublings = std::min<int64_t>(failures - kFreeLoginFailures, 10);
    return std::min(kLongestLockMs, int64_t{60'000} << doublings);
}

Result<LoginOutcome> LogIn(ServerStore& store, std::string_view name, std::string_view password,
                           int64_t now_ms) {
    if (sodium_init() < 0) {
        return Error{"libsodium cannot start: no password can be checked"};
    }
    std::string throttle_name(name.substr(0, 64));
    Result<LoginThrottle> throttle = store.FindLoginThrottle(throttle_name);
    if (!throttle.Ok()) {
        return throttle.Err();
    }
    if (throttle->LockedUntilMs > now_ms) {
        return LoginOutcome{std::nullopt, throttle->LockedUntilMs};
    }
    std::optional<UserRecord> user;
    if (!UserNameProblem(name) && password.size() <= kMaxPasswordBytes) {
        Result<std::optional<UserRecord>> found = store.FindUser(name);
        if (!found.Ok()) {
            return found.Err();
        }
        user = std::move(*found);
    }
    bool matches = false;
    if (user) {
        matches = crypto_pwhash_str_verify(user->PasswordHash.c_str(), password.data(),
                                           password.size()) == 0;
    } else {
        // As slow as a real check, so the answer's timing does not say which names exist.
        char unused[crypto_pwhash_STRBYTES];
        int hashed = crypto_pwhash_str(
            unused, password.data(), std::min(password.size(), kMaxPasswordBytes),
            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
        static_cast<void>(hashed);  // only the time it takes matters here
    }
    if (!matches || user->DisabledAtMs) {
        LoginThrottle failed{throttle->Failures + 1, 0};
        int64_t lock = LoginLockMs(failed.Failures);
        failed.LockedUntilMs = lock > 0 ? now_ms + lock : 0;
        if (Status saved = store.SaveLoginThrottle(throttle_name, failed, now_ms); !saved.Ok()) {
            return saved.Err();
        }
        return LoginOutcome{std::nullopt, failed.LockedUntilMs};
    }
    if (throttle->Failures > 0) {
        if (Status cleared = store.ClearLoginThrottle(throttle_name); !cleared.Ok()) {
            return cleared.Err();
        }
    }
    Result<IssuedToken> issued =
        IssueToken(store, TokenKind::Session, user->Name, "dashboard login", now_ms);
    if (!issued.Ok()) {
        return issued.Err();
    }
    return LoginOutcome{std::move(*issued), 0};
}

Result<IssuedToken> CreateApiToken(ServerStore& store, std::string_view user_name,
                                   std::string_view label, int64_t now_ms) {
    Result<std::optional<UserRecord>> user = store.FindUser(user_name);
    if (!user.Ok()) {
        return user.Err();
    }
    if (!user->has_value()) {
        return Error{"no user named '" + std::string(user_name) + "'; add one with add-user"};
    }
    if (label.empty() || label.size() > 100 || !IsValidUtf8(label)) {
        return Error{"token label must be 1-100 bytes of UTF-8, saying what the token is for"};
    }
    return IssueToken(store, TokenKind::Api, user_name, label, now_ms);
}

Result<std::optional<TokenRecord>> Authorize(ServerStore& store, std::string_view token,
                                             int64_t now_ms) {
    if (!IsTokenShaped(token)) {
        return std::optional<TokenRecord>();
    }
    Result<std::optional<TokenRecord>> found = store.FindToken(BearerTokenHash(token));
    if (!found.Ok() || !found->has_value()) {
        return found;
    }
    const TokenRecord& record = **found;
    if (record.RevokedAtMs || (record.ExpiresAtMs && now_ms >= *record.ExpiresAtMs)) {
        return std::optional<TokenRecord>();
    }
    Result<std::optional<UserRecord>> user = store.FindUser(record.UserName);
    if (!user.Ok()) {
        return user.Err();
    }
    if (!user->has_value() || (*user)->DisabledAtMs) {
        return std::optional<TokenRecord>();
    }
    return found;
}

Result<bool> RevokeBearerToken(ServerStore& store, std::string_view token, int64_t now_ms) {
    if (!IsTokenShaped(token)) {
        return false;
    }
    return store.RevokeToken(BearerTokenHash(token), now_ms);
}

std::string BearerTokenHash(std::string_view token) {
    return Sha256Hex(token);
}

}  // namespace doorstep::server
