// Suspect flags (suspect.hpp): each rule at and around its threshold, who is never judged, and
// that several reasons are listed in a fixed order. Real stores on real files.
#include <doctest/doctest.h>

#include "kiosk/store/store.hpp"
#include "kiosk/store/suspect.hpp"
#include "store_fixtures.hpp"
#include "summary_fixtures.hpp"

namespace doorstep {
namespace {

using testing::Abandoned;
using testing::Answer;
using testing::AppendOrFail;
using testing::LocalMs;
using testing::OpenStore;
using testing::ScopedTimeZone;
using testing::Staff;
using testing::SuspectReasonOf;
using testing::TempDir;

// Appends and returns the reason the store gave the response.
std::string Judge(Store& store, const Response& response) {
    AppendOrFail(store, response);
    return SuspectReasonOf(store, response.Uuid);
}

// Distinct answers, so that only the rule under test can fire.
Response Distinct(int64_t ended_ms, int n) {
    return Answer(ended_ms, {1 + n % 5, 1 + (n / 5) % 5, 3}, "trust", n % 11);
}

}  // namespace

TEST_CASE("suspect: the third completed answer within 20 s is a burst, and so is the fourth") {
    ScopedTimeZone zone;
    TempDir dir;
    auto store = OpenStore(dir.File("kiosk.db"));
    const int64_t t0 = LocalMs(2025, 6, 18, 10, 0);
    CHECK(Judge(*store, Distinct(t0, 1)) == "");
    CHECK(Judge(*store, Distinct(t0 + 5'000, 2)) == "");
    CHECK(Judge(*store, Distinct(t0 + kBurstWindowMs, 3)) == "burst");      // window end included
    CHECK(Judge(*store, Distinct(t0 + kBurstWindowMs + 1, 4)) == "burst");  // t0+5 s, t0+20 s
    // The window [t0 + 20.001 s, t0 + 40.001 s] holds only one earlier answer.
    CHECK(Judge(*store, Distinct(t0 + 2 * kBurstWindowMs + 1, 5)) == "");
    CHECK(Judge(*store, Distinct(t0 + 10 * kBurstWindowMs, 6)) == "");
}

TEST_CASE("suspect: staff and abandoned answers are never flagged and never make a burst") {
    ScopedTimeZone zone;
    TempDir dir;
    auto store = OpenStore(dir.File("kiosk.db"));
    const int64_t t0 = LocalMs(2025, 6, 18, 10, 0);
    CHECK(Judge(*store, Distinct(t0, 1)) == "");
    CHECK(Judge(*store, Staff(Distinct(t0 + 1'000, 2))) == "");
    CHECK(Judge(*store, Abandoned(t0 + 2'000, {4}, "need:control")) == "");
    CHECK(Judge(*store, Distinct(t0 + 3'000, 3)) == "");  // only one customer answer before it
    CHECK(Judge(*store, Distinct(t0 + 4'000, 4)) == "burst");

    Response hurried_staff = Staff(Distinct(t0 + 5'000, 5));
    hurried_staff.DurationMs = 100;
    CHECK(Judge(*store, hurried_staff) == "");  // would be burst and too_fast as a customer
    Response hurried_abandon = Abandoned(t0 + 6'000, {1, 1}, "need:support");
    hurried_abandon.DurationMs = 100;
    CHECK(Judge(*store, hurried_abandon) == "");
}

TEST_CASE("suspect: less than 1.2 s an answer is too fast") {
    ScopedTimeZone zone;
    TempDir dir;
    auto store = OpenStore(dir.File("kiosk.db"));
    const int64_t t0 = LocalMs(2025, 6, 18, 10, 0);
    // 3 scores + least-met + intent = 5 answers: at least 6 s.
    Response quick = Distinct(t0, 1);
    quick.DurationMs = 5 * kMinMsPerAnswer - 1;
    CHECK(IsTooFast(quick));
    CHECK(Judge(*store, quick) == "too_fast");
    Response fine = Distinct(t0 + 60'000, 2);
    fine.DurationMs = 5 * kMinMsPerAnswer;
    CHECK(Judge(*store, fine) == "");
    // Unanswered questions are not counted: 2 scores + intent = 3 answers, at least 3.6 s.
    Response partial = Answer(t0 + 120'000, {4, 0, 2}, "", 7);
    partial.DurationMs = 3'600;
    CHECK(Judge(*store, partial) == "");
    Response partial_quick = Answer(t0 + 180'000, {4, 0, 2}, "", 8);
    partial_quick.DurationMs = 3'599;
    CHECK(Judge(*store, partial_quick) == "too_fast");
}

TEST_CASE("suspect: the same answers back to back within 2 minutes are a repeat") {
    ScopedTimeZone zone;
    TempDir dir;
    auto store = OpenStore(dir.File("kiosk.db"));
    const int64_t t0 = LocalMs(2025, 6, 18, 10, 0);
    auto same = [](int64_t ended_ms) { return Answer(ended_ms, {2, 4, 5}, "trust", 6); };

    CHECK(Judge(*store, same(t0)) == "");
    CHECK(Judge(*store, same(t0 + kRepeatWindowMs)) == "repeat");    // 120 s exactly: included
    CHECK(Judge(*store, same(t0 + 2 * kRepeatWindowMs + 1)) == "");  // 120.001 s after
    // An abandoned answer in between does not break the pair; a different one does.
    CHECK(Judge(*store, Abandoned(t0 + 2 * kRepeatWindowMs + 30'000, {2}, "need:control")) == "");
    CHECK(Judge(*store, same(t0 + 2 * kRepeatWindowMs + 60'000)) == "repeat");
    CHECK(Judge(*store, Answer(t0 + 2 * kRepeatWindowMs + 90'000, {2, 4, 5}, "trust", 7)) == "");
    CHECK(Judge(*store, same(t0 + 2 * kRepeatWindowMs + 120'000)) == "");  // previous differs
    // Scores compare as answers, not as the order they were listed in.
    Response reordered = same(t0 + 2 * kRepeatWindowMs + 150'000);
    std::swap(reordered.Scores[0], reordered.Scores[2]);
    CHECK(Judge(*store, reordered) == "repeat");
    // A missing least-met or a different score is a different answer.
    CHECK(Judge(*store, Answer(t0 + 2 * kRepeatWindowMs + 180'000, {2, 4, 5}, "", 6)) == "");
    CHECK(Judge(*store, Answer(t0 + 2 * kRepeatWindowMs + 210'000, {2, 4, 4}, "", 6)) == "");
}

TEST_CASE("suspect: several reasons are listed in a fixed order") {
    ScopedTimeZone zone;
    TempDir dir;
    auto store = OpenStore(dir.File("kiosk.db"));
    const int64_t t0 = LocalMs(2025, 6, 18, 10, 0);
    auto tap_tap_tap = [](int64_t ended_ms) {
        Response response = Answer(ended_ms, {5, 5, 5}, "trust", 10);
        response.DurationMs = 2'000;
        return response;
    };
    CHECK(Judge(*store, tap_tap_tap(t0)) == "too_fast");
    CHECK(Judge(*store, tap_tap_tap(t0 + 3'000)) == "too_fast,repeat");
    CHECK(Judge(*store, tap_tap_tap(t0 + 6'000)) == "burst,too_fast,repeat");
    CHECK(SplitSuspectReason("burst,too_fast,repeat") ==
          std::vector<std::string_view>{"burst", "too_fast", "repeat"});
    CHECK(SplitSuspectReason("").empty());
    CHECK(SplitSuspectReason("repeat") == std::vector<std::string_view>{"repeat"});
}

TEST_CASE("suspect: demo data and real answers are judged apart") {
    ScopedTimeZone zone;
    TempDir dir;
    auto store = OpenStore(dir.File("kiosk.db"));
    const int64_t t0 = LocalMs(2025, 6, 18, 10, 0);
    auto demo = [](Response response) {
        response.Synthetic = true;
        return response;
    };
    CHECK(Judge(*store, demo(Answer(t0, {3, 3, 3}, "trust", 5))) == "");
    CHECK(Judge(*store, demo(Answer(t0 + 1'000, {3, 3, 4}, "trust", 5))) == "");
    CHECK(Judge(*store, Answer(t0 + 2'000, {3, 3, 4}, "trust", 5)) == "");  // neither rule
    CHECK(Judge(*store, demo(Answer(t0 + 3'000, {3, 3, 4}, "trust", 5))) == "burst,repeat");
}

TEST_CASE("suspect: answers are judged against the rows stored before them, in a batch too") {
    ScopedTimeZone zone;
    TempDir dir;
    auto store = OpenStore(dir.File("kiosk.db"));
    const int64_t t0 = LocalMs(2025, 6, 18, 10, 0);
    std::vector<Response> batch = {Distinct(t0, 1), Distinct(t0 + 1'000, 2),
                                   Distinct(t0 + 2'000, 3)};
    REQUIRE(store->AppendBatch(batch).Ok());
    CHECK(SuspectReasonOf(*store, batch[0].Uuid) == "");
    CHECK(SuspectReasonOf(*store, batch[1].Uuid) == "");
    CHECK(SuspectReasonOf(*store, batch[2].Uuid) == "burst");
    // Stored later but ended earlier: judged against what was stored, ending no later than it.
    CHECK(Judge(*store, Distinct(t0 - 1'000, 4)) == "");
    CHECK(Judge(*store, Distinct(t0 + 500, 5)) == "burst");
}

}  // namespace doorstep
