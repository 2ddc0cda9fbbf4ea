// The generic store's accounts: users and their bearer tokens (the rules are in accounts.cpp).
#include "server/store/sql_server_store.hpp"

namespace doorstep::server {
namespace {

std::string_view TokenKindText(TokenKind kind) {
    return kind == TokenKind::Api ? "api" : "session";
}

}  // namespace

Result<bool> SqlServerStore::AddUser(const UserRecord& user) {
    return InSession<bool>([&](SqlSession& db) -> Result<bool> {
        Result<SqlRows> inserted =
            db.Exec("add user",
                    "INSERT INTO users (name, password_hash, created_at_ms) VALUES ($1, $2, $3) "
                    "ON CONFLICT (name) DO NOTHING",
                    SqlParams().Text(user.Name).Text(user.PasswordHash).Int(user.CreatedAtMs));
        if (!inserted.Ok()) {
            return inserted.Err();
        }
        return inserted->Affected() > 0;
    });
}

Result<std::optional<UserRecord>> SqlServerStore::FindUser(std::string_view name) {
    return InSession<std::optional<UserRecord>>([&](SqlSession& db)
                                                    -> Result<std::optional<UserRecord>> {
        Result<SqlRows> rows = db.Exec(
            "find user",
            "SELECT name, password_hash, created_at_ms, disabled_at_ms FROM users WHERE name = $1",
            SqlParams().Text(name));
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

Status SqlServerStore::AddToken(const TokenRecord& token) {
    return WithSession([&](SqlSession& db) -> Status {
        return db.Run("add token",
                      "INSERT INTO auth_tokens (token_hash, kind, user_name, label, "
                      "created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                      SqlParams()
                          .Text(token.TokenHash)
                          .Text(TokenKindText(token.Kind))
                          .Text(token.UserName)
                          .Text(token.Label)
                          .Int(token.CreatedAtMs)
                          .OptionalInt(token.ExpiresAtMs));
    });
}

Result<std::optional<TokenRecord>> SqlServerStore::FindToken(std::string_view token_hash) {
    return InSession<std::optional<TokenRecord>>(
        [&](SqlSession& db) -> Result<std::optional<TokenRecord>> {
            Result<SqlRows> rows =
                db.Exec("find token",
                        "SELECT token_hash, kind, user_name, label, created_at_ms, expires_at_ms, "
                        "revoked_at_ms FROM auth_tokens WHERE token_hash = $1",
                        SqlParams().Text(token_hash));
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

Result<bool> SqlServerStore::RevokeToken(std::string_view token_hash, int64_t now_ms) {
    return InSession<bool>([&](SqlSession& db) -> Result<bool> {
        Result<SqlRows> updated = db.Exec("revoke token",
                                          "UPDATE auth_tokens SET revoked_at_ms = "
                                          "coalesce(revoked_at_ms, $2) WHERE token_hash = $1",
                                          SqlParams().Text(token_hash).Int(now_ms));
        if (!updated.Ok()) {
            return updated.Err();
        }
        return updated->Affected() > 0;
    });
}

Result<LoginThrottle> SqlServerStore::FindLoginThrottle(std::string_view name) {
    return InSession<LoginThrottle>([&](SqlSession& db) -> Result<LoginThrottle> {
        Result<SqlRows> rows =
            db.Exec("read sign-in throttle",
                    "SELECT failures, locked_until_ms FROM login_throttle WHERE name = $1",
                    SqlParams().Text(name));
        if (!rows.Ok()) {
            return rows.Err();
        }
        if (rows->Count() == 0) {
            return LoginThrottle{};
        }
        return LoginThrottle{rows->Int(0, 0), rows->Int(0, 1)};
    });
}

Status SqlServerStore::SaveLoginThrottle(std::string_view name, const LoginThrottle& throttle,
                                         int64_t now_ms) {
    return WithSession([&](SqlSession& db) -> Status {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "save sign-in throttle");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        Status saved = db.Run(
            "save sign-in throttle",
            "INSERT INTO login_throttle (name, failures, locked_until_ms, last_failure_ms) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET failures = "
            "excluded.failures, locked_until_ms = excluded.locked_until_ms, "
            "last_failure_ms = excluded.last_failure_ms",
            SqlParams().Text(name).Int(throttle.Failures).Int(throttle.LockedUntilMs).Int(now_ms));
        if (!saved.Ok()) {
            return saved;
        }
        Status forgotten =
            db.Run("forget old sign-in failures",
                   "DELETE FROM login_throttle WHERE last_failure_ms < $1 AND locked_until_ms < $1",
                   SqlParams().Int(now_ms - 24LL * 3600 * 1000));
        if (!forgotten.Ok()) {
            return forgotten;
        }
        return transaction->Commit();
    });
}

Status SqlServerStore::ClearLoginThrottle(std::string_view name) {
    return WithSession([&](SqlSession& db) -> Status {
        return db.Run("clear sign-in throttle", "DELETE FROM login_throttle WHERE name = $1",
                      SqlParams().Text(name));
    });
}

}  // namespace doorstep::server
