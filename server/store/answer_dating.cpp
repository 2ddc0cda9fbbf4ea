#include "server/store/answer_dating.hpp"

#include <algorithm>
#include <cstdlib>

#include "core/wire/wire.hpp"

namespace doorstep::server {
namespace {

bool Plausible(int64_t ended_at_ms, int64_t received_at_ms) {
    return ended_at_ms >= kEarliestAnswerMs && ended_at_ms <= received_at_ms + kTrustedClockErrorMs;
}

int64_t ShiftTo(int64_t dated_ms, int64_t stamped_ms) {
    int64_t shift = dated_ms - stamped_ms;
    return std::llabs(shift) <= kTrustedClockErrorMs ? 0 : shift;
}

int64_t ShiftFor(const AnswerClock& answer, std::optional<int64_t> sent_at_ms,
                 int64_t received_at_ms) {
    if (answer.AgeMs) {
        return ShiftTo(std::max<int64_t>(0, received_at_ms - *answer.AgeMs), answer.EndedAtMs);
    }
    if (!sent_at_ms) {
        return 0;
    }
    int64_t clock_error = received_at_ms - *sent_at_ms;
    if (std::llabs(clock_error) <= kTrustedClockErrorMs) {
        return 0;
    }
    int64_t corrected = 0;
    if (!__builtin_add_overflow(answer.EndedAtMs, clock_error, &corrected) &&
        Plausible(corrected, received_at_ms)) {
        return ShiftTo(corrected, answer.EndedAtMs);
    }
    if (Plausible(answer.EndedAtMs, received_at_ms)) {
        return 0;
    }
    return ShiftTo(received_at_ms, answer.EndedAtMs);
}

}  // namespace

int64_t AnswerClockShiftMs(const AnswerClock& answer, std::optional<int64_t> sent_at_ms,
                           int64_t received_at_ms) {
    return std::max(ShiftFor(answer, sent_at_ms, received_at_ms), -answer.StartedAtMs);
}

bool IsSameAnswer(const ExportRow& held, const IncomingResponse& item) {
    auto as_stamped = [](Response data, int64_t shift) {
        data.StartedAtMs -= shift;
        data.EndedAtMs -= shift;
        return CanonicalContent(data, 0);
    };
    return held.Seq == item.Seq &&
           as_stamped(held.Data, held.ClockShiftMs) == as_stamped(item.Data, item.ClockShiftMs);
}

}  // namespace doorstep::server
