// Two clocks, kept apart on purpose: the wall clock dates an answer (and may jump), the monotonic
// clock measures durations and timeouts (and never jumps).
#pragma once

#include <cstdint>
#include <string>

namespace doorstep {

int64_t WallClockMs();       // UTC, milliseconds since the Unix epoch
int64_t MonotonicClockMs();  // arbitrary origin, never goes backwards
// Milliseconds since this boot (CLOCK_BOOTTIME: counts suspend too, never jumps).
int64_t BootClockMs();
// The kernel's id of this boot; empty when unreadable. Boot clock readings compare only within
// one boot.
std::string CurrentBootId();

// Both clocks read at one moment, so a wall time can later be told apart from a wall-clock jump.
struct ClockStamp {
    int64_t WallMs = 0;
    int64_t BootMs = 0;
    static ClockStamp Now() { return {WallClockMs(), BootClockMs()}; }
};

// "2026-11-24T19:21:20.123Z"
std::string FormatUtcIso8601(int64_t utc_ms);

}  // namespace doorstep
