// Local calendar time for the store manager's summaries: the local day, hour and weekday an answer
// belongs to. A manager thinks in the store's hours ("Saturday at 11"), so summaries are bucketed
// by the terminal's local time, not UTC.
//
// The time zone is the process's (TZ, else /etc/localtime), read through localtime_r and mktime.
// SQLite's 'localtime' modifier uses localtime_r too, which is what lets migration 3 backfill
// old rows in SQL exactly as the insert path buckets new ones in C++.
//
// A bucket is fixed when the answer is stored: changing the terminal's time zone afterwards does
// not move old answers to other hours or days (see rollup.hpp).
#pragma once

#include <cstdint>

namespace doorstep {

// A local date as a day number: days since 1970-01-01 of the local calendar date. Consecutive
// local days differ by exactly one, whatever the DST changes between them.
struct LocalSlot {
    int64_t Day = 0;  // local day number
    int Hour = 0;     // 0..23, local
    int Weekday = 0;  // 0 = Sunday .. 6 = Saturday
    bool operator==(const LocalSlot&) const = default;
};

struct CivilDate {
    int Year = 1970;
    int Month = 1;  // 1..12
    int Day = 1;    // 1..31
    bool operator==(const CivilDate&) const = default;
};

// Where a wall-clock instant (UTC ms since the epoch) falls in local time.
LocalSlot LocalSlotOf(int64_t wall_ms);
// The local time zone's offset from UTC at that instant, in minutes (+60 for CET in winter).
int UtcOffsetMinutesAt(int64_t wall_ms);
// The first wall-clock instant (UTC ms) of local day `day`.
int64_t LocalDayStartMs(int64_t day);

// Proleptic Gregorian calendar arithmetic (no time zone involved).
int64_t DaysFromCivil(CivilDate date);
CivilDate CivilFromDays(int64_t day);
int WeekdayOfDay(int64_t day);  // 0 = Sunday

}  // namespace doorstep
