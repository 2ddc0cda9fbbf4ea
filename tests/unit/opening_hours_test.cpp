// Opening hours: the grammar, its error messages, and the reducer closing and opening the screen
// from the clock in its ticks, in local time, across DST changes.
#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "core/base/local_time.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/flow/opening_hours.hpp"

using namespace doorstep;

namespace {

// Sets the process's time zone for one test, and puts the old one back.
class ScopedTimeZone {
  public:
    explicit ScopedTimeZone(const char* zone) {
        const char* old = std::getenv("TZ");
        Had_ = old != nullptr;
        Old_ = Had_ ? old : "";
        setenv("TZ", zone, 1);
        tzset();
    }
    ~ScopedTimeZone() {
        if (Had_) {
            setenv("TZ", Old_.c_str(), 1);
        } else {
            unsetenv("TZ");
        }
        tzset();
    }

  private:
    bool Had_ = false;
    std::string Old_;
};

OpeningHours Parse(const std::string& spec) {
    Result<OpeningHours> hours = ParseOpeningHours(spec);
    INFO(spec << ": " << (hours.Ok() ? "" : hours.Err().Message));
    REQUIRE(hours.Ok());
    return *hours;
}

std::string ErrorOf(const std::string& spec) {
    Result<OpeningHours> hours = ParseOpeningHours(spec);
    REQUIRE_FALSE(hours.Ok());
    return hours.Err().Message;
}

constexpr int kSun = 0, kMon = 1, kFri = 5, kSat = 6;

int64_t UtcMs(int year, int month, int day, int hour, int minute) {
    return (DaysFromCivil({year, month, day}) * 86400 + hour * 3600 + minute * 60) * 1000LL;
}

}  // namespace

TEST_CASE("opening hours: the documented example") {
    OpeningHours hours = Parse("mon-fri 08:00-20:00; sat 09:00-17:00; sun closed");
    CHECK(IsOpenAt(hours, {kMon, 8 * 60}));
    CHECK_FALSE(IsOpenAt(hours, {kMon, 8 * 60 - 1}));
    CHECK(IsOpenAt(hours, {kFri, 20 * 60 - 1}));
    CHECK_FALSE(IsOpenAt(hours, {kFri, 20 * 60}));  // the end is exclusive
    CHECK(IsOpenAt(hours, {kSat, 12 * 60}));
    CHECK_FALSE(IsOpenAt(hours, {kSat, 17 * 60}));
    CHECK_FALSE(IsOpenAt(hours, {kSun, 12 * 60}));
}

TEST_CASE("opening hours: lists, wrapping spans, later rules win, always, case and spaces") {
    OpeningHours split = Parse("Mon-Fri 08:00-12:00, 14:00-18:00");
    CHECK(IsOpenAt(split, {kMon, 11 * 60}));
    CHECK_FALSE(IsOpenAt(split, {kMon, 13 * 60}));
    CHECK(IsOpenAt(split, {kMon, 15 * 60}));
    OpeningHours weekend = Parse("fri-mon 10:00-16:00");
    CHECK(IsOpenAt(weekend, {kSat, 11 * 60}));
    CHECK(IsOpenAt(weekend, {kMon, 11 * 60}));
    CHECK_FALSE(IsOpenAt(weekend, {2, 11 * 60}));  // Tuesday
    OpeningHours except_sunday = Parse(" mon-sun 07:00-22:00 ;  sun   closed ");
    CHECK(IsOpenAt(except_sunday, {kSat, 7 * 60}));
    CHECK_FALSE(IsOpenAt(except_sunday, {kSun, 12 * 60}));
    OpeningHours days = Parse("mon,wed,fri 09:00-24:00");
    CHECK(IsOpenAt(days, {3, 23 * 60 + 59}));
    CHECK_FALSE(IsOpenAt(days, {2, 12 * 60}));
    OpeningHours always = Parse("always");
    for (int day = 0; day < 7; ++day) {
        CHECK(IsOpenAt(always, {day, 0}));
        CHECK(IsOpenAt(always, {day, 24 * 60 - 1}));
    }
}

TEST_CASE("opening hours: a range past midnight belongs to the day it starts") {
    OpeningHours late = Parse("fri-sat 18:00-02:00; sun closed");
    CHECK(IsOpenAt(late, {kFri, 23 * 60}));
    CHECK(IsOpenAt(late, {kSat, 60}));  // Friday night, after midnight
    CHECK_FALSE(IsOpenAt(late, {kSat, 2 * 60}));
    CHECK(IsOpenAt(late, {kSun, 90}));  // Saturday night runs into "closed" Sunday
    CHECK_FALSE(IsOpenAt(late, {kSun, 12 * 60}));
    CHECK_FALSE(IsOpenAt(late, {kFri, 60}));  // Thursday night was not open
}

TEST_CASE("opening hours: every mistake is named exactly") {
    CHECK(ErrorOf("mon-fri 08:00-20:00; sat 09:00-17") ==
          "opening hours: rule 2 \"sat 09:00-17\": expected a time as HH:MM (24-hour, like "
          "08:00), got \"17\"");
    CHECK(ErrorOf("monday 08:00-20:00") ==
          "opening hours: rule 1 \"monday 08:00-20:00\": \"monday\" is not a day: use mon, tue, "
          "wed, thu, fri, sat, sun");
    CHECK(ErrorOf("mon 08:00-25:00") ==
          "opening hours: rule 1 \"mon 08:00-25:00\": \"25:00\" is not a time of day (00:00 to "
          "23:59, or 24:00 as an end)");
    CHECK(ErrorOf("mon 24:00-08:00").find("\"24:00\" is not a time of day") != std::string::npos);
    CHECK(ErrorOf("mon 08:60-09:00").find("\"08:60\" is not a time of day") != std::string::npos);
    CHECK(ErrorOf("mon 8:00-20:00").find("got \"8:00\"") != std::string::npos);
    CHECK(ErrorOf("mon 08:00-08:00").find("opens and closes at the same time") !=
          std::string::npos);
    CHECK(ErrorOf("mon 08:00") ==
          "opening hours: rule 1 \"mon 08:00\": expected a range like 08:00-20:00, got \"08:00\"");
    CHECK(ErrorOf("mon 08:00-12:00;") ==
          "opening hours: rule 2 \"\": empty rule (two ';' in a row, or one at the end?)");
    CHECK(ErrorOf("closed") ==
          "opening hours: rule 1 \"closed\": expected days, a space, then hours or \"closed\"");
    CHECK(ErrorOf("").find("rule 1") != std::string::npos);
    CHECK(ErrorOf("mon-tue-wed 08:00-09:00").find("not a day or a span of days") !=
          std::string::npos);
}

TEST_CASE("opening hours: local time, across both DST changes of a year") {
    // Athens as a POSIX rule (no tzdata needed): EET (+2), EEST (+3) from 03:00 on the last
    // Sunday of March to 04:00 on the last Sunday of October.
    ScopedTimeZone athens("EET-2EEST,M3.5.0/3,M10.5.0/4");
    OpeningHours hours = Parse("sun 03:30-04:30; mon-sat 08:00-20:00");
    // 29 March 2026: clocks go from 03:00 to 04:00. 00:59 UTC is 02:59 EET, 01:00 UTC is 04:00.
    CHECK(LocalClockOf(UtcMs(2026, 3, 29, 0, 59)).Minute == 2 * 60 + 59);
    CHECK_FALSE(IsOpenAt(hours, LocalClockOf(UtcMs(2026, 3, 29, 0, 59))));
    CHECK(LocalClockOf(UtcMs(2026, 3, 29, 1, 0)).Minute == 4 * 60);
    CHECK(IsOpenAt(hours, LocalClockOf(UtcMs(2026, 3, 29, 1, 0))));
    CHECK_FALSE(IsOpenAt(hours, LocalClockOf(UtcMs(2026, 3, 29, 1, 30))));  // 04:30 EEST
    // Monday 08:00 local is 05:00 UTC in summer, 06:00 UTC in winter.
    CHECK(IsOpenAt(hours, LocalClockOf(UtcMs(2026, 3, 30, 5, 0))));
    CHECK_FALSE(IsOpenAt(hours, LocalClockOf(UtcMs(2026, 3, 23, 5, 0))));
    CHECK(IsOpenAt(hours, LocalClockOf(UtcMs(2026, 3, 23, 6, 0))));
    // 25 October 2026: 04:00 EEST becomes 03:00 EET, so 03:30-04:00 happens twice; open twice.
    CHECK(IsOpenAt(hours, LocalClockOf(UtcMs(2026, 10, 25, 0, 30))));        // 03:30 EEST
    CHECK(IsOpenAt(hours, LocalClockOf(UtcMs(2026, 10, 25, 1, 30))));        // 03:30 EET
    CHECK_FALSE(IsOpenAt(hours, LocalClockOf(UtcMs(2026, 10, 25, 2, 30))));  // 04:30 EET
}

namespace {

FlowConfig ClosedAtNightConfig() {
    FlowConfig config;
    config.DefaultLanguage = "en";
    config.Languages = {"en", "el"};
    config.NeedIds = {"trust"};
    config.IdleTimeoutMs = 20000;
    config.Hours = Parse("mon-sun 08:00-20:00");
    return config;
}

// A tick or tap at a UTC wall-clock time on Monday 7 December 2026, `mono` ms after boot.
Clock MondayAt(int hour, int minute, int64_t mono) {
    return {UtcMs(2026, 12, 7, hour, minute), mono};
}

}  // namespace

TEST_CASE("flow: the attract screen closes and opens with the hours; closed records nothing") {
    ScopedTimeZone utc("UTC");
    FlowConfig config = ClosedAtNightConfig();
    FlowState state = InitialFlowState(config);
    Transition t = Reduce(config, state, {EventKind::Tick, {}, MondayAt(7, 59, 1000), true});
    CHECK(t.State.Current == Screen::Closed);
    CHECK_FALSE(NextDeadlineMonoMs(config, t.State).has_value());  // sleeps; ticks come anyway
    // Taps of every kind while closed: nothing starts, nothing is recorded.
    for (TargetKind kind :
         {TargetKind::Start, TargetKind::Dismiss, TargetKind::Face, TargetKind::IntentScore,
          TargetKind::AccessToggle, TargetKind::Language, TargetKind::ManagerCorner}) {
        Event tap{EventKind::Tap, {kind, 1, {}}, MondayAt(7, 59, 2000), true};
        Transition after = Reduce(config, t.State, tap);
        CHECK(after.State.Current == Screen::Closed);
        CHECK(after.Effects.empty());
    }
    // The manager's corner, held, still opens the PIN pad.
    Event held{EventKind::Tap, {TargetKind::ManagerCorner, 0, {}}, MondayAt(7, 59, 3000), true};
    held.HeldMs = config.ManagerHoldMs;
    CHECK(Reduce(config, t.State, held).State.Current == Screen::PinEntry);
    // Eight o'clock: open.
    t = Reduce(config, t.State, {EventKind::Tick, {}, MondayAt(8, 0, 61000), true});
    CHECK(t.State.Current == Screen::Attract);
    CHECK(t.State == InitialFlowState(config));
}

TEST_CASE("flow: a customer answering at closing time finishes; the screen closes after") {
    ScopedTimeZone utc("UTC");
    FlowConfig config = ClosedAtNightConfig();
    FlowState state = InitialFlowState(config);
    state = Reduce(config, state,
                   {EventKind::Tap, {TargetKind::Start, 0, {}}, MondayAt(19, 59, 0), true})
                .State;
    REQUIRE(state.Current == Screen::Need);
    state = Reduce(config, state, {EventKind::Tick, {}, MondayAt(20, 0, 5000), true}).State;
    CHECK(state.Current == Screen::Need);  // not cut short
    Transition t = Reduce(config, state,
                          {EventKind::Tap, {TargetKind::Face, 4, {}}, MondayAt(20, 0, 6000), true});
    CHECK(t.State.Current == Screen::LeastMet);
    // Then they walk away: the idle rule abandons the response as always, and the screen closes.
    t = Reduce(config, t.State, {EventKind::Tick, {}, MondayAt(20, 1, 26000), true});
    CHECK(t.State.Current == Screen::Closed);
    REQUIRE(t.Effects.size() == 1);
    CHECK(t.Effects[0].Record.Status == ResponseStatus::Abandoned);
}

TEST_CASE("flow: without opening hours the kiosk never closes") {
    FlowConfig config = ClosedAtNightConfig();
    config.Hours.reset();
    Transition t =
        Reduce(config, InitialFlowState(config), {EventKind::Tick, {}, MondayAt(3, 0, 1000), true});
    CHECK(t.State.Current == Screen::Attract);
    CHECK(IsOpen(config, MondayAt(3, 0, 1000)));
}
