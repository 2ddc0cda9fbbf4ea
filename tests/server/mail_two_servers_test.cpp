// Two doorstep-servers on one database, both sending mail through one real SMTP server: every
// alert's mail arrives exactly once, whichever server claims it (SQLite: one file, PostgreSQL:
// one database, as the suite runs).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "head_office_client.hpp"
#include "live_server.hpp"
#include "smtp_sink.hpp"

namespace doorstep::testing {

TEST_CASE("mail: two servers on one database send each mail once") {
    TempDir dir;
    // Each message held a tenth of a second: one server alone would take seconds for them all,
    // so both servers claim mails while the other is sending.
    SmtpSink sink(dir.File("sink"), {"--hold", "0.1"});
    std::vector<std::string> args = {"--smtp-url",           sink.Url(),     "--smtp-from",
                                     "doorstep@example.com", "--alert-scan", "1"};
    LiveServer first(args);
    ServerProcess second(first.DbUrl(), first.File("second.log"), args);
    HeadOffice api(first.Process().Port(), first.AddUserWithToken());
    REQUIRE(api.Post("/api/alert-rules", {{"kind", "comment"}}).first == 201);
    for (const char* address : {"ana@example.com", "rui@example.com"}) {
        REQUIRE(api.Post("/api/recipients", {{"address", address}}).first == 201);
    }
    // Answers reach both servers: each one's scan sees all of them, and each sends mail.
    Credentials lisbon = first.Enroll("lisbon", "checkout");
    Credentials porto = first.Enroll("porto", "entrance");
    std::vector<Response> answers;
    for (int n = 0; n < 15; ++n) {
        answers.push_back(Answer(20 - n, "support", 5, 3, "Comment number " + std::to_string(n)));
    }
    Outgoing to_first{.Body = BatchBody(lisbon.DeviceId, answers, 1)};
    REQUIRE(first.Client().Send(to_first, lisbon).Status == 200);
    std::vector<Response> more;
    for (int n = 0; n < 15; ++n) {
        more.push_back(Answer(20 - n, "trust", 6, 4, "Another comment " + std::to_string(n)));
    }
    Outgoing to_second{.Body = BatchBody(porto.DeviceId, more, 1)};
    REQUIRE(SyncClient(second.Port()).Send(to_second, porto).Status == 200);

    auto kept = sink.WaitFor(60, 60);
    std::this_thread::sleep_for(std::chrono::seconds(4));  // anything sent twice would show now
    kept = sink.Messages();
    CHECK(kept.size() == 60);  // 30 alerts, 2 recipients each
    std::set<std::string> ids;
    for (const auto& [to, message] : kept) {
        size_t at = message.find("Message-ID: <");
        REQUIRE(at != std::string::npos);
        ids.insert(message.substr(at, message.find('>', at) - at));
    }
    CHECK(ids.size() == kept.size());
    nlohmann::json outbox = api.Get("/api/mail").second["mail"];
    CHECK(outbox.size() == 60);
    for (const nlohmann::json& mail : outbox) {
        CHECK(mail["state"] == "sent");
        CHECK(mail["attempts"] == 1);
    }
    // Both servers did send: each names the mails it sent in its log.
    CHECK(first.Process().Log().find("msg=\"mail sent\"") != std::string::npos);
    CHECK(second.Log().find("msg=\"mail sent\"") != std::string::npos);
}

}  // namespace doorstep::testing
