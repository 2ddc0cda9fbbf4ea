// Reports: the filter parser's answers and refusals, every report's exact numbers over a store
// of known answers (k-anonymity included), and the reports through the real server's API.
#include <doctest/doctest.h>
#include <httplib.h>

#include "live_server.hpp"
#include "server/accounts/accounts.hpp"
#include "server/fleet/enrollment.hpp"
#include "server/fleet/fleet.hpp"
#include "server/reports/reports.hpp"
#include "test_database.hpp"

namespace doorstep::server {
namespace {

using Json = nlohmann::json;
using testing::SampleResponse;

constexpr int64_t kNow = 1'790'100'000'000;
constexpr int64_t kDay = 20717;  // 2026-09-21, a Monday: SampleResponse(0) starts 14:13 UTC

ReportFilter Filter(const std::map<std::string, std::string>& query) {
    auto parsed = ParseReportFilter(query, kDay);
    REQUIRE(std::holds_alternative<ReportFilter>(parsed));
    return std::get<ReportFilter>(parsed);
}

std::string ProblemWith(const std::map<std::string, std::string>& query) {
    auto parsed = ParseReportFilter(query, kDay);
    REQUIRE(std::holds_alternative<FilterProblem>(parsed));
    return std::get<FilterProblem>(parsed).Parameter + ": " +
           std::get<FilterProblem>(parsed).Message;
}

std::vector<IncomingResponse> Answers(int first_n, int count, ResponseKind kind, int offset_min,
                                      const std::string& suspect = "") {
    std::vector<IncomingResponse> items;
    for (int i = 0; i < count; ++i) {
        Response r = SampleResponse(first_n + i);
        r.Kind = kind;
        items.push_back(
            IncomingResponse{static_cast<size_t>(i), first_n + i + 1, r, suspect, offset_min});
    }
    return items;
}

// lisbon: 8 customer answers at 16:13 local (UTC+2), 1 suspect one, 5 staff estimates;
// porto: 3 customer answers at 14:xx UTC.
struct KnownAnswers {
    testing::TestDatabase Db;
    std::unique_ptr<ServerStore> Store = Db.Open();

    KnownAnswers() {
        std::string lisbon = Enroll("lisbon");
        std::string porto = Enroll("porto");
        Store1(lisbon, Answers(0, 8, ResponseKind::Customer, 120));
        Store1(lisbon, Answers(8, 1, ResponseKind::Customer, 120, "burst"));
        Store1(lisbon, Answers(10, 5, ResponseKind::Staff, 120));
        Store1(porto, Answers(20, 3, ResponseKind::Customer, 0));
    }
    std::string Enroll(const std::string& store) {
        auto code = CreateEnrollmentCode(*Store, store, "checkout", 24, kNow);
        REQUIRE(code.Ok());
        auto device = RedeemEnrollmentCode(*Store, *code, kNow);
        REQUIRE(device.Ok());
        return (*device)->DeviceId;
    }
    void Store1(const std::string& device, const std::vector<IncomingResponse>& items) {
        // Each call numbers from seq 1 upwards per device; keep seqs distinct.
        std::vector<IncomingResponse> numbered = items;
        for (IncomingResponse& item : numbered) {
            item.Seq = ++NextSeq[device];
        }
        auto stored = Store->StoreBatch(device, numbered, kNow);
        REQUIRE(stored.Ok());
        REQUIRE(stored->NewlyStored == static_cast<int64_t>(items.size()));
    }
    Json Report(std::string_view name, const std::map<std::string, std::string>& query) {
        auto report = BuildReport(*Store, name, Filter(query));
        REQUIRE(report.Ok());
        REQUIRE(report->has_value());
        return **report;
    }
    std::map<std::string, int64_t> NextSeq;
};

Json NeedNamed(const Json& needs, const std::string& name) {
    for (const Json& need : needs) {
        if (need["need"] == name) {
            return need;
        }
    }
    FAIL("no need " << name << " in " << needs.dump());
    return {};
}

}  // namespace

TEST_CASE("report filters: defaults, and refusals that name the parameter") {
    ReportFilter defaults = Filter({});
    CHECK(defaults.ToDay == kDay);
    CHECK(defaults.FromDay == kDay - 27);
    CHECK(defaults.Kind == ResponseKind::Customer);
    CHECK_FALSE(defaults.IncludeSuspect);
    ReportFilter chosen = Filter({{"from", "2026-09-01"},
                                  {"to", "2026-09-21"},
                                  {"kind", "all"},
                                  {"suspect", "include"},
                                  {"store", "lisbon"}});
    CHECK(DayToIsoDate(chosen.FromDay) == "2026-09-01");
    CHECK(chosen.ToDay == kDay);
    CHECK_FALSE(chosen.Kind.has_value());
    CHECK(chosen.IncludeSuspect);
    CHECK(ProblemWith({{"from", "2026-13-01"}}) == "from: from must be a date, YYYY-MM-DD");
    CHECK(ProblemWith({{"to", "2026-02-30"}}).starts_with("to: "));
    CHECK(ProblemWith({{"from", "2026-09-22"}}) ==
          "from: from (2026-09-22) is after to (2026-09-21)");
    CHECK(ProblemWith({{"from", "2020-01-01"}}).find("at most 1098 days") != std::string::npos);
    CHECK(ProblemWith({{"kind", "robots"}}) == "kind: kind must be customer, staff or all");
    CHECK(ProblemWith({{"suspect", "yes"}}).starts_with("suspect: "));
    CHECK(ProblemWith({{"stor", "lisbon"}}).starts_with("stor: unknown parameter 'stor'"));
    CHECK(IsoDateToDay("2026-09-21") == kDay);
}

TEST_CASE_FIXTURE(KnownAnswers, "reports: needs, intent and least met, exactly, with k = 5") {
    Json lisbon = Report("needs", {{"store", "lisbon"}});
    CHECK(lisbon["answers"] == 8);
    Json speed = NeedNamed(lisbon["needs"], "speed");  // scores 1 2 3 4 5 1 2 3
    CHECK(speed["answers"] == 8);
    CHECK(speed["distribution"] == Json::array({2, 2, 2, 1, 1}));
    CHECK(speed["mean"] == 2.63);  // 21 / 8 = 2.625
    CHECK(speed["share_negative"] == 0.5);
    CHECK(NeedNamed(lisbon["needs"], "clean")["mean"] == 5.0);

    // The suspect answer (speed 4) counts only when asked for.
    Json with_suspect = Report("needs", {{"store", "lisbon"}, {"suspect", "include"}});
    CHECK(with_suspect["answers"] == 9);
    CHECK(NeedNamed(with_suspect["needs"], "speed")["distribution"] ==
          Json::array({2, 2, 2, 2, 1}));

    // porto alone has 3 answers: every group is suppressed, never a number.
    Json porto = Report("needs", {{"store", "porto"}});
    CHECK(porto["answers"].is_null());
    CHECK(NeedNamed(porto["needs"], "speed") == Json({{"need", "speed"}, {"suppressed", true}}));

    Json intent = Report("intent", {{"store", "lisbon"}})["intent"];  // intents 0..7
    CHECK(intent["answers"] == 8);
    CHECK(intent["promoters"] == 0);
    CHECK(intent["passives"] == 1);
    CHECK(intent["detractors"] == 7);
    CHECK(intent["net_score"] == -87.5);
    Json everywhere = Report("intent", {})["intent"];  // porto adds intents 9, 10 and 0
    CHECK(everywhere["promoters"] == 2);
    CHECK(everywhere["detractors"] == 8);
    CHECK(everywhere["net_score"] == -54.5);  // (2 - 8) / 11

    Json least_met = Report("least-met", {{"store", "lisbon"}})["ranking"];
    REQUIRE(least_met.size() == 1);
    CHECK(least_met[0] == Json({{"need", "speed"}, {"answers", 8}, {"share", 1.0}}));
    CHECK(Report("least-met", {{"store", "porto"}})["ranking"].empty());
}

TEST_CASE_FIXTURE(KnownAnswers,
                  "reports: a store's two doors count as one store; the fleet's hours as the sum") {
    // porto gets a second door with 4 answers at the same local hour: 3 + 4 is no longer
    // suppressed, neither in the store comparison nor in the fleet's heat map cell.
    auto code = CreateEnrollmentCode(*Store, "porto", "entrance", 24, kNow);
    REQUIRE(code.Ok());
    auto entrance = RedeemEnrollmentCode(*Store, *code, kNow);
    REQUIRE(entrance.Ok());
    Store1((*entrance)->DeviceId, Answers(30, 4, ResponseKind::Customer, 0));

    Json stores = Report("stores", {})["stores"];
    REQUIRE(stores.size() == 2);
    CHECK(stores[1]["store"] == "porto");
    CHECK(stores[1]["answers"] == 7);
    CHECK(Report("stores", {{"door", "entrance"}})["stores"][0]["suppressed"] == true);

    Json fleet = Report("heatmap", {{"to", "2026-09-22"}})["cells"];
    Json porto = Report("heatmap", {{"to", "2026-09-22"}, {"store", "porto"}})["cells"];
    REQUIRE(fleet.size() == 2);
    REQUIRE(porto.size() == 1);
    CHECK(fleet[0] == porto[0]);
    CHECK(fleet[0]["hour"] == 14);
    CHECK(fleet[0]["answers"] == 7);
    Json checkout = Report("heatmap", {{"to", "2026-09-22"}, {"door", "checkout"}})["cells"];
    CHECK(checkout[0] == Json({{"weekday", 1}, {"hour", 14}, {"suppressed", true}}));
}

TEST_CASE_FIXTURE(KnownAnswers, "reports: gap, stores, trend and the local hour matrix") {
    Json gap = Report("gap", {{"store", "lisbon"}});
    CHECK(gap["filter"]["kind"] == "all");
    Json speed = NeedNamed(gap["needs"], "speed");
    CHECK(speed["customer"]["mean"] == 2.63);
    CHECK(speed["staff"]["mean"] == 3.0);  // staff guessed 1 2 3 4 5
    CHECK(speed["gap"] == 0.38);           // staff think it is better than customers say
    Json porto_gap = NeedNamed(Report("gap", {{"store", "porto"}})["needs"], "speed");
    CHECK(porto_gap["staff"]["suppressed"] == true);
    CHECK(porto_gap["gap"].is_null());

    Json stores = Report("stores", {})["stores"];
    REQUIRE(stores.size() == 2);
    CHECK(stores[0]["store"] == "lisbon");
    CHECK(stores[0]["answers"] == 8);
    CHECK(stores[0]["net_score"] == -87.5);
    CHECK(stores[1] == Json({{"store", "porto"}, {"suppressed", true}}));

    Json days = Report("trend", {{"from", "2026-09-20"}, {"to", "2026-09-22"}})["days"];
    REQUIRE(days.size() == 3);
    CHECK(days[0] == Json({{"date", "2026-09-20"}, {"suppressed", true}}));
    CHECK(days[1]["date"] == "2026-09-21");
    CHECK(days[1]["answers"] == 11);
    CHECK(days[2]["suppressed"] == true);

    // lisbon answered at 16:13 local (UTC+2) on a Monday; porto at 14:xx UTC, only 3 answers.
    Json cells = Report("heatmap", {{"to", "2026-09-22"}})["cells"];
    REQUIRE(cells.size() == 2);
    CHECK(cells[0] == Json({{"weekday", 1}, {"hour", 14}, {"suppressed", true}}));
    CHECK(cells[1]["weekday"] == 1);
    CHECK(cells[1]["hour"] == 16);
    CHECK(cells[1]["answers"] == 8);
    Json clean_hours = Report("heatmap", {{"store", "lisbon"}, {"need", "clean"}})["cells"];
    REQUIRE(clean_hours.size() == 1);
    CHECK(clean_hours[0]["mean"] == 5.0);

    Json choices = Report("choices", {});
    CHECK(choices["stores"][0] == Json({{"store", "lisbon"}, {"doors", {"checkout"}}}));
    CHECK(choices["needs"] == Json::array({"advice", "clean", "speed"}));
    CHECK(choices["languages"] == Json::array({"en"}));
}

TEST_CASE_FIXTURE(KnownAnswers, "reports: comments newest first, searched, paged, k = 5") {
    Json lisbon = Report("comments", {{"store", "lisbon"}});
    CHECK(lisbon["total"] == 8);
    REQUIRE(lisbon["comments"].size() == 8);
    CHECK(lisbon["comments"][0] == Json({{"date", "2026-09-21"},
                                         {"time", "16:20"},  // 14:20 UTC, where it is UTC+2
                                         {"store", "lisbon"},
                                         {"door", "checkout"},
                                         {"lang", "en"},
                                         {"kind", "customer"},
                                         {"text", "comment 7"},
                                         {"intent", 7},
                                         {"least_met", "speed"}}));
    CHECK(lisbon["comments"][7]["text"] == "comment 0");

    Json found = Report("comments", {{"store", "lisbon"}, {"q", "COMM 3"}});  // word prefixes
    CHECK(found["total"] == 1);
    REQUIRE(found["comments"].size() == 1);
    CHECK(found["comments"][0]["text"] == "comment 3");
    CHECK(Report("comments", {{"store", "lisbon"}, {"q", "comment"}})["total"] == 8);
    CHECK(Report("comments", {{"q", "\"comment OR *"}})["total"] == 0);  // no query syntax
    CHECK(Report("comments", {{"q", "ment"}})["total"] == 0);            // words, not any substring

    Json page = Report("comments", {{"store", "lisbon"}, {"offset", "6"}, {"limit", "3"}});
    CHECK(page["total"] == 8);
    REQUIRE(page["comments"].size() == 2);
    CHECK(page["comments"][1]["text"] == "comment 0");

    Json porto = Report("comments", {{"store", "porto"}});
    CHECK(porto["suppressed"] == true);
    CHECK(porto["comments"].empty());
    CHECK(ProblemWith({{"q", "ab"}}) == "q: q must be 3 to 100 characters of text");
    CHECK(ProblemWith({{"limit", "500"}}) == "limit: limit must be a whole number from 1 to 200");
}

TEST_CASE("fleet: a device not heard from for longer than the threshold is flagged silent") {
    const int64_t now = kNow;
    auto device = [&](const char* id, std::optional<int64_t> seen_ago_min, bool revoked) {
        DeviceOverview overview;
        overview.Device.DeviceId = id;
        overview.Device.RevokedAtMs = revoked ? std::optional<int64_t>(now) : std::nullopt;
        if (seen_ago_min) {
            overview.LastHeartbeat = HeartbeatRecord{Heartbeat{}, now - *seen_ago_min * 60'000};
        }
        overview.Stored.Missing = {{3, 4}, {9, 9}};
        return overview;
    };
    Json fleet = FleetJson({device("quiet", 130, false), device("live", 5, false),
                            device("never", std::nullopt, false), device("gone", 500, true)},
                           now, 120 * 60'000);
    CHECK(fleet["silent"] == 2);
    CHECK(fleet["devices"][0]["silent"] == true);
    CHECK(fleet["devices"][1]["silent"] == false);
    CHECK(fleet["devices"][2]["silent"] == true);
    CHECK(fleet["devices"][2]["last_seen_ms"].is_null());
    CHECK(fleet["devices"][3]["silent"] == false);  // revoked: expected to be quiet
    CHECK(fleet["devices"][0]["completeness"]["missing"] == 3);
}

TEST_CASE("reports through the real server: signed in only, filters checked, JSON out") {
    testing::LiveServer server;
    std::string token = server.AddUserWithToken();
    testing::Credentials kiosk = server.KioskWithAnswers("lisbon", "checkout", 6);

    httplib::Client client("127.0.0.1", server.Process().Port());
    auto anonymous = client.Get("/api/reports/needs");
    REQUIRE(anonymous);
    CHECK(anonymous->status == 401);
    httplib::Headers bearer{{"Authorization", "Bearer " + token}};
    auto needs =
        client.Get("/api/reports/needs?from=2026-09-01&to=2026-09-30&store=lisbon", bearer);
    REQUIRE(needs);
    REQUIRE(needs->status == 200);
    Json body = Json::parse(needs->body);
    CHECK(body["answers"] == 6);
    CHECK(body["filter"]["store"] == "lisbon");
    CHECK(NeedNamed(body["needs"], "clean")["answers"] == 6);
    auto bad = client.Get("/api/reports/needs?from=yesterday", bearer);
    REQUIRE(bad);
    CHECK(bad->status == 400);
    CHECK(Json::parse(bad->body)["field"] == "from");
    auto unknown = client.Get("/api/reports/sales", bearer);
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
    CHECK(Json::parse(unknown->body)["message"].get<std::string>().find("needs, trend") !=
          std::string::npos);

    auto alerts = client.Get("/api/alerts", bearer);
    REQUIRE(alerts);
    REQUIRE(alerts->status == 200);
    CHECK(Json::parse(alerts->body) == Json({{"state", "open"}, {"alerts", Json::array()}}));
    auto bad_state = client.Get("/api/alerts?state=closed", bearer);
    REQUIRE(bad_state);
    CHECK(bad_state->status == 400);

    testing::Outgoing beat{.Path = "/v1/heartbeat",
                           .Body = testing::HeartbeatBody(kiosk.DeviceId, 10)};
    REQUIRE(server.Client().Send(beat, kiosk).Status == 200);
    auto fleet = client.Get("/api/fleet", bearer);
    REQUIRE(fleet);
    REQUIRE(fleet->status == 200);
    Json devices = Json::parse(fleet->body)["devices"];
    REQUIRE(devices.size() == 1);
    CHECK(devices[0]["store"] == "lisbon");
    CHECK(devices[0]["silent"] == false);
    CHECK(devices[0]["heartbeat"]["survey_version"].is_number_integer());
    CHECK(devices[0]["heartbeat"]["unsaved_answers"] == 3);  // a full disk on the terminal
    CHECK(devices[0]["heartbeat"]["storage_error"] == "database or disk is full");
    CHECK(devices[0]["completeness"]["stored"] == 6);
    CHECK(devices[0]["completeness"]["missing"] == 4);  // it says it has 10; 7-10 are not here
    CHECK(devices[0]["completeness"]["gaps"] == Json::array({{7, 10}}));
    auto bad_silence = client.Get("/api/fleet?silent_after_min=1", bearer);
    REQUIRE(bad_silence);
    CHECK(bad_silence->status == 400);

    testing::CommandResult dry = server.Cli({"purge", "--before", "2026-09-22"});
    REQUIRE_MESSAGE(dry.ExitCode == 0, dry.Stderr);
    CHECK(dry.Stdout.find("Would delete 6 answers from before 2026-09-22 (6 with comments)") !=
          std::string::npos);
    CHECK(server.Count() == 6);
    testing::CommandResult purged = server.Cli({"purge", "--before", "2026-09-22", "--yes"});
    REQUIRE_MESSAGE(purged.ExitCode == 0, purged.Stderr);
    CHECK(purged.Stdout.find("Deleted 6 answers") != std::string::npos);
    CHECK(server.Count() == 0);
    auto after_purge = client.Get("/api/fleet", bearer);
    REQUIRE(after_purge);
    Json purged_device = Json::parse(after_purge->body)["devices"][0]["completeness"];
    CHECK(purged_device["stored"] == 0);
    CHECK(purged_device["gaps"] == Json::array({{7, 10}}));  // purged ones are not missing
    CHECK(server.Cli({"purge", "--before", "22/09/2026"}).ExitCode == 2);

    testing::CommandResult bad_hook = testing::RunServerCommand(
        {"serve", "--db", server.DbUrl(), "--alert-webhook", "ftp://example.com/hook"},
        server.File(""));
    CHECK(bad_hook.ExitCode == 2);
    CHECK(bad_hook.Stderr.find("--alert-webhook must be an http:// or https:// URL") !=
          std::string::npos);
    testing::CommandResult bad_hours = testing::RunServerCommand(
        {"serve", "--db", server.DbUrl(), "--alert-hours", "48"}, server.File(""));
    CHECK(bad_hours.ExitCode == 2);
    CHECK(bad_hours.Stderr.find("--alert-hours") != std::string::npos);
}

}  // namespace doorstep::server
