// Opening hours: when the kiosk asks customers. Outside them it shows a calm "closed" screen and
// records nobody (flow.cpp).
//
// Grammar (--opening-hours, docs in README.md), case-insensitive, spaces around separators free:
//   spec  := "always" | rule (";" rule)*
//   rule  := days (" closed" | " " range ("," range)*)
//   days  := span ("," span)*          span := day | day "-" day   (mon-fri, sat-sun, fri-mon)
//   day   := mon | tue | wed | thu | fri | sat | sun
//   range := HH:MM "-" HH:MM           00:00 .. 24:00; an end at or before the start runs past
//                                      midnight into the next morning (fri 18:00-02:00)
// A later rule replaces what earlier rules said about the days it names ("mon-sun 08:00-20:00;
// sun closed"); days no rule names are closed. Times are the terminal's local time, so a DST
// change moves nothing: "08:00" is 08:00 on the clock on the wall.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/result.hpp"

namespace doorstep {

struct OpenRange {
    int StartMinute = 0;  // minutes after the day's local midnight
    int EndMinute = 0;    // exclusive; above 1440 when the range runs past midnight
    bool operator==(const OpenRange&) const = default;
};

struct OpeningHours {
    std::array<std::vector<OpenRange>, 7> Days;  // index 0 = Sunday, as tm_wday
    bool operator==(const OpeningHours&) const = default;
};

// The spec parsed, or an error that quotes the rule and names exactly what is wrong.
Result<OpeningHours> ParseOpeningHours(const std::string& spec);

// A local wall-clock moment: the weekday (0 = Sunday) and the minute of the day.
struct LocalClock {
    int Weekday = 0;
    int Minute = 0;
};
// Where a wall-clock instant (UTC ms) falls in the terminal's local time (TZ, /etc/localtime).
LocalClock LocalClockOf(int64_t wall_ms);

bool IsOpenAt(const OpeningHours& hours, LocalClock when);

}  // namespace doorstep
