// SqliteServerStore's accounts: users and their bearer tokens (the rules are in accounts.cpp).
#include <sqlite3.h>

#include <mutex>

#include "sqlite_db.hpp"
#include "sqlite_server_store.hpp"

namespace doorstep::server {
namespace {

std::string_view TokenKindText(TokenKind kind) {
    return kind == TokenKind::Api ? "api" : "session";
}

}  // namespace

Result<bool> SqliteServerStore::AddUser(const UserRecord& user) {
    std::lock_guard lock(Mutex_);
    Result<Statement> insert = Statement::Prepare(
        Db_, "add user",
        "INSERT INTO users (name, password_hash, created_at_ms) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (name) DO NOTHING");
    if (!insert.Ok()) {
        return insert.Err();
    }
    insert->BindText(1, user.Name);
    insert->BindText(2, user.PasswordHash);
    insert->BindInt64(3, user.CreatedAtMs);
    if (Status inserted = insert->Run(); !inserted.Ok()) {
        return inserted.Err();
    }
    return sqlite3_changes(Db_) > 0;
}

Result<std::optional<UserRecord>> SqliteServerStore::FindUser(std::string_view name) {
    std::lock_guard lock(Mutex_);
    Result<Statement> select = Statement::Prepare(
        Db_, "find user",
        "SELECT name, password_hash, created_at_ms, disabled_at_ms FROM users WHERE name = ?1");
    if (!select.Ok()) {
        return select.Err();
    }
    select->BindText(1, name);
    return ReadOptionalRow<UserRecord>(*select, [](const Statement& row) {
        return UserRecord{row.ColumnText(0), row.ColumnText(1), row.ColumnInt64(2),
                          row.ColumnOptionalInt64(3)};
    });
}

Status SqliteServerStore::AddToken(const TokenRecord& token) {
    std::lock_guard lock(Mutex_);
    Result<Statement> insert = Statement::Prepare(
        Db_, "add token",
        "INSERT INTO auth_tokens (token_hash, kind, user_name, label, created_at_ms, "
        "expires_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert.Ok()) {
        return insert.Err();
    }
    insert->BindText(1, token.TokenHash);
    insert->BindText(2, TokenKindText(token.Kind));
    insert->BindText(3, token.UserName);
    insert->BindText(4, token.Label);
    insert->BindInt64(5, token.CreatedAtMs);
    insert->BindOptional(6, token.ExpiresAtMs);
    return insert->Run();
}

Result<std::optional<TokenRecord>> SqliteServerStore::FindToken(std::string_view token_hash) {
    std::lock_guard lock(Mutex_);
    Result<Statement> select =
        Statement::Prepare(Db_, "find token",
                           "SELECT token_hash, kind, user_name, label, created_at_ms, "
                           "expires_at_ms, revoked_at_ms FROM auth_tokens WHERE token_hash = ?1");
    if (!select.Ok()) {
        return select.Err();
    }
    select->BindText(1, token_hash);
    return ReadOptionalRow<TokenRecord>(*select, [](const Statement& row) {
        TokenRecord token;
        token.TokenHash = row.ColumnText(0);
        token.Kind = row.ColumnText(1) == "api" ? TokenKind::Api : TokenKind::Session;
        token.UserName = row.ColumnText(2);
        token.Label = row.ColumnText(3);
        token.CreatedAtMs = row.ColumnInt64(4);
        token.ExpiresAtMs = row.ColumnOptionalInt64(5);
        token.RevokedAtMs = row.ColumnOptionalInt64(6);
        return token;
    });
}

Result<bool> SqliteServerStore::RevokeToken(std::string_view token_hash, int64_t now_ms) {
    std::lock_guard lock(Mutex_);
    Result<Statement> update = Statement::Prepare(
        Db_, "revoke token",
        "UPDATE auth_tokens SET revoked_at_ms = coalesce(revoked_at_ms, ?2) WHERE token_hash = ?1");
    if (!update.Ok()) {
        return update.Err();
    }
    update->BindText(1, token_hash);
    update->BindInt64(2, now_ms);
    if (Status updated = update->Run(); !updated.Ok()) {
        return updated.Err();
    }
    return sqlite3_changes(Db_) > 0;
}

Result<LoginThrottle> SqliteServerStore::FindLoginThrottle(std::string_view name) {
    std::lock_guard lock(Mutex_);
    Result<Statement> select =
        Statement::Prepare(Db_, "read sign-in throttle",
                           "SELECT failures, locked_until_ms FROM login_throttle WHERE name = ?1");
    if (!select.Ok()) {
        return select.Err();
    }
    select->BindText(1, name);
    Result<std::optional<LoginThrottle>> found =
        ReadOptionalRow<LoginThrottle>(*select, [](const Statement& row) {
            return LoginThrottle{row.ColumnInt64(0), row.ColumnInt64(1)};
        });
    if (!found.Ok()) {
        return found.Err();
    }
    return found->value_or(LoginThrottle{});
}

Status SqliteServerStore::SaveLoginThrottle(std::string_view name, const LoginThrottle& throttle,
                                            int64_t now_ms) {
    std::lock_guard lock(Mutex_);
    Result<Transaction> transaction = Transaction::Begin(Db_, "save sign-in throttle");
    if (!transaction.Ok()) {
        return transaction.Err();
    }
    Result<Statement> upsert = Statement::Prepare(
        Db_, "save sign-in throttle",
        "INSERT INTO login_throttle (name, failures, locked_until_ms, last_failure_ms) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE SET failures = excluded.failures, "
        "locked_until_ms = excluded.locked_until_ms, last_failure_ms = excluded.last_failure_ms");
    Result<Statement> forget = Statement::Prepare(
        Db_, "forget old sign-in failures",
        "DELETE FROM login_throttle WHERE last_failure_ms < ?1 AND locked_until_ms < ?1");
    if (!upsert.Ok()) {
        return upsert.Err();
    }
    if (!forget.Ok()) {
        return forget.Err();
    }
    upsert->BindText(1, name);
    upsert->BindInt64(2, throttle.Failures);
    upsert->BindInt64(3, throttle.LockedUntilMs);
    upsert->BindInt64(4, now_ms);
    forget->BindInt64(1, now_ms - 24LL * 3600 * 1000);
    if (Status saved = upsert->Run(); !saved.Ok()) {
        return saved;
    }
    if (Status forgotten = forget->Run(); !forgotten.Ok()) {
        return forgotten;
    }
    return transaction->Commit();
}

Status SqliteServerStore::ClearLoginThrottle(std::string_view name) {
    std::lock_guard lock(Mutex_);
    Result<Statement> clear = Statement::Prepare(Db_, "clear sign-in throttle",
                                                 "DELETE FROM login_throttle WHERE name = ?1");
    if (!clear.Ok()) {
        return clear.Err();
    }
    clear->BindText(1, name);
    return clear->Run();
}

}  // namespace doorstep::server
