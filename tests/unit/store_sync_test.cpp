// The uploader's view of the store: sync outcomes, pruning and counts.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "kiosk/store/store.hpp"
#include "kiosk/store/survey_source.hpp"
#include "store_fixtures.hpp"

using namespace doorstep;
using doorstep::testing::SampleResponse;
using doorstep::testing::TempDir;

namespace {

std::unique_ptr<Store> OpenWith(const TempDir& dir, int responses) {
    Result<std::unique_ptr<Store>> store = Store::Open(dir.File("kiosk.db"));
    REQUIRE(store.Ok());
    for (int i = 0; i < responses; ++i) {
        REQUIRE((*store)->Append(SampleResponse(i)).Ok());
    }
    return std::move(*store);
}

}  // namespace

TEST_CASE("store sync: pending rows come oldest first and leave only through an outcome") {
    TempDir dir;
    auto store = OpenWith(dir, 5);
    auto pending = store->ReadPending(3);
    REQUIRE(pending.Ok());
    REQUIRE(pending->size() == 3);
    CHECK((*pending)[0].Seq == 1);
    CHECK((*pending)[2].Seq == 3);
    CHECK((*pending)[0].Data.Scores.size() == 3);

    SyncOutcome outcome;
    outcome.Synced = {1, 3};
    outcome.Conflicts = {{2, "uuid already stored with different content"}};
    outcome.Rejected = {{4, "responses[0].intent: must be 0..10"}};
    REQUIRE(store->ApplySyncOutcome(outcome, 1'000'000).Ok());
    auto counts = store->CountSync();
    REQUIRE(counts.Ok());
    CHECK(counts->Pending == 1);
    CHECK(counts->Synced == 2);
    CHECK(counts->Conflict == 1);
    CHECK(counts->Rejected == 1);
    CHECK(counts->HighestSeq == 5);
    CHECK(counts->OldestPendingEndedAtMs == SampleResponse(4).EndedAtMs);
    auto next = store->ReadPending(10);
    REQUIRE(next.Ok());
    REQUIRE(next->size() == 1);
    CHECK(next->front().Seq == 5);
    // Nothing is deleted for being rejected or in conflict.
    CHECK(*store->CountResponses() == 5);
}

TEST_CASE("store sync: a late answer never changes a row that already left pending") {
    TempDir dir;
    auto store = OpenWith(dir, 1);
    REQUIRE(store->ApplySyncOutcome({{}, {{1, "conflict"}}, {}}, 10).Ok());
    REQUIRE(store->ApplySyncOutcome({{1}, {}, {}}, 20).Ok());
    auto row = store->ReadFrom(0, 1);
    REQUIRE(row.Ok());
    CHECK(row->front().Sync == SyncState::Conflict);
}

TEST_CASE("store sync: pruning removes only synced rows past retention, and seqs never repeat") {
    TempDir dir;
    auto store = OpenWith(dir, 4);
    REQUIRE(store->ApplySyncOutcome({{1, 2}, {}, {}}, 1'000).Ok());
    REQUIRE(store->ApplySyncOutcome({{3}, {}, {}}, 5'000).Ok());
    auto pruned = store->PruneSynced(2'000);
    REQUIRE(pruned.Ok());
    CHECK(*pruned == 2);
    CHECK(*store->CountResponses() == 2);
    auto seq = store->Append(SampleResponse(9));
    REQUIRE(seq.Ok());
    CHECK(*seq == 5);
    CHECK(store->CountSync()->HighestSeq == 5);
    CHECK(*store->IntegrityCheck() == "ok");
}

TEST_CASE("store sync: settings persist across reopen") {
    TempDir dir;
    {
        auto store = OpenWith(dir, 0);
        REQUIRE(store->WriteMeta("clock_offset_ms", "-7200000").Ok());
        REQUIRE(store->WriteMeta("clock_offset_ms", "-7100000").Ok());
    }
    auto store = OpenWith(dir, 0);
    auto value = store->ReadMeta("clock_offset_ms");
    REQUIRE(value.Ok());
    CHECK(value->value_or("") == "-7100000");
    CHECK_FALSE(store->ReadMeta("missing")->has_value());
}

TEST_CASE("store sync: a survey head office pushed outranks the installed file, across reopen") {
    TempDir dir;
    const std::string installed = std::string(DOORSTEP_SOURCE_ASSETS_DIR) + "/surveys/default.json";
    {
        std::unique_ptr<Store> store = OpenWith(dir, 0);
        Result<ActiveSurvey> before = ResolveSurvey(*store, installed);
        REQUIRE(before.Ok());
        CHECK(before->FromFile);
        CHECK_FALSE(before->FromHeadOffice);
        CHECK(store->PushedSurveyEtag()->has_value() == false);
        nlohmann::json pushed = nlohmann::json::parse(**store->LatestSurveyJson());
        pushed["version"] = 7;
        pushed["needs"][0]["label"]["en"] = "Honesty";
        REQUIRE(store->SavePushedSurvey("default", 7, pushed.dump(2), "\"etag-7\"").Ok());
    }
    std::unique_ptr<Store> reopened = OpenWith(dir, 0);
    CHECK(*reopened->PushedSurveyEtag() == std::optional<std::string>("\"etag-7\""));
    Result<ActiveSurvey> after = ResolveSurvey(*reopened, installed);
    REQUIRE(after.Ok());
    CHECK(after->FromHeadOffice);
    CHECK(after->Definition.Version == 7);
    CHECK(after->Definition.Needs.front().Label.at("en") == "Honesty");
}
