// Closing the loop over real parts: a real doorstep-server, a real SMTP server on loopback
// (smtp_sink.py, aiosmtpd), alert rules and recipients set through head office's API, answers
// uploaded as a kiosk uploads them. Each test runs on SQLite and on PostgreSQL.
#include <doctest/doctest.h>
#include <httplib.h>
#include <sodium.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "core/base/clock.hpp"
#include "core/base/uuid.hpp"
#include "core/wire/gzip.hpp"
#include "head_office_client.hpp"
#include "live_server.hpp"
#include "received_mail.hpp"
#include "self_signed.hpp"
#include "smtp_sink.hpp"

namespace doorstep::testing {
namespace {

using Json = nlohmann::json;

std::vector<std::string> MailArgs(const SmtpSink& sink) {
    return {"--smtp-url",           sink.Url(),
            "--smtp-from",          "doorstep@example.com",
            "--alert-scan",         "1",
            "--mail-retry-seconds", "1",
            "--dashboard-url",      "https://ho.example.com/"};
}

// "2026-12-07 01:23" in UTC.
std::string UtcMinute(int64_t ms) {
    std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[20];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &utc);
    return text;
}

// Waits until GET `path` answers with `member` holding `count` entries matching `test`.
Json WaitForList(HeadOffice& api, const std::string& path, const char* member, size_t count,
                 const std::function<bool(const Json&)>& test = nullptr) {
    Json list;
    for (int tenth = 0; tenth < 300; ++tenth) {
        list = api.Get(path).second[member];
        size_t matching = 0;
        for (const Json& item : list) {
            matching += (!test || test(item)) ? 1 : 0;
        }
        if (matching >= count) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return list;
}

}  // namespace

TEST_CASE("mail: an unhappy answer reaches its store's recipient once, in their language") {
    TempDir dir;
    SmtpSink sink(dir.File("sink"));
    LiveServer server(MailArgs(sink));
    HeadOffice api(server.Process().Port(), server.AddUserWithToken());

    auto [added, rule] = api.Post("/api/alert-rules",
                                  {{"kind", "low_intent"}, {"store", "lisbon"}, {"threshold", 3}});
    REQUIRE_MESSAGE(added == 201, rule.dump());
    CHECK(rule["created_by"] == "ana");
    REQUIRE(api.Post("/api/recipients",
                     {{"address", "gerente@example.com"}, {"store", "lisbon"}, {"language", "es"}})
                .first == 201);
    REQUIRE(
        api.Post("/api/recipients", {{"address", "porto@example.com"}, {"store", "porto"}}).first ==
        201);

    Credentials kiosk = server.Enroll("lisbon", "checkout");
    std::vector<Response> answers = {Answer(3, "trust", 9, 4), Answer(2, "support", 8, 3),
                                     Answer(1, "support", 2, 1, "Nadie en caja")};
    Outgoing batch{.Body = BatchBody(kiosk.DeviceId, answers, 1)};
    REQUIRE(server.Client().Send(batch, kiosk).Status == 200);

    auto kept = sink.WaitFor(1);
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].first == "gerente@example.com");
    Json alerts = WaitForList(api, "/api/alerts", "alerts", 1);
    REQUIRE(alerts.size() == 1);
    const Json& alert = alerts[0];
    CHECK(alert["kind"] == "low_intent");
    CHECK(alert["store"] == "lisbon");
    CHECK(alert["door"] == "checkout");
    CHECK(alert["state"] == "open");
    CHECK(alert["answer"]["uuid"] == answers[2].Uuid);
    CHECK(alert["answer"]["intent"] == 2);
    CHECK(alert["answer"]["least_met"] == "support");
    CHECK(alert["answer"]["low_needs"] == Json::array({"support"}));
    CHECK(alert["answer"]["comment"] == "Nadie en caja");
    CHECK(alert["pain_points"] == Json::array({{{"need", "support"}, {"answers", 2}},
                                               {{"need", "trust"}, {"answers", 1}}}));

    ReceivedMail mail = ParseMail(kept[0].second);
    CHECK(mail.Headers["From"] == "Doorstep <doorstep@example.com>");
    CHECK(mail.Headers["To"] == "gerente@example.com");
    CHECK(mail.Headers["Subject"] == "lisbon, checkout: un cliente quizá no vuelva (2 de 10)");
    CHECK(mail.Headers["Auto-Submitted"] == "auto-generated");
    CHECK(mail.Headers["Message-ID"].ends_with("@example.com>"));
    std::string time = UtcMinute(alert["answer"]["ended_at_ms"].get<int64_t>());
    CHECK(mail.Text ==
          "Un cliente de lisbon, checkout respondió a las " + time +
              ".\r\n\r\n"
              "Valorado bajo: apoyo\r\n"
              "Lo menos atendido: apoyo\r\n"
              "Volvería: 2/10\r\n"
              "Comentario: Nadie en caja\r\n"
              "\r\n"
              "Lo más citado como menos atendido en las últimas 3 horas:\r\n"
              "- apoyo: 2\r\n"
              "- confianza: 1\r\n"
              "\r\n"
              "Confírmela y resuélvala en el modo de encargado del terminal o en el panel:\r\n"
              "https://ho.example.com/\r\n"
              "\r\n"
              "-- \r\n"
              "Recibe este correo porque es destinatario de Doorstep para lisbon.\r\n");
    CHECK(mail.Html.find("<html lang=\"es\">") != std::string::npos);
    CHECK(mail.Html.find("<td>Nadie en caja</td>") != std::string::npos);

    // Acknowledged, then resolved, by the signed-in user; the times report counts it.
    std::string id = std::to_string(alert["id"].get<int64_t>());
    auto [acked, acknowledged] =
        api.Post("/api/alerts/" + id + "/acknowledge", {{"note", "Llamo a la clienta"}});
    REQUIRE(acked == 200);
    CHECK(acknowledged["state"] == "acknowledged");
    CHECK(acknowledged["acknowledged"]["by"] == "ana");
    CHECK(acknowledged["acknowledged"]["note"] == "Llamo a la clienta");
    CHECK(api.Get("/api/alerts?state=unacknowledged").second["alerts"].empty());
    auto [done, resolved] = api.Post("/api/alerts/" + id + "/resolve", {{"note", "Hablado"}});
    REQUIRE(done == 200);
    CHECK(resolved["state"] == "resolved");
    CHECK(resolved["resolved"]["note"] == "Hablado");
    CHECK(api.Get("/api/alerts").second["alerts"].empty());  // open ones only, by default
    CHECK(api.Get("/api/alerts?state=resolved").second["alerts"].size() == 1);
    Json weeks = api.Get("/api/alerts/times?goal_minutes=60").second["weeks"];
    REQUIRE(weeks.size() == 1);
    CHECK(weeks[0]["store"] == "lisbon");
    CHECK(weeks[0]["opened"] == 1);
    CHECK(weeks[0]["acknowledged"] == 1);
    CHECK(weeks[0]["resolved"] == 1);
    CHECK(weeks[0]["resolved_within_goal"] == 1);
    CHECK(weeks[0]["share_within_goal"] == 1.0);

    // More scans and ticks later: still one alert and one mail.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    CHECK(sink.Messages().size() == 1);
    CHECK(api.Get("/api/alerts?state=all").second["alerts"].size() == 1);
    Json outbox = api.Get("/api/mail").second["mail"];
    REQUIRE(outbox.size() == 1);
    CHECK(outbox[0]["state"] == "sent");
    CHECK(outbox[0]["attempts"] == 1);
}

TEST_CASE("mail: a refusing server is tried again, a refused recipient is shown") {
    TempDir dir;
    SmtpSink sink(dir.File("sink"), {"--refuse-data", "2", "--reject", "nobody@example.com"});
    LiveServer server(MailArgs(sink));
    HeadOffice api(server.Process().Port(), server.AddUserWithToken());
    REQUIRE(api.Post("/api/alert-rules", {{"kind", "comment"}}).first == 201);
    REQUIRE(api.Post("/api/recipients", {{"address", "ana@example.com"}}).first == 201);
    REQUIRE(api.Post("/api/recipients", {{"address", "nobody@example.com"}}).first == 201);

    Credentials kiosk = server.Enroll("porto", "checkout");
    Outgoing batch{.Body = BatchBody(kiosk.DeviceId, {Answer(1, "trust", 7, 3, "Muy lento")}, 1)};
    REQUIRE(server.Client().Send(batch, kiosk).Status == 200);

    Json outbox = WaitForList(api, "/api/mail", "mail", 2,
                              [](const Json& mail) { return mail["state"] != "pending"; });
    REQUIRE(outbox.size() == 2);
    for (const Json& mail : outbox) {
        if (mail["to"] == "ana@example.com") {
            CHECK(mail["state"] == "sent");
            CHECK(mail["attempts"] == 3);  // 451, 451, then kept
        } else {
            CHECK(mail["state"] == "failed");
            CHECK(mail["attempts"] == 1);
            CHECK(mail["last_error"].get<std::string>().find("SMTP 550") != std::string::npos);
        }
    }
    auto kept = sink.Messages();
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].first == "ana@example.com");
    CHECK(ParseMail(kept[0].second).Headers["Subject"] ==
          "porto, checkout: a customer left a comment");
    Json recipients = api.Get("/api/recipients").second["recipients"];
    REQUIRE(recipients.size() == 2);
    CHECK(recipients[0]["last_error"] == "");
    CHECK(recipients[1]["address"] == "nobody@example.com");
    CHECK(recipients[1]["last_error"].get<std::string>().find("550") != std::string::npos);
}

TEST_CASE("mail: while the SMTP server is down nothing is lost; it goes once it is up") {
    TempDir dir;
    int port = 0;
    {
        SmtpSink probe(dir.File("probe"));
        port = probe.Port();  // free again once it stops
    }
    std::vector<std::string> args = {
        "--smtp-url",           "smtp://127.0.0.1:" + std::to_string(port),
        "--smtp-from",          "doorstep@example.com",
        "--alert-scan",         "1",
        "--mail-retry-seconds", "1"};
    LiveServer server(args);
    HeadOffice api(server.Process().Port(), server.AddUserWithToken());
    REQUIRE(api.Post("/api/alert-rules", {{"kind", "low_score"}, {"threshold", 1}}).first == 201);
    REQUIRE(api.Post("/api/recipients", {{"address", "ana@example.com"}}).first == 201);
    Credentials kiosk = server.Enroll("porto", "entrance");
    Outgoing batch{.Body = BatchBody(kiosk.DeviceId, {Answer(1, "support", 5, 1)}, 1)};
    REQUIRE(server.Client().Send(batch, kiosk).Status == 200);

    Json outbox = WaitForList(api, "/api/mail", "mail", 1,
                              [](const Json& mail) { return mail["attempts"].get<int>() >= 2; });
    REQUIRE(outbox.size() == 1);
    CHECK(outbox[0]["state"] == "pending");
    CHECK(outbox[0]["last_error"] != "");
    SmtpSink sink(dir.File("sink"), {"--port", std::to_string(port)});
    auto kept = sink.WaitFor(1);
    REQUIRE(kept.size() == 1);
    CHECK(ParseMail(kept[0].second).Headers["Subject"] ==
          "porto, entrance: a customer rated support low");
    std::this_thread::sleep_for(std::chrono::seconds(3));
    CHECK(sink.Messages().size() == 1);
    CHECK(api.Get("/api/mail").second["mail"][0]["state"] == "sent");
}

TEST_CASE("mail: a server killed while the SMTP server holds its message never sends it again") {
    TempDir dir;
    SmtpSink sink(dir.File("sink"), {"--hold", "4"});
    std::vector<std::string> args = MailArgs(sink);
    LiveServer server(args);
    std::string token = server.AddUserWithToken();
    HeadOffice api(server.Process().Port(), token);
    REQUIRE(api.Post("/api/alert-rules", {{"kind", "comment"}, {"store", "porto"}}).first == 201);
    REQUIRE(api.Post("/api/recipients", {{"address", "ana@example.com"}}).first == 201);
    Credentials kiosk = server.Enroll("porto", "checkout");
    Outgoing batch{.Body = BatchBody(kiosk.DeviceId, {Answer(1, "trust", 7, 3, "Frío")}, 1)};
    REQUIRE(server.Client().Send(batch, kiosk).Status == 200);

    // The whole message is with the SMTP server, which has not answered yet: kill the sender.
    REQUIRE(sink.WaitFor(1).size() == 1);
    server.Process().StopWith(SIGKILL);
    ServerProcess again(server.DbUrl(), server.File("again.log"), args);
    HeadOffice api_again(again.Port(), token);
    Json outbox = api_again.Get("/api/mail").second["mail"];
    REQUIRE(outbox.size() == 1);
    CHECK(outbox[0]["state"] == "sent");  // committed before the end of the message went
    std::this_thread::sleep_for(std::chrono::seconds(6));
    CHECK(sink.Messages().size() == 1);
    CHECK(api_again.Get("/api/alerts?state=all").second["alerts"].size() == 1);
}

TEST_CASE("mail: STARTTLS and AUTH, required") {
    TempDir keys;
    std::optional<CertificateFiles> made = MakeSelfSignedCertificate(keys);
    REQUIRE(made);
    const std::string& cert = made->Cert;
    const std::string& key = made->Key;
    std::ofstream(keys.File("password")) << "s3cret-relay\n";
    SmtpSink sink(keys.File("sink"),
                  {"--tls-cert", cert, "--tls-key", key, "--auth", "relay:s3cret-relay"});
    LiveServer server({"--smtp-url", sink.Url(), "--smtp-from", "doorstep@example.com",
                       "--smtp-tls", "required", "--smtp-user", "relay", "--smtp-password-file",
                       keys.File("password"), "--smtp-ca-file", cert, "--alert-scan", "1"});
    HeadOffice api(server.Process().Port(), server.AddUserWithToken());
    REQUIRE(api.Post("/api/alert-rules", {{"kind", "comment"}}).first == 201);
    REQUIRE(
        api.Post("/api/recipients", {{"address", "ana@example.com"}, {"language", "de"}}).first ==
        201);
    Credentials kiosk = server.Enroll("berlin", "kasse");
    Outgoing batch{.Body = BatchBody(kiosk.DeviceId, {Answer(1, "trust", 7, 3, "Zu laut")}, 1)};
    REQUIRE(server.Client().Send(batch, kiosk).Status == 200);
    auto kept = sink.WaitFor(1);
    REQUIRE(kept.size() == 1);
    CHECK(ParseMail(kept[0].second).Headers["Subject"] ==
          "berlin, kasse: ein Kunde hat einen Kommentar hinterlassen");
}

TEST_CASE("mail and alert rules: bad input is refused, naming what is wrong") {
    LiveServer server;
    HeadOffice api(server.Process().Port(), server.AddUserWithToken());
    auto [status, error] =
        api.Post("/api/alert-rules", {{"kind", "low_intent"}, {"threshold", 12}});
    CHECK(status == 400);
    CHECK(error["field"] == "threshold");
    CHECK(error["message"] == "threshold must be a whole number from 0 to 9");
    CHECK(api.Post("/api/alert-rules", {{"kind", "sad"}}).second["field"] == "kind");
    CHECK(api.Post("/api/alert-rules", {{"kind", "comment"}, {"need", "trust"}}).second["field"] ==
          "need");
    CHECK(api.Post("/api/alert-rules", {{"kind", "below_goal"}, {"window_hours", 0}})
              .second["field"] == "window_hours");
    auto [bad_address, why] = api.Post("/api/recipients", {{"address", "ana at example.com"}});
    CHECK(bad_address == 400);
    CHECK(why["field"] == "address");
    CHECK(api.Post("/api/recipients", {{"address", "ana@example.com"}, {"language", "tlh"}})
              .second["field"] == "language");
    CHECK(api.Get("/api/alert-rules").second["rules"].empty());  // nothing half added
    CHECK(api.Get("/api/recipients").second["recipients"].empty());
    CHECK(api.Post("/api/alerts/999/resolve", Json::object()).first == 404);

    CommandResult cli =
        server.Cli({"alert-rule", "add", "--kind", "low_score", "--threshold", "5"});
    CHECK(cli.ExitCode == 2);
    CHECK(cli.Stderr.find("threshold must be a whole number from 1 to 4") != std::string::npos);
    CommandResult added = server.Cli({"alert-rule", "add", "--kind", "below_goal", "--need",
                                      "trust", "--threshold", "4.2", "--window-hours", "24"});
    REQUIRE_MESSAGE(added.ExitCode == 0, added.Stderr);
    CHECK(Json::parse(added.Stdout)["min_answers"] == 20);
    CommandResult listed = server.Cli({"alert-rule", "list"});
    CHECK(Json::parse(listed.Stdout)["rules"].size() == 1);

    for (auto [flags, message] :
         {std::pair<std::vector<std::string>, std::string>{
              {"--smtp-url", "http://mail.example.com"}, "--smtp-url must start with smtp://"},
          {{"--smtp-url", "smtp://mail.example.com"}, "--smtp-url needs --smtp-from"},
          {{"--smtp-url", "smtp://mail.example.com", "--smtp-from", "no-at-sign"},
           "--smtp-from: the address must hold exactly one '@'"},
          {{"--smtp-from", "a@example.com"}, "--smtp-from needs --smtp-url"}}) {
        std::vector<std::string> args = {"serve", "--db", server.DbUrl()};
        args.insert(args.end(), flags.begin(), flags.end());
        CommandResult refused = RunServerCommand(args, server.File(""));
        CHECK(refused.ExitCode == 2);
        CHECK_MESSAGE(refused.Stderr.find(message) != std::string::npos, refused.Stderr);
    }
}

}  // namespace doorstep::testing
