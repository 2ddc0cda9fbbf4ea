// PgServerStore's accounts: users and their bearer tokens (the rules are in accounts.cpp).
#include "pg_server_store.hpp"

namespace doorstep::server {
namespace {

std::string_view TokenKindText(TokenKind kind) {
    return kind == TokenKind::Api ? "api" : "session";
}

}  // namespace

Result<bool> PgServerStore::AddUser(const UserRecord& user) {
    return WithConnection([&](PgConnection& db) -> Result<bool> {
        Result<PgRows> inserted =
            db.Exec("add user",
                    "INSERT INTO users (name, password_hash, created_at_ms) VALUES ($1, $2, $3) "
                    "ON CONFLICT (name) DO NOTHING",
                    PgParams().Text(user.Name).Text(user.PasswordHash).Int(user.CreatedAtMs));
        if (!inserted.Ok()) {
            return inserted.Err();
        }
        return inserted->Affected() > 0;
    });
}

Result<std::optional<UserRecord>> PgServerStore::FindUser(std::string_view name) {
    return WithConnection([&](PgConnection& db) -> Result<std::optional<UserRecord>> {
        Result<PgRows> rows = db.Exec(
            "find user",
            "SELECT name, password_hash, created_at_ms, disabled_at_ms FROM users WHERE name = $1",
            PgParams().Text(name));
        if (!rows.Ok()) {
            return rows.Err();
        }
        if (rows->Count() == 0) {
            return std::optional<UserRecord>();
        }
        return std::optional<UserRecord>(UserRecord{rows->Text(0, 0), rows->Text(0, 1),
                                                    rows->Int(0, 2), rows->OptionalInt(0, 3)});
    });
}

Status PgServerStore::AddToken(const TokenRecord& token) {
    return WithConnection([&](PgConnection& db) {
        return db.Run("add token",
                      "INSERT INTO auth_tokens (token_hash, kind, user_name, label, "
                      "created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                      PgParams()
                          .Text(token.TokenHash)
                          .Text(TokenKindText(token.Kind))
                          .Text(token.UserName)
                          .Text(token.Label)
                          .Int(token.CreatedAtMs)
                          .OptionalInt(token.ExpiresAtMs));
    });
}

Result<std::optional<TokenRecord>> PgServerStore::FindToken(std::string_view token_hash) {
    return WithConnection([&](PgConnection& db) -> Result<std::optional<TokenRecord>> {
        Result<PgRows> rows =
            db.Exec("find token",
                    "SELECT token_hash, kind, user_name, label, created_at_ms, expires_at_ms, "
                    "revoked_at_ms FROM auth_tokens WHERE token_hash = $1",
                    PgParams().Text(token_hash));
        if (!rows.Ok()) {
            return rows.Err();
        }
        if (rows->Count() == 0) {
            return std::optional<TokenRecord>();
        }
        TokenRecord token;
        token.TokenHash = rows->Text(0, 0);
        token.Kind = rows->Text(0, 1) == "api" ? TokenKind::Api : TokenKind::Session;
        token.UserName = rows->Text(0, 2);
        token.Label = rows->Text(0, 3);
        token.CreatedAtMs = rows->Int(0, 4);
        token.ExpiresAtMs = rows->OptionalInt(0, 5);
        token.RevokedAtMs = rows->OptionalInt(0, 6);
        return std::optional<TokenRecord>(std::move(token));
    });
}

Result<bool> PgServerStore::RevokeToken(std::string_view token_hash, int64_t now_ms) {
    return WithConnection([&](PgConnection& db) -> Result<bool> {
        Result<PgRows> updated = db.Exec("revoke token",
                                         "UPDATE auth_tokens SET revoked_at_ms = "
                                         "coalesce(revoked_at_ms, $2) WHERE token_hash = $1",
                                         PgParams().Text(token_hash).Int(now_ms));
        if (!updated.Ok()) {
            return updated.Err();
        }
        return updated->Affected() > 0;
    });
}

Result<LoginThrottle> PgServerStore::FindLoginThrottle(std::string_view name) {
    return WithConnection([&](PgConnection& db) -> Result<LoginThrottle> {
        Result<PgRows> rows =
            db.Exec("read sign-in throttle",
                    "SELECT failures, locked_until_ms FROM login_throttle WHERE name = $1",
                    PgParams().Text(name));
        if (!rows.Ok()) {
            return rows.Err();
        }
        if (rows->Count() == 0) {
            return LoginThrottle{};
        }
        return LoginThrottle{rows->Int(0, 0), rows->Int(0, 1)};
    });
}

Status PgServerStore::SaveLoginThrottle(std::string_view name, const LoginThrottle& throttle,
                                        int64_t now_ms) {
    return WithConnection([&](PgConnection& db) -> Status {
        Result<PgTransaction> transaction = PgTransaction::Begin(db, "save sign-in throttle");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        Status saved = db.Run(
            "save sign-in throttle",
            "INSERT INTO login_throttle (name, failures, locked_until_ms, last_failure_ms) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET failures = "
            "excluded.failures, locked_until_ms = excluded.locked_until_ms, "
            "last_failure_ms = excluded.last_failure_ms",
            PgParams().Text(name).Int(throttle.Failures).Int(throttle.LockedUntilMs).Int(now_ms));
        if (!saved.Ok()) {
            return saved;
        }
        Status forgotten =
            db.Run("forget old sign-in failures",
                   "DELETE FROM login_throttle WHERE last_failure_ms < $1 AND locked_until_ms < $1",
                   PgParams().Int(now_ms - 24LL * 3600 * 1000));
        if (!forgotten.Ok()) {
            return forgotten;
        }
        return transaction->Commit();
    });
}

Status PgServerStore::ClearLoginThrottle(std::string_view name) {
    return WithConnection([&](PgConnection& db) {
        return db.Run("clear sign-in throttle", "DELETE FROM login_throttle WHERE name = $1",
                      PgParams().Text(name));
    });
}

}  // namespace doorstep::server
