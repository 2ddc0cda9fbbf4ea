// The terminal's side of alerts over a real server: POST /v1/alerts with the alerts a terminal
// raised offline and its manager's acts, and the store's alerts and rules coming back.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/wire/gzip.hpp"
#include "head_office_client.hpp"
#include "live_server.hpp"

namespace doorstep::testing {
namespace {
using Json = nlohmann::json;
}  // namespace

TEST_CASE("terminal alerts: raised offline, acted on at the terminal, the store's alerts back") {
    // A webhook nobody answers: the terminal's alerts are queued for it like head office's.
    LiveServer server({"--alert-scan", "1", "--alert-webhook", "http://127.0.0.1:9/hook"});
    HeadOffice api(server.Process().Port(), server.AddUserWithToken());
    auto [added, rule] = api.Post("/api/alert-rules", {{"kind", "comment"}, {"store", "lisbon"}});
    REQUIRE(added == 201);
    REQUIRE(api.Post("/api/alert-rules", {{"kind", "low_intent"}, {"store", "porto"}}).first ==
            201);
    Credentials kiosk = server.Enroll("lisbon", "checkout");
    auto post = [&](const Json& body) { return server.PostAlerts(kiosk, body); };

    // The terminal's first call: nothing to hand over; the rules in force at its door come back.
    Reply first = post({{"device_id", kiosk.DeviceId}});
    REQUIRE_MESSAGE(first.Status == 200, first.Body);
    REQUIRE(first.Json["rules"].size() == 1);
    CHECK(first.Json["rules"][0]["kind"] == "comment");
    CHECK(first.Json["alerts"].empty());

    // An answer judged on the terminal while offline, acknowledged there before it synced; the
    // answer itself arrives too, and the server's own scan must not open a second alert for it.
    Response answer = Answer(5, "support", 6, 2, "Cold coffee");
    int64_t rule_id = rule["id"].get<int64_t>();
    Json raised = {{"rule_id", rule_id},
                   {"response_uuid", answer.Uuid},
                   {"ended_at_ms", answer.EndedAtMs},
                   {"utc_offset_min", 0},
                   {"least_met", "support"},
                   {"low_needs", "support"},
                   {"intent", 6},
                   {"comment", "Cold coffee"},
                   {"raised_at_ms", answer.EndedAtMs + 1000}};
    int64_t acted_at = WallClockMs() - 60'000;
    Json act = {{"rule_id", rule_id},
                {"response_uuid", answer.Uuid},
                {"act", "acknowledge"},
                {"note", "Fresh pot made"},
                {"at_ms", acted_at}};
    Reply synced = post({{"device_id", kiosk.DeviceId}, {"raised", {raised}}, {"acts", {act}}});
    REQUIRE_MESSAGE(synced.Status == 200, synced.Body);
    REQUIRE(synced.Json["alerts"].size() == 1);
    const Json& alert = synced.Json["alerts"][0];
    CHECK(alert["source"] == "kiosk");
    CHECK(alert["webhook"] == "pending");
    CHECK(alert["kind"] == "comment");
    CHECK(alert["state"] == "acknowledged");
    CHECK(alert["acknowledged"]["by"] == "manager at lisbon / checkout");
    CHECK(alert["acknowledged"]["note"] == "Fresh pot made");
    CHECK(alert["answer"]["comment"] == "Cold coffee");
    Outgoing batch{.Body = BatchBody(kiosk.DeviceId, {answer}, 1)};
    REQUIRE(server.Client().Send(batch, kiosk).Status == 200);
    std::this_thread::sleep_for(std::chrono::seconds(3));
    CHECK(api.Get("/api/alerts?state=all").second["alerts"].size() == 1);

    // Resolved by its id; sent twice (a lost answer), still once.
    Json resolve = {
        {"alert_id", alert["id"]}, {"act", "resolve"}, {"note", "Done"}, {"at_ms", WallClockMs()}};
    for (int time = 0; time < 2; ++time) {
        Reply resolved = post({{"device_id", kiosk.DeviceId}, {"acts", {resolve}}});
        REQUIRE(resolved.Status == 200);
        CHECK(resolved.Json["alerts"][0]["state"] == "resolved");
    }
    Json kept = api.Get("/api/alerts/" + std::to_string(alert["id"].get<int64_t>())).second;
    CHECK(kept["resolved"]["note"] == "Done");
    CHECK(kept["acknowledged"]["at_ms"] == acted_at);  // when the manager did it, not when synced

    // Bad input names the item; another store's alert cannot be touched.
    Json bad = raised;
    bad.erase("comment");
    Reply refused = post({{"device_id", kiosk.DeviceId}, {"raised", {bad}}});
    CHECK(refused.Status == 400);
    CHECK(refused.Json["field"] == "raised[0]");
    Credentials porto = server.Enroll("porto", "entrance");
    Outgoing intrude{.Path = "/v1/alerts",
                     .Body = GzipCompress(Json{{"device_id", porto.DeviceId},
                                               {"acts",
                                                {{{"alert_id", alert["id"]},
                                                  {"act", "acknowledge"},
                                                  {"note", "not mine"},
                                                  {"at_ms", WallClockMs()}}}}}
                                              .dump())};
    Reply other = server.Client().Send(intrude, porto);
    REQUIRE(other.Status == 200);
    CHECK(other.Json["alerts"].empty());
    CHECK(other.Json["rules"][0]["kind"] == "low_intent");
}

}  // namespace doorstep::testing
