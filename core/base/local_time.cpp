#include "core/base/local_time.hpp"

#include <ctime>

namespace doorstep {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

int64_t FloorDiv(int64_t value, int64_t divisor) {
    int64_t quotient = value / divisor;
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

}  // namespace

// Howard Hinnant's days_from_civil: exact for every date of the proleptic Gregorian calendar.
int64_t DaysFromCivil(CivilDate date) {
    int64_t year = date.Year - (date.Month <= 2 ? 1 : 0);
    int64_t era = FloorDiv(year, 400);
    int64_t year_of_era = year - era * 400;
    int64_t month = date.Month;
    int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + date.Day - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

int UtcOffsetMinutesAt(int64_t wall_ms) {
    time_t seconds = static_cast<time_t>(FloorDiv(wall_ms, 1000));
    tm local{};
    localtime_r(&seconds, &local);
    return static_cast<int>(local.tm_gmtoff / 60);
}

CivilDate CivilFromDays(int64_t day) {
    int64_t shifted = day + 719468;
    int64_t era = FloorDiv(shifted, 146097);
    int64_t day_of_era = shifted - era * 146097;
    int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t month_index = (5 * day_of_year + 2) / 153;  // March = 0
    int64_t month = month_index + (month_index < 10 ? 3 : -9);
    int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    return {static_cast<int>(year), static_cast<int>(month),
            static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1)};
}

int WeekdayOfDay(int64_t day) {
    return static_cast<int>(day - 7 * FloorDiv(day + 4, 7) + 4);  // 1970-01-01 was a Thursday
}

LocalSlot LocalSlotOf(int64_t wall_ms) {
    // Truncating division, as SQLite's `ended_at_ms / 1000` does in migration 3.
    std::time_t seconds = static_cast<std::time_t>(wall_ms / 1000);
    std::tm local{};
    if (localtime_r(&seconds, &local) == nullptr) {
        // Only for instants the C library cannot represent; bucket them by UTC rather than fail.
        int64_t day = FloorDiv(wall_ms, kDayMs);
        return {day, static_cast<int>((wall_ms - day * kDayMs) / 3'600'000), WeekdayOfDay(day)};
    }
    return {DaysFromCivil({local.tm_year + 1900, local.tm_mon + 1, local.tm_mday}), local.tm_hour,
            local.tm_wday};
}

int64_t LocalDayStartMs(int64_t day) {
    CivilDate date = CivilFromDays(day);
    std::tm local{};
    local.tm_year = date.Year - 1900;
    local.tm_mon = date.Month - 1;
    local.tm_mday = date.Day;
    local.tm_isdst = -1;  // let the zone's rules decide; a midnight lost to DST becomes 01:00
    std::time_t seconds = std::mktime(&local);
    if (seconds == static_cast<std::time_t>(-1)) {
        return day * kDayMs;
    }
    return static_cast<int64_t>(seconds) * 1000;
}

}  // namespace doorstep
