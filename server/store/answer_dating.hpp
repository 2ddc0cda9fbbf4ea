// When did an answer happen? Head office's clock decides, because a terminal's wall clock can be
// wrong and can jump: a flat clock battery gives 1970 or 2000 until NTP answers, a technician
// sets the time by hand, NTP steps it by hours.
//
// An item may carry "age_ms": how long before it was sent the answer ended, counted on the
// terminal's boot clock, which wall-clock jumps do not move. Then
//
//     dated end = received_at - age_ms                 (exact to one network trip)
//
// Without an age (the terminal restarted since, or an older terminal), the batch's "sent_at_ms"
// tells how far off the terminal's clock is now (received_at - sent_at_ms), and the first
// plausible of these is taken:
//
//     the stamp corrected by that error  (the clock was off the same way when the answer ended)
//     the stamp as it is                 (the clock went wrong after the answer)
//     received_at                        (nothing on the terminal can be believed)
//
// Plausible: not before kEarliestAnswerMs, not after the request arrived (+ the tolerance).
// A batch with neither field keeps its stamps: there is nothing to judge them by.
//
// A correction within kTrustedClockErrorMs is not applied: a terminal with a good clock keeps its
// own times to the millisecond, and network time never enters the data.
#pragma once

#include <cstdint>
#include <optional>

#include "server/store/server_store.hpp"

namespace doorstep::server {

inline constexpr int64_t kTrustedClockErrorMs = 2 * 60 * 1000;
inline constexpr int64_t kEarliestAnswerMs = 1'735'689'600'000;  // 2025-01-01T00:00:00Z

struct AnswerClock {
    int64_t StartedAtMs = 0;  // the terminal's wall-clock stamps, 0 <= started <= ended
    int64_t EndedAtMs = 0;
    std::optional<int64_t> AgeMs;  // the item's "age_ms"
};

// What to add to the answer's started_at_ms and ended_at_ms (0: its own times stand). Never moves
// the start before 1970.
int64_t AnswerClockShiftMs(const AnswerClock& answer, std::optional<int64_t> sent_at_ms,
                           int64_t received_at_ms);

// Whether `held` is the answer the terminal sends again as `item`: the same seq, and the same
// content as the terminal stamped it, whatever dating added to either copy.
bool IsSameAnswer(const ExportRow& held, const IncomingResponse& item);

}  // namespace doorstep::server
