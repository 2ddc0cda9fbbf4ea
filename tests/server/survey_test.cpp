// Survey configuration push: publishing checks and numbers versions, scopes pick the most
// specific assignment, rollback goes back without deleting anything, and a kiosk learns of a new
// version from its heartbeat answer and fetches it from the real server.
#include <doctest/doctest.h>

#include <fstream>

#include "core/wire/gzip.hpp"
#include "live_server.hpp"
#include "server/surveys/survey_push.hpp"
#include "test_database.hpp"

namespace doorstep::server {
namespace {

using Json = nlohmann::json;

std::string InstalledSurvey() {
    std::ifstream in(DOORSTEP_DEFAULT_SURVEY);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string WithLabel(const std::string& label) {
    Json survey = Json::parse(InstalledSurvey());
    survey["needs"][0]["label"]["en"] = label;
    return survey.dump();
}

struct SurveyStore {
    testing::TestDatabase Db;
    std::unique_ptr<ServerStore> Store = Db.Open();

    SurveyVersionRecord Publish(const std::string& text, const SurveyScope& scope) {
        auto published = PublishSurveyText(*Store, text, "survey.json", scope, "ana", 1000);
        REQUIRE(published.Ok());
        REQUIRE(std::holds_alternative<SurveyVersionRecord>(*published));
        return std::get<SurveyVersionRecord>(*published);
    }
    std::vector<SurveyAssignment> Current() {
        auto current = Store->ListSurveyAssignments(false);
        REQUIRE(current.Ok());
        return *current;
    }
};

}  // namespace

TEST_CASE_FIXTURE(SurveyStore, "publishing: checked as the kiosk checks, numbered above the file") {
    auto refused = PublishSurveyText(*Store, R"({"id": "default", "needs": []})", "broken.json", {},
                                     "ana", 1000);
    REQUIRE(refused.Ok());
    REQUIRE(std::holds_alternative<SurveyProblems>(*refused));
    const SurveyProblems& problems = std::get<SurveyProblems>(*refused);
    REQUIRE_FALSE(problems.empty());
    CHECK(problems.front().File == "broken.json");
    CHECK(problems.front().JsonPath.starts_with("$"));
    auto not_json = PublishSurveyText(*Store, "{oops", "x.json", {}, "ana", 1000);
    REQUIRE(not_json.Ok());
    CHECK(std::get<SurveyProblems>(*not_json).front().Describe().find("JSON syntax error") !=
          std::string::npos);
    CHECK(Current().empty());  // nothing refused was stored

    // The installed file says version 1: kiosks may run it, so the first publication is 2.
    SurveyVersionRecord first = Publish(InstalledSurvey(), {});
    CHECK(first.Version == 2);
    CHECK(Json::parse(first.Definition)["version"] == 2);
    CHECK(first.Etag == SurveyEtag(first.Definition));
    CHECK(first.PublishedBy == "ana");
    SurveyVersionRecord second = Publish(WithLabel("Honesty"), {"lisbon", ""});
    CHECK(second.Version == 3);
    CHECK(second.Etag != first.Etag);
    auto read_back = Store->FindSurveyVersion("default", 2);
    REQUIRE(read_back.Ok());
    REQUIRE(read_back->has_value());
    CHECK((*read_back)->Definition == first.Definition);
}

TEST_CASE_FIXTURE(SurveyStore, "scopes: the most specific assignment wins") {
    Publish(InstalledSurvey(), {});                            // v2 everywhere
    Publish(WithLabel("Door"), {"", "checkout"});              // v3 at every checkout
    Publish(WithLabel("Store"), {"lisbon", ""});               // v4 at lisbon
    Publish(WithLabel("Store and door"), {"lisbon", "exit"});  // v5 at lisbon's exit
    std::vector<SurveyAssignment> current = Current();
    CHECK(current.size() == 4);
    CHECK(AssignmentFor(current, "lisbon", "exit")->Version == 5);
    CHECK(AssignmentFor(current, "lisbon", "checkout")->Version == 4);
    CHECK(AssignmentFor(current, "porto", "checkout")->Version == 3);
    CHECK(AssignmentFor(current, "porto", "entrance")->Version == 2);
    CHECK_FALSE(AssignmentFor({}, "porto", "entrance").has_value());
}

TEST_CASE_FIXTURE(SurveyStore, "rollback: back to the version before, or to a chosen one") {
    auto nothing = RollBackSurvey(*Store, {"lisbon", ""}, std::nullopt, "ana", 2000);
    REQUIRE(nothing.Ok());
    CHECK(std::get<std::string>(*nothing).find("nothing was ever published") != std::string::npos);
    Publish(InstalledSurvey(), {"lisbon", ""});  // v2
    auto only_one = RollBackSurvey(*Store, {"lisbon", ""}, std::nullopt, "ana", 2000);
    CHECK(std::get<std::string>(*only_one).find("nothing to go back to") != std::string::npos);
    Publish(WithLabel("Honesty"), {"lisbon", ""});  // v3
    Publish(WithLabel("Candour"), {"lisbon", ""});  // v4
    auto back = RollBackSurvey(*Store, {"lisbon", ""}, std::nullopt, "ben", 3000);
    REQUIRE(back.Ok());
    REQUIRE(std::holds_alternative<SurveyAssignment>(*back));
    CHECK(std::get<SurveyAssignment>(*back).Version == 3);
    CHECK(std::get<SurveyAssignment>(*back).AssignedBy == "ben");
    CHECK(AssignmentFor(Current(), "lisbon", "x")->Version == 3);
    auto chosen = RollBackSurvey(*Store, {"lisbon", ""}, 2, "ben", 4000);
    CHECK(std::get<SurveyAssignment>(*chosen).Version == 2);
    auto missing = RollBackSurvey(*Store, {"lisbon", ""}, 9, "ben", 5000);
    CHECK(std::get<std::string>(*missing) == "survey default has no version 9");
    auto versions = Store->ListSurveyVersions();
    REQUIRE(versions.Ok());
    CHECK(versions->size() == 3);  // nothing deleted
    auto history = Store->ListSurveyAssignments(true);
    REQUIRE(history.Ok());
    CHECK(history->size() == 5);  // three publications, two rollbacks
}

TEST_CASE("a kiosk learns of a new survey from its heartbeat and fetches it") {
    testing::LiveServer server;
    testing::Credentials kiosk = server.Enroll("lisbon", "checkout");
    testing::SyncClient client = server.Client();
    auto heartbeat = [&] {
        testing::Outgoing beat{.Path = "/v1/heartbeat",
                               .Body = testing::HeartbeatBody(kiosk.DeviceId, 0)};
        testing::Reply reply = client.Send(beat, kiosk);
        REQUIRE(reply.Status == 200);
        return reply.Json;
    };
    auto fetch = [&] {
        testing::Outgoing request{.Path = "/v1/survey",
                                  .Body = GzipCompress(Json{{"device_id", kiosk.DeviceId}}.dump())};
        return client.Send(request, kiosk);
    };
    CHECK_FALSE(heartbeat().contains("survey"));
    CHECK(fetch().ErrorCode() == "no_survey");

    std::string path = server.File("v2.json");
    std::ofstream(path) << WithLabel("Honesty");
    testing::CommandResult published =
        server.Cli({"survey", "publish", path, "--store", "lisbon", "--by", "ana"});
    REQUIRE_MESSAGE(published.ExitCode == 0, published.Stderr);
    CHECK(published.Stdout.find("version 2 for store lisbon, every door") != std::string::npos);

    Json offered = heartbeat()["survey"];
    CHECK(offered["survey_id"] == "default");
    CHECK(offered["version"] == 2);
    testing::Reply got = fetch();
    REQUIRE(got.Status == 200);
    CHECK(got.Json["etag"] == offered["etag"]);
    CHECK(got.Json["definition"]["version"] == 2);
    CHECK(got.Json["definition"]["needs"][0]["label"]["en"] == "Honesty");

    testing::Credentials elsewhere = server.Enroll("porto", "checkout");
    testing::Outgoing beat{.Path = "/v1/heartbeat",
                           .Body = testing::HeartbeatBody(elsewhere.DeviceId, 0)};
    CHECK_FALSE(client.Send(beat, elsewhere).Json.contains("survey"));  // another store

    std::ofstream(server.File("bad.json")) << R"({"id": "default"})";
    testing::CommandResult refused = server.Cli({"survey", "publish", server.File("bad.json")});
    CHECK(refused.ExitCode == 1);
    CHECK(refused.Stderr.find("not published") != std::string::npos);
    CHECK(refused.Stderr.find("bad.json: $") != std::string::npos);

    testing::CommandResult rolled = server.Cli({"survey", "rollback", "--store", "lisbon"});
    CHECK(rolled.ExitCode == 1);  // only one version ever ran there
    CHECK(rolled.Stderr.find("nothing to go back to") != std::string::npos);
    testing::CommandResult listed = server.Cli({"survey", "list"});
    CHECK(listed.Stdout.find("store lisbon, every door: default version 2") != std::string::npos);
}

}  // namespace doorstep::server
