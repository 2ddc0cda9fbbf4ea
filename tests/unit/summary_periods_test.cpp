// The periods manager mode reports over: whole local days, and the weeks they are compared with.
#include <doctest/doctest.h>

#include "core/base/local_time.hpp"
#include "kiosk/store/summary.hpp"
#include "summary_fixtures.hpp"

namespace doorstep {
namespace {

using testing::LocalMs;
using testing::ScopedTimeZone;

constexpr int kWednesday = 3;  // 18 June 2025

TEST_CASE("summary: periods are whole local days ending today") {
    ScopedTimeZone zone;
    int64_t now = LocalMs(2025, 6, 18, 20, 0);  // a Wednesday, 20:00 local
    int64_t today = DaysFromCivil({2025, 6, 18});
    CHECK(PeriodDays(Period::Today, now) == DayRange{today, today});
    CHECK(PeriodDays(Period::Last7Days, now) == DayRange{today - 6, today});
    CHECK(PeriodDays(Period::Last28Days, now) == DayRange{today - 27, today});
    // Just after local midnight it is already the next day, though UTC is still on the last one.
    CHECK(PeriodDays(Period::Today, LocalMs(2025, 6, 19, 0, 5)).First == today + 1);
    CHECK(BaselineOf(Period::Today, now) == Baseline{{today - 28, today - 1}, kWednesday});
    CHECK(BaselineOf(Period::Last28Days, now) == Baseline{{today - 55, today - 28}, {}});
    CHECK(WeekdayOfDay(today) == kWednesday);
    CHECK(CivilFromDays(today) == CivilDate{2025, 6, 18});
    CHECK(CivilFromDays(0) == CivilDate{1970, 1, 1});
    CHECK(DaysFromCivil({2000, 3, 1}) - DaysFromCivil({2000, 2, 28}) == 2);  // a leap year
    // The day of a spring-forward change is 23 hours long, and still one day.
    CHECK(LocalDayStartMs(DaysFromCivil({2025, 3, 31})) -
              LocalDayStartMs(DaysFromCivil({2025, 3, 30})) ==
          23 * 3'600'000LL);
}

}  // namespace
}  // namespace doorstep
