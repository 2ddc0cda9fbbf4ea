// Two clocks, kept apart on purpose: the wall clock dates an answer (and may jump), the monotonic
// clock measures durations and timeouts (and never jumps).
#pragma once

#include <cstdint>
#include <string>

namespace doorstep {

int64_t WallClockMs();       // UTC, milliseconds since the Unix epoch
int64_t MonotonicClockMs();  // arbitrary origin, never goes backwards

// "2026-11-24T19:21:20.123Z"
std::string FormatUtcIso8601(int64_t utc_ms);

}  // namespace doorstep
