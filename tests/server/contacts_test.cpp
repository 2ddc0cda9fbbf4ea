// Service recovery at head office over a real server: a terminal's sealed contact in POST
// /v1/alerts, the contact alert it opens, who may see the contact, and when it goes.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/alerts/contact.hpp"
#include "core/wire/gzip.hpp"
#include "head_office_client.hpp"
#include "live_server.hpp"
#include "received_mail.hpp"
#include "smtp_sink.hpp"

namespace doorstep::testing {
namespace {
using Json = nlohmann::json;

constexpr const char* kEmail = "maria.silva@example.org";

// A head-office user of `stores` (none: no store) with an API token.
std::string UserWithToken(const LiveServer& server, const std::string& name,
                          const std::vector<std::string>& stores) {
    std::vector<std::string> add = {"add-user", "--name", name};
    for (const std::string& store : stores) {
        add.insert(add.end(), {"--store", store});
    }
    CommandResult added = server.Cli(add, "correct horse battery\n");
    REQUIRE_MESSAGE(added.ExitCode == 0, added.Stderr);
    CommandResult token = server.Cli({"add-token", "--user", name, "--label", "tests"});
    REQUIRE_MESSAGE(token.ExitCode == 0, token.Stderr);
    return token.Stdout.substr(0, 68);
}

Json ContactItem(const Response& answer, const std::string& sealed) {
    return {{"response_uuid", answer.Uuid},
            {"sealed", sealed},
            {"left_at_ms", answer.EndedAtMs},
            {"ended_at_ms", answer.EndedAtMs},
            {"utc_offset_min", 0},
            {"least_met", "support"},
            {"low_needs", "support"},
            {"intent", 2},
            {"comment", "Nobody at the till"}};
}

std::string FileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

}  // namespace

TEST_CASE(
    "contacts: sealed to head office's key, seen by the store's accounts only, resolved away") {
    LiveServer server;
    std::string lisbon = UserWithToken(server, "lena", {"lisbon"});
    std::string porto = UserWithToken(server, "paulo", {"porto"});
    std::string nobody = UserWithToken(server, "nuno", {});
    Credentials kiosk = server.Enroll("lisbon", "checkout");
    auto post = [&](const Json& body) { return server.PostAlerts(kiosk, body); };

    // The terminal learns head office's key from any reply.
    Reply first = post({{"device_id", kiosk.DeviceId}});
    REQUIRE_MESSAGE(first.Status == 200, first.Body);
    std::string key = first.Json["contact_key"].get<std::string>();
    REQUIRE(IsContactKeyHex(key));
    CHECK(first.Json["contacts_received"].empty());

    // A malformed item refuses the whole request; nothing of it is kept.
    Response answer = Answer(5, "support", 2, 1, "Nobody at the till");
    Json sealed = ContactItem(answer, *SealContact(kEmail, key));
    Json bad = sealed;
    bad["sealed"] = "not hex";
    Reply refused = post({{"device_id", kiosk.DeviceId}, {"contacts", {sealed, bad}}});
    CHECK(refused.Status == 400);
    CHECK(refused.Json["field"] == "contacts[1]");
    CHECK(server.Count("contacts") == 0);
    CHECK(server.Count("alerts") == 0);

    // Sent twice (a lost reply): kept once, listed both times, one contact alert.
    for (int time = 0; time < 2; ++time) {
        Reply kept = post({{"device_id", kiosk.DeviceId}, {"contacts", {sealed}}});
        REQUIRE_MESSAGE(kept.Status == 200, kept.Body);
        CHECK(kept.Json["contacts_received"] == Json::array({answer.Uuid}));
    }
    CHECK(server.Count("contacts") == 1);
    HeadOffice store_account(server.Process().Port(), lisbon);
    Json alerts = store_account.Get("/api/alerts").second["alerts"];
    REQUIRE(alerts.size() == 1);
    CHECK(alerts[0]["kind"] == "contact");
    CHECK(alerts[0]["contact"] == true);
    CHECK(alerts[0]["answer"]["comment"] == "Nobody at the till");
    std::string path = "/api/alerts/" + std::to_string(alerts[0]["id"].get<int64_t>());

    // Encrypted at rest: the database holds the seal, never the address.
    if (!server.Db().IsPostgres()) {
        CHECK(FileBytes(server.Db().SqlitePath()).find(kEmail) == std::string::npos);
        CHECK(FileBytes(server.Db().SqlitePath() + "-wal").find(kEmail) == std::string::npos);
    }
    CHECK(server.Db().QueryText("SELECT sealed FROM contacts") ==
          sealed["sealed"].get<std::string>() + "\n");

    // The store's account sees it; another store's and a storeless one are told whose it is.
    auto [status, shown] = store_account.Get(path + "/contact");
    REQUIRE(status == 200);
    CHECK(shown["kind"] == "email");
    CHECK(shown["contact"] == kEmail);
    CHECK(shown["left_at_ms"] == answer.EndedAtMs);
    for (const std::string& token : {porto, nobody}) {
        auto [denied, why] = HeadOffice(server.Process().Port(), token).Get(path + "/contact");
        CHECK(denied == 403);
        CHECK(why["message"] == "only accounts of store lisbon may see this customer's contact");
    }
    CHECK(server.Process().Log().find(kEmail) == std::string::npos);
    CHECK(server.Process().Log().find("contact viewed") != std::string::npos);

    // A seal for another key: listed (so the terminal drops it), logged, not kept.
    Response other = Answer(3, "trust", 1, 1);
    Json foreign = ContactItem(other, *SealContact(kEmail, NewContactKeyPair().PublicHex));
    Reply dropped = post({{"device_id", kiosk.DeviceId}, {"contacts", {foreign}}});
    REQUIRE(dropped.Status == 200);
    CHECK(dropped.Json["contacts_received"] == Json::array({other.Uuid}));
    CHECK(server.Count("contacts") == 1);
    CHECK(server.Process().Log().find(other.Uuid) != std::string::npos);

    // Resolving the alert deletes the contact; a resend after that keeps nothing again.
    REQUIRE(store_account.Post(path + "/resolve", {{"note", "Called her"}}).first == 200);
    CHECK(server.Count("contacts") == 0);
    CHECK(store_account.Get(path + "/contact").first == 404);
    CHECK(store_account.Get(path).second["contact"] == false);
    REQUIRE(post({{"device_id", kiosk.DeviceId}, {"contacts", {sealed}}}).Status == 200);
    CHECK(server.Count("contacts") == 0);
}

TEST_CASE("contacts: the store's recipients are asked to call back, never told the contact") {
    TempDir dir;
    SmtpSink sink(dir.File("sink"));
    LiveServer server({"--smtp-url", sink.Url(), "--smtp-from", "doorstep@example.com",
                       "--dashboard-url", "https://ho.example.com/"});
    HeadOffice api(server.Process().Port(), server.AddUserWithToken());
    REQUIRE(api.Post("/api/recipients", {{"address", "gerente@example.com"}, {"store", "lisbon"}})
                .first == 201);
    Credentials kiosk = server.Enroll("lisbon", "checkout");
    auto post = [&](const Json& body) { return server.PostAlerts(kiosk, body); };
    std::string key = post({{"device_id", kiosk.DeviceId}}).Json["contact_key"].get<std::string>();
    Response answer = Answer(5, "support", 2, 1, "Nobody at the till");
    Json item = ContactItem(answer, *SealContact(kEmail, key));
    REQUIRE(post({{"device_id", kiosk.DeviceId}, {"contacts", {item}}}).Status == 200);

    auto received = sink.WaitFor(1);
    REQUIRE(received.size() == 1);
    CHECK(received[0].first == "gerente@example.com");
    CHECK(received[0].second.find(kEmail) == std::string::npos);
    ReceivedMail mail = ParseMail(received[0].second);
    CHECK(mail.Headers["Subject"] == "lisbon, checkout: a customer asks to be contacted");
    CHECK(mail.Text.find("The customer asks to be contacted. Open the dashboard to see how to "
                         "reach them: only accounts of lisbon can, and the contact is deleted "
                         "once the alert is resolved.") != std::string::npos);
    CHECK(mail.Text.find("Comment: Nobody at the till") != std::string::npos);
}

TEST_CASE("contacts: --contact-days deletes a contact that many days after it was left") {
    LiveServer server;
    Credentials kiosk = server.Enroll("lisbon", "checkout");
    auto post = [&](const Json& body) { return server.PostAlerts(kiosk, body); };
    Reply first = post({{"device_id", kiosk.DeviceId}});
    REQUIRE(first.Status == 200);
    Response answer = Answer(2 * 24 * 60, "support", 2, 1);  // two days ago
    std::string key = first.Json["contact_key"].get<std::string>();
    Json item = ContactItem(answer, *SealContact("+351 912 345 678", key));
    Reply kept = post({{"device_id", kiosk.DeviceId}, {"contacts", {item}}});
    REQUIRE(kept.Status == 200);
    CHECK(server.Count("contacts") == 1);  // within the default 30 days
    REQUIRE(server.Process().StopWith(SIGTERM) == 0);

    ServerProcess shorter(server.DbUrl(), server.File("shorter.log"), {"--contact-days", "1"});
    CHECK(server.Count("contacts") == 0);  // expired before the first request was served
    CHECK(server.Count("alerts") == 1);    // the case stays; only the contact goes

    CommandResult bad = server.Cli({"serve", "--contact-days", "0"});
    CHECK(bad.ExitCode == 2);
    CHECK(bad.Stderr.find("--contact-days") != std::string::npos);
}

TEST_CASE("contacts: a server refuses to start with another key file than the database's") {
    LiveServer server;  // its first start made the key file and recorded its public half

    // A missing file while the database records a key.
    CommandResult missing = server.Cli(
        {"serve", "--listen", "127.0.0.1:0", "--contact-key", server.File("missing.key")});
    CHECK(missing.ExitCode == 1);
    CHECK(missing.Stderr.find(server.File("missing.key")) != std::string::npos);
    CHECK(missing.Stderr.find("is missing") != std::string::npos);
    CHECK(missing.Stderr.find("copy") != std::string::npos);

    // Another pair in the file.
    ContactKeyPair other = NewContactKeyPair();
    {
        std::ofstream out(server.File("other.key"));
        out << Json{{"public", other.PublicHex}, {"secret", other.SecretHex}}.dump();
    }
    CommandResult mismatch =
        server.Cli({"serve", "--listen", "127.0.0.1:0", "--contact-key", server.File("other.key")});
    CHECK(mismatch.ExitCode == 1);
    CHECK(mismatch.Stderr.find(server.File("other.key")) != std::string::npos);
    CHECK(mismatch.Stderr.find("database records") != std::string::npos);
}

TEST_CASE("user-stores: sets and lists an account's stores; an unknown user is named") {
    LiveServer server;
    server.AddUserWithToken();
    CommandResult set = server.Cli({"user-stores", "ana", "--store", "porto", "--store", "lisbon"});
    REQUIRE_MESSAGE(set.ExitCode == 0, set.Stderr);
    CHECK(set.Stdout == "lisbon\nporto\n");
    CHECK(server.Cli({"user-stores", "ana", "--clear"}).Stdout.empty());
    CommandResult unknown = server.Cli({"user-stores", "zoe"});
    CHECK(unknown.ExitCode == 2);
    CHECK(unknown.Stderr.find("no user zoe") != std::string::npos);
}

}  // namespace doorstep::testing
