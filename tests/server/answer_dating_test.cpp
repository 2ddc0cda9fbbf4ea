// Dating answers (answer_dating.hpp): the terminal's wall clock against its boot clock and head
// office's clock, through the jumps a terminal's clock really makes.
#include <doctest/doctest.h>

#include "server/store/answer_dating.hpp"
#include "store_fixtures.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kReceived = 1'795'549'384'722;  // head office's clock as the batch arrives
constexpr int64_t kMinute = 60'000;
constexpr int64_t kDay = 24 * 60 * kMinute;
constexpr int64_t kYear2000 = 946'684'800'000;

// An answer of 20 s that the terminal stamped as ending at `ended`.
AnswerClock Stamped(int64_t ended, std::optional<int64_t> age = {}) {
    return {ended - 20'000, ended, age};
}

int64_t DatedEnd(const AnswerClock& answer, std::optional<int64_t> sent_at) {
    return answer.EndedAtMs + AnswerClockShiftMs(answer, sent_at, kReceived);
}

}  // namespace

TEST_CASE("a terminal whose clock is right keeps its own times to the millisecond") {
    // Ten minutes ago, sent with a second of network time between the clocks.
    AnswerClock answer = Stamped(kReceived - 10 * kMinute - 1'000, 10 * kMinute);
    CHECK(AnswerClockShiftMs(answer, kReceived - 1'000, kReceived) == 0);
    CHECK(AnswerClockShiftMs(Stamped(kReceived - kDay), kReceived - 1'000, kReceived) == 0);
    // The tolerance holds up to two minutes of drift, and no further.
    CHECK(AnswerClockShiftMs(Stamped(kReceived - 2 * kMinute, 0), {}, kReceived) == 0);
    CHECK(AnswerClockShiftMs(Stamped(kReceived - 2 * kMinute - 1, 0), {}, kReceived) ==
          2 * kMinute + 1);
}

TEST_CASE("with an age, the answer is dated by head office's clock, whatever the wall clock did") {
    // The clock jumped forward a year after the answer, backwards to 2000 before it, or was
    // three days slow all along: the boot clock's age places the answer the same each time.
    int64_t truly_ended = kReceived - 45 * kMinute;
    for (int64_t stamped : {truly_ended + 365 * kDay, kYear2000, truly_ended - 3 * kDay}) {
        CAPTURE(stamped);
        AnswerClock answer = Stamped(stamped, 45 * kMinute);
        CHECK(DatedEnd(answer, kReceived) == truly_ended);
        CHECK(DatedEnd(answer, {}) == truly_ended);
    }
}

TEST_CASE("without an age, the clock's error now corrects the stamp when that is plausible") {
    // Three hours slow now, and (by the corrected stamp's plausibility) when the answer ended.
    int64_t slow = 3 * 60 * kMinute;
    CHECK(DatedEnd(Stamped(kReceived - kDay - slow), kReceived - slow) == kReceived - kDay);
    // A flat battery: the clock restarted at 2000 and ran on; the answer, stamped in 2000,
    // lands where the running clock says.
    int64_t since_boot = 90 * kMinute;
    CHECK(DatedEnd(Stamped(kYear2000 + 10 * kMinute), kYear2000 + since_boot) ==
          kReceived - since_boot + 10 * kMinute);
}

TEST_CASE("without an age, a stamp made before the clock went wrong stands") {
    // The answer was stamped correctly an hour ago; the terminal restarted with its clock at
    // 2000. Correcting the stamp would date it decades ahead, so it stays as it is.
    int64_t hour_ago = kReceived - 60 * kMinute;
    CHECK(AnswerClockShiftMs(Stamped(hour_ago), kYear2000, kReceived) == 0);
}

TEST_CASE("without an age, nothing believable on the terminal: dated when it arrived") {
    // Stamped 2000, and the clock is now a year fast: neither the stamp nor the corrected stamp
    // is plausible.
    CHECK(DatedEnd(Stamped(kYear2000), kReceived + 365 * kDay) == kReceived);
}

TEST_CASE("a batch that says nothing of its clocks keeps its stamps") {
    CHECK(AnswerClockShiftMs(Stamped(kYear2000), {}, kReceived) == 0);
}

TEST_CASE("dating keeps the duration and never moves an answer before 1970") {
    // An age of five years, received a day after 1970: dated at 1970 itself, and the start may
    // not go before it, so the 1,000 s answer keeps its place.
    AnswerClock aged{0, 1'000'000, int64_t{5} * 365 * kDay};
    CHECK(AnswerClockShiftMs(aged, {}, kDay) == 0);
    AnswerClock later{2'000'000, 3'000'000, int64_t{5} * 365 * kDay};
    CHECK(AnswerClockShiftMs(later, {}, kDay) == -2'000'000);
}

TEST_CASE("a resent answer is the same answer however each copy was dated") {
    const Response sent = testing::SampleResponse(7);
    auto dated = [&sent](int64_t seq, int64_t shift) {
        IncomingResponse item{0, seq, sent, "", 0, shift};
        item.Data.StartedAtMs += shift;
        item.Data.EndedAtMs += shift;
        return item;
    };
    IncomingResponse first = dated(7, 3'600'000);
    ExportRow held;
    held.Seq = first.Seq;
    held.Data = first.Data;
    held.ClockShiftMs = first.ClockShiftMs;
    CHECK(IsSameAnswer(held, dated(7, 3'600'250)));
    CHECK(IsSameAnswer(held, dated(7, 0)));
    CHECK_FALSE(IsSameAnswer(held, dated(8, 3'600'000)));
    IncomingResponse answered_otherwise = dated(7, 3'600'000);
    answered_otherwise.Data.Intent = 2;
    CHECK_FALSE(IsSameAnswer(held, answered_otherwise));
    IncomingResponse restamped = dated(7, 3'600'000);
    restamped.Data.EndedAtMs += 1;
    CHECK_FALSE(IsSameAnswer(held, restamped));
}

}  // namespace doorstep::server
