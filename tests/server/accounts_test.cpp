// Head-office accounts: the rules on names and passwords, sessions and API tokens on a real
// store file, and the whole sign-in through the real doorstep-server binary.
#include <doctest/doctest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "live_server.hpp"
#include "server/accounts/accounts.hpp"
#include "test_database.hpp"

namespace doorstep::server {
namespace {

using testing::LiveServer;
using testing::TestDatabase;

constexpr int64_t kNow = 1'795'549'384'722;
constexpr const char* kPassword = "correct horse battery";

std::string FileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

struct AccountsFixture {
    TestDatabase Db;
    std::unique_ptr<ServerStore> Store = Db.Open();
};

}  // namespace

TEST_CASE("accounts: user names and passwords are refused with the reason") {
    CHECK_FALSE(UserNameProblem("ana@example.com"));
    CHECK(UserNameProblem("")->find("1-64") != std::string::npos);
    CHECK(UserNameProblem("Ana")->find("a-z") != std::string::npos);  // one spelling per person
    CHECK(UserNameProblem("ana smith")->find("a-z") != std::string::npos);
    CHECK(UserNameProblem(std::string(65, 'a'))->find("65") != std::string::npos);
    CHECK_FALSE(PasswordProblem(kPassword));
    CHECK(PasswordProblem("short")->find("at least 10") != std::string::npos);
    CHECK_FALSE(PasswordProblem("ŝŝŝŝŝŝŝŝŝŝ"));  // characters, not bytes
    CHECK(PasswordProblem("\xff\xfe not text at all")->find("UTF-8") != std::string::npos);
    CHECK(PasswordProblem(std::string(1025, 'p'))->find("1024") != std::string::npos);
}

TEST_CASE_FIXTURE(AccountsFixture, "accounts: sign-in needs the right password; sessions end") {
    Result<UserRecord> ana = CreateUser(*Store, "ana", kPassword, kNow);
    REQUIRE(ana.Ok());
    CHECK(ana->PasswordHash.starts_with("$argon2id$"));
    Result<UserRecord> again = CreateUser(*Store, "ana", "another password", kNow);
    REQUIRE_FALSE(again.Ok());
    CHECK(again.Err().Message.find("exists already") != std::string::npos);

    CHECK_FALSE(LogIn(*Store, "ana", "wrong password", kNow)->Session.has_value());
    CHECK_FALSE(LogIn(*Store, "bob", kPassword, kNow)->Session.has_value());
    CHECK_FALSE(LogIn(*Store, "ANA", kPassword, kNow)->Session.has_value());
    Result<LoginOutcome> session = LogIn(*Store, "ana", kPassword, kNow);
    REQUIRE(session.Ok());
    REQUIRE(session->Session.has_value());
    const std::string token = session->Session->Token;
    CHECK(token.starts_with("dss_"));
    CHECK(token.size() == 68);

    Result<std::optional<TokenRecord>> valid = Authorize(*Store, token, kNow + 1000);
    REQUIRE(valid.Ok());
    REQUIRE(valid->has_value());
    CHECK((*valid)->UserName == "ana");
    CHECK((*valid)->Kind == TokenKind::Session);
    CHECK_FALSE(Authorize(*Store, token, kNow + kSessionLifetimeMs)->has_value());  // expired
    std::string tampered = token;
    tampered.back() = tampered.back() == '0' ? '1' : '0';  // one hex digit different
    CHECK_FALSE(Authorize(*Store, tampered, kNow)->has_value());
    CHECK_FALSE(Authorize(*Store, "dss_not-a-token", kNow)->has_value());

    CHECK(*RevokeBearerToken(*Store, token, kNow + 2000));
    CHECK_FALSE(Authorize(*Store, token, kNow + 3000)->has_value());

    // Neither the password nor a token is anywhere in the file (on PostgreSQL: in any row).
    Store.reset();
    std::string bytes =
        Db.IsPostgres()
            ? Db.QueryText(
                  "SELECT u::text FROM users u UNION ALL SELECT t::text FROM auth_tokens t")
            : FileBytes(Db.SqlitePath()) + FileBytes(Db.SqlitePath() + "-wal");
    CHECK(bytes.find(kPassword) == std::string::npos);
    CHECK(bytes.find(token.substr(4)) == std::string::npos);
    CHECK(bytes.find(BearerTokenHash(token)) != std::string::npos);
}

TEST_CASE_FIXTURE(AccountsFixture,
                  "accounts: wrong passwords pause sign-in, doubling, for any name") {
    CHECK(LoginLockMs(4) == 0);
    CHECK(LoginLockMs(5) == 60'000);
    CHECK(LoginLockMs(6) == 120'000);
    CHECK(LoginLockMs(9) == kLongestLockMs);  // 16 minutes would be too long: 15
    CHECK(LoginLockMs(500) == kLongestLockMs);

    REQUIRE(CreateUser(*Store, "ana", kPassword, kNow).Ok());
    for (int i = 1; i <= 4; ++i) {
        Result<LoginOutcome> wrong = LogIn(*Store, "ana", "wrong password", kNow + i);
        REQUIRE(wrong.Ok());
        CHECK(wrong->LockedUntilMs == 0);
    }
    Result<LoginOutcome> fifth = LogIn(*Store, "ana", "wrong password", kNow + 5);
    CHECK(fifth->LockedUntilMs == kNow + 5 + 60'000);
    // While paused even the right password is not looked at.
    Result<LoginOutcome> paused = LogIn(*Store, "ana", kPassword, kNow + 30'000);
    CHECK_FALSE(paused->Session.has_value());
    CHECK(paused->LockedUntilMs == kNow + 5 + 60'000);
    // After the pause the right password works, and clears the count.
    REQUIRE(LogIn(*Store, "ana", kPassword, kNow + 61'000)->Session.has_value());
    CHECK(LogIn(*Store, "ana", "wrong password", kNow + 62'000)->LockedUntilMs == 0);

    // An unknown name is paused the same way: a pause does not tell who exists.
    for (int i = 1; i <= 5; ++i) {
        REQUIRE(LogIn(*Store, "nobody", "whatever it is", kNow + i).Ok());
    }
    CHECK(LogIn(*Store, "nobody", "whatever it is", kNow + 10)->LockedUntilMs > kNow + 10);
}

TEST_CASE_FIXTURE(AccountsFixture, "accounts: API tokens belong to a user and last until revoked") {
    Result<IssuedToken> orphan = CreateApiToken(*Store, "nobody", "nightly", kNow);
    REQUIRE_FALSE(orphan.Ok());
    CHECK(orphan.Err().Message.find("no user named 'nobody'") != std::string::npos);
    REQUIRE(CreateUser(*Store, "bi-robot", kPassword, kNow).Ok());
    CHECK_FALSE(CreateApiToken(*Store, "bi-robot", "", kNow).Ok());
    Result<IssuedToken> token = CreateApiToken(*Store, "bi-robot", "nightly export", kNow);
    REQUIRE(token.Ok());
    CHECK(token->Token.starts_with("dsa_"));
    Result<std::optional<TokenRecord>> valid =
        Authorize(*Store, token->Token, kNow + 400LL * 24 * 3600 * 1000);
    REQUIRE(valid->has_value());
    CHECK((*valid)->Kind == TokenKind::Api);
    CHECK((*valid)->Label == "nightly export");
}

TEST_CASE("head-office sign-in through the real server: CLI user, cookie session, API token") {
    LiveServer server;
    testing::CommandResult weak = server.Cli({"add-user", "--name", "ana"}, "short\n");
    CHECK(weak.ExitCode == 2);
    CHECK(weak.Stderr.find("at least 10 characters") != std::string::npos);
    testing::CommandResult made =
        server.Cli({"add-user", "--name", "ana"}, std::string(kPassword) + "\n");
    REQUIRE_MESSAGE(made.ExitCode == 0, made.Stderr);
    testing::CommandResult twice =
        server.Cli({"add-user", "--name", "ana"}, std::string(kPassword) + "\n");
    CHECK(twice.ExitCode == 2);
    CHECK(twice.Stderr.find("exists already") != std::string::npos);

    httplib::Client client("127.0.0.1", server.Process().Port());
    auto me = client.Get("/api/me");
    REQUIRE(me);
    CHECK(me->status == 401);
    CHECK(nlohmann::json::parse(me->body)["error"] == "unauthorized");

    auto form =
        client.Post("/api/login", "user=ana&password=x", "application/x-www-form-urlencoded");
    REQUIRE(form);
    CHECK(form->status == 415);
    auto wrong = client.Post("/api/login", R"({"user":"ana","password":"not the password"})",
                             "application/json");
    REQUIRE(wrong);
    CHECK(wrong->status == 401);
    CHECK(nlohmann::json::parse(wrong->body)["error"] == "bad_credentials");
    CHECK_FALSE(wrong->has_header("Set-Cookie"));
    // Someone guessing at another name gets paused after five tries, with a Retry-After.
    int last_status = 0;
    for (int i = 0; i < 5; ++i) {
        auto guess = client.Post("/api/login", R"({"user":"boss","password":"password123"})",
                                 "application/json");
        REQUIRE(guess);
        last_status = guess->status;
        if (last_status == 429) {
            CHECK(guess->get_header_value("Retry-After") == "60");
            CHECK(nlohmann::json::parse(guess->body)["error"] == "too_many_attempts");
        }
    }
    CHECK(last_status == 429);

    nlohmann::json login{{"user", "ana"}, {"password", kPassword}};
    auto signed_in = client.Post("/api/login", login.dump(), "application/json");
    REQUIRE(signed_in);
    REQUIRE(signed_in->status == 200);
    std::string cookie = signed_in->get_header_value("Set-Cookie");
    CHECK(cookie.find("HttpOnly") != std::string::npos);
    CHECK(cookie.find("SameSite=Strict") != std::string::npos);
    CHECK(cookie.find("Secure") == std::string::npos);         // plain HTTP on loopback
    CHECK(signed_in->body.find("dss_") == std::string::npos);  // never in a script's reach
    std::string session = cookie.substr(0, cookie.find(';'));
    REQUIRE(session.starts_with("doorstep_session=dss_"));

    auto mine = client.Get("/api/me", {{"Cookie", session}});
    REQUIRE(mine);
    REQUIRE(mine->status == 200);
    CHECK(nlohmann::json::parse(mine->body)["user"] == "ana");
    CHECK(nlohmann::json::parse(mine->body)["kind"] == "session");
    auto unknown = client.Get("/api/nothing-here", {{"Cookie", session}});
    REQUIRE(unknown);
    CHECK(unknown->status == 404);

    testing::CommandResult token =
        server.Cli({"add-token", "--user", "ana", "--label", "nightly export"});
    REQUIRE_MESSAGE(token.ExitCode == 0, token.Stderr);
    std::string api_token = token.Stdout.substr(0, token.Stdout.find('\n'));
    CHECK(api_token.starts_with("dsa_"));
    auto robot = client.Get("/api/me", {{"Authorization", "Bearer " + api_token}});
    REQUIRE(robot);
    REQUIRE(robot->status == 200);
    CHECK(nlohmann::json::parse(robot->body)["kind"] == "api");
    CHECK(server.Cli({"add-token", "--user", "nobody", "--label", "x"}).ExitCode == 2);

    auto out = client.Post("/api/logout", {{"Cookie", session}}, "", "application/json");
    REQUIRE(out);
    CHECK(out->status == 200);
    CHECK(out->get_header_value("Set-Cookie").find("Max-Age=0") != std::string::npos);
    auto after = client.Get("/api/me", {{"Cookie", session}});
    REQUIRE(after);
    CHECK(after->status == 401);
    CHECK(server.Process().Log().find(kPassword) == std::string::npos);
}

}  // namespace doorstep::server
