// The store and the terminal's clocks: each answer's end is kept on the boot clock, which
// wall-clock jumps do not move, and is given back only during the boot that stored it; and the
// order of answers is their sequence, whatever their wall-clock stamps say.
#include <doctest/doctest.h>

#include "core/base/clock.hpp"
#include "kiosk/store/store.hpp"
#include "store_fixtures.hpp"

namespace doorstep {
namespace {

using testing::RawDb;
using testing::SampleResponse;
using testing::TempDir;

std::unique_ptr<Store> OpenOrFail(const std::string& path) {
    Result<std::unique_ptr<Store>> store = Store::Open(path);
    REQUIRE_MESSAGE(store.Ok(), (store.Ok() ? std::string() : store.Err().Message));
    return std::move(*store);
}

std::vector<StoredResponse> Pending(const Store& store) {
    Result<std::vector<StoredResponse>> rows = store.ReadPending(100);
    REQUIRE(rows.Ok());
    return std::move(*rows);
}

}  // namespace

TEST_CASE("Store: an answer's end is kept on the boot clock, from the clocks it was recorded by") {
    TempDir dir;
    std::unique_ptr<Store> store = OpenOrFail(dir.File("kiosk.db"));
    Response answer = SampleResponse(1);
    // Recorded 5 s after it ended (it waited for a full disk), at boot-clock 777 s.
    REQUIRE(store->Append(answer, ClockStamp{answer.EndedAtMs + 5'000, 777'000}).Ok());
    // Recorded now: its end lies just behind the boot clock's present reading.
    Response live = SampleResponse(2);
    live.EndedAtMs = WallClockMs();
    live.StartedAtMs = live.EndedAtMs - 30'000;
    int64_t boot_before = BootClockMs();
    REQUIRE(store->Append(live).Ok());
    std::vector<StoredResponse> rows = Pending(*store);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].EndedBootMs == 772'000);
    REQUIRE(rows[1].EndedBootMs.has_value());
    CHECK(*rows[1].EndedBootMs >= boot_before - 1'000);
    CHECK(*rows[1].EndedBootMs <= BootClockMs());
}

TEST_CASE(
    "Store: after a restart, or from before the boot clock was kept, an answer has no "
    "boot-clock end") {
    TempDir dir;
    std::string path = dir.File("kiosk.db");
    {
        std::unique_ptr<Store> store = OpenOrFail(path);
        for (int n = 0; n < 3; ++n) {
            REQUIRE(store->Append(SampleResponse(n)).Ok());
        }
    }
    {
        RawDb raw(path);
        // Seq 1: stored during an earlier boot; seq 2: stored by a build before schema 4.
        REQUIRE(raw.Exec("UPDATE responses SET boot_id = 'an-earlier-boot' WHERE seq = 1") ==
                SQLITE_OK);
        REQUIRE(raw.Exec("UPDATE responses SET boot_id = NULL, ended_boot_ms = NULL "
                         "WHERE seq = 2") == SQLITE_OK);
    }
    std::unique_ptr<Store> store = OpenOrFail(path);
    std::vector<StoredResponse> rows = Pending(*store);
    REQUIRE(rows.size() == 3);
    CHECK_FALSE(rows[0].EndedBootMs.has_value());
    CHECK_FALSE(rows[1].EndedBootMs.has_value());
    CHECK(rows[2].EndedBootMs.has_value());
}

TEST_CASE("Store: answers keep the order they were recorded in when the wall clock jumps") {
    TempDir dir;
    std::unique_ptr<Store> store = OpenOrFail(dir.File("kiosk.db"));
    // The wall clock steps back a day, forward a year, then to 2000 (a flat clock battery).
    const int64_t day = 86'400'000;
    int64_t first_end = SampleResponse(0).EndedAtMs;
    std::vector<int64_t> ends = {first_end, first_end - day, first_end + 365 * day,
                                 946'684'800'000};
    std::vector<std::string> uuids;
    for (size_t i = 0; i < ends.size(); ++i) {
        Response answer = SampleResponse(static_cast<int>(i));
        answer.EndedAtMs = ends[i];
        answer.StartedAtMs = ends[i] - 30'000;
        uuids.push_back(answer.Uuid);
        Result<int64_t> seq = store->Append(answer);
        REQUIRE(seq.Ok());
        CHECK(*seq == static_cast<int64_t>(i + 1));
    }
    std::vector<StoredResponse> rows = Pending(*store);
    REQUIRE(rows.size() == ends.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        CHECK(rows[i].Seq == static_cast<int64_t>(i + 1));
        CHECK(rows[i].Data.Uuid == uuids[i]);
        CHECK(rows[i].Data.EndedAtMs == ends[i]);
    }
}

}  // namespace doorstep
