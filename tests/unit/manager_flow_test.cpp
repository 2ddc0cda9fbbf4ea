// The manager's side of the flow reducer: the hidden corner, the PIN pad, manager mode's tabs and
// its staff rating.
#include <doctest/doctest.h>

#include "flow_fixtures.hpp"
#include "kiosk/flow/flow.hpp"

using namespace doorstep;
using doorstep::testing::At;
using doorstep::testing::CommitFinished;
using doorstep::testing::Tap;
using doorstep::testing::ThreeNeedConfig;
using doorstep::testing::Tick;

namespace {

struct Run : testing::FlowRun {
    Run() : FlowRun(ThreeNeedConfig()) {}
};

}  // namespace

namespace {

Event Held(TargetKind kind, int index, int64_t mono_ms, int64_t held_ms) {
    Event event = Tap(kind, index, mono_ms);
    event.HeldMs = held_ms;
    return event;
}

Event PinChecked(int64_t mono_ms, PinAnswer answer, int attempts_left = 0, int64_t until = 0) {
    Event event{EventKind::PinChecked, {}, At(mono_ms), true};
    event.Pin = answer;
    event.PinAttemptsLeft = attempts_left;
    event.PinLockedUntilWallMs = until;
    return event;
}

Run AtPinPad() {
    Run run;
    run.Apply(Held(TargetKind::ManagerCorner, 0, 1000, 3000));
    REQUIRE(run.State.Current == Screen::PinEntry);
    return run;
}

Run InManager() {
    Run run = AtPinPad();
    for (int digit : {1, 2, 3, 4}) {
        run.Apply(Tap(TargetKind::PinDigit, digit, 1100));
    }
    run.Apply(Tap(TargetKind::PinOk, 0, 1200)).Apply(PinChecked(1300, PinAnswer::Accepted));
    REQUIRE(run.State.Current == Screen::Manager);
    run.Effects.clear();
    return run;
}

}  // namespace

TEST_CASE("manager: a short tap in the corner starts the survey; only a long press opens the pad") {
    Run run;
    run.Apply(Held(TargetKind::ManagerCorner, 0, 1000, 2999));
    CHECK(run.State.Current == Screen::Need);
    Run held = AtPinPad();
    CHECK(held.State.PinDigits.empty());
}

TEST_CASE("manager: the PIN goes out once in an effect and is cleared at once") {
    Run run = AtPinPad();
    for (int digit : {1, 2, 3}) {
        run.Apply(Tap(TargetKind::PinDigit, digit, 1100));
    }
    run.Apply(Tap(TargetKind::PinOk, 0, 1150));
    CHECK(run.Effects.empty());  // 3 digits: too short to check
    run.Apply(Tap(TargetKind::PinDigit, 9, 1160)).Apply(Tap(TargetKind::PinBackspace, 0, 1170));
    CHECK(run.State.PinDigits == "123");
    run.Apply(Tap(TargetKind::PinDigit, 4, 1180)).Apply(Tap(TargetKind::PinOk, 0, 1190));
    REQUIRE(run.Effects.size() == 1);
    CHECK(run.Effects[0].Kind == EffectKind::CheckPin);
    CHECK(run.Effects[0].Pin == "1234");
    CHECK(run.State.PinDigits.empty());
    for (int i = 0; i < 12; ++i) {
        run.Apply(Tap(TargetKind::PinDigit, 1, 1200 + i));
    }
    CHECK(run.State.PinDigits.size() == 8);
}

TEST_CASE("manager: wrong PINs and lockouts are shown on the pad") {
    Run run = AtPinPad();
    run.Apply(PinChecked(1200, PinAnswer::Rejected, 2));
    CHECK(run.State.Current == Screen::PinEntry);
    CHECK(run.State.PinMessageKey == "pin_wrong");
    CHECK(run.State.PinAttemptsLeft == 2);
    run.Apply(PinChecked(1300, PinAnswer::LockedOut, 0, 99'000));
    CHECK(run.State.PinMessageKey == "pin_locked");
    CHECK(run.State.PinLockedUntilWallMs == 99'000);
    run.Apply(Tap(TargetKind::PinCancel, 0, 1400));
    CHECK(run.State == InitialFlowState(run.Config));
}

TEST_CASE("manager: a late answer from the vault after the pad timed out opens nothing") {
    Run run = AtPinPad();
    run.Apply(Tick(1000 + 60000));
    CHECK(run.State.Current == Screen::Attract);
    run.Apply(PinChecked(61001, PinAnswer::Accepted));
    CHECK(run.State.Current == Screen::Attract);
}

TEST_CASE("manager: tabs, periods and toggles; and leaving clears all of it") {
    Run run = InManager();
    run.Apply(Tap(TargetKind::ManagerTabChoice, static_cast<int>(ManagerTab::Comments), 2000))
        .Apply(Tap(TargetKind::PeriodChoice, 2, 2001))
        .Apply(Tap(TargetKind::ToggleSuspect, 0, 2002))
        .Apply(Tap(TargetKind::ToggleNegative, 0, 2003))
        .Apply(Tap(TargetKind::PageNext, 0, 2004))
        .Apply(Tap(TargetKind::PageNext, 0, 2005))
        .Apply(Tap(TargetKind::PagePrevious, 0, 2006));
    CHECK(run.State.Tab == ManagerTab::Comments);
    CHECK(run.State.Period == SummaryPeriod::Last28Days);
    CHECK(run.State.IncludeSuspect);
    CHECK(run.State.NegativeOnly);
    CHECK(run.State.CommentsPage == 1);
    run.Apply(Tap(TargetKind::ToggleNegative, 0, 2007));
    CHECK(run.State.CommentsPage == 0);
    run.Apply(Tap(TargetKind::ExitManager, 0, 2008));
    CHECK(run.State == InitialFlowState(run.Config));
}

TEST_CASE("manager: it leaves by itself after 60 s without a tap") {
    Run run = InManager();
    CHECK(NextDeadlineMonoMs(run.Config, run.State) == 1200 + 60000);
    run.Apply(Tap(TargetKind::ManagerTabChoice, 1, 5000));
    run.Apply(Tick(5000 + 59999));
    CHECK(run.State.Current == Screen::Manager);
    run.Apply(Tick(5000 + 60000));
    CHECK(run.State == InitialFlowState(run.Config));
}

TEST_CASE("manager: sync now and export are effects") {
    Run run = InManager();
    run.Apply(Tap(TargetKind::SyncNow, 0, 2000)).Apply(Tap(TargetKind::ExportCsv, 0, 2001));
    REQUIRE(run.Effects.size() == 2);
    CHECK(run.Effects[0].Kind == EffectKind::SyncNow);
    CHECK(run.Effects[1].Kind == EffectKind::ExportCsv);
}

TEST_CASE("manager: a staff rating records one staff response and returns to the gap chart") {
    Run run = InManager();
    run.Apply(Tap(TargetKind::StartStaffRating, 0, 2000));
    CHECK(run.State.Current == Screen::StaffNeed);
    run.Apply(Tap(TargetKind::Face, 5, 2100)).Apply(Tap(TargetKind::Face, 4, 2200));
    CHECK(run.Effects.empty());
    run.Apply(Tap(TargetKind::Face, 5, 2300));
    CHECK(run.State.Current == Screen::StaffSaving);
    REQUIRE(run.Effects.size() == 1);
    const Response& r = run.Effects[0].Record;
    CHECK(r.Kind == ResponseKind::Staff);
    CHECK(r.Status == ResponseStatus::Completed);
    CHECK(r.Scores == std::vector<NeedScore>{{"trust", 5}, {"control", 4}, {"support", 5}});
    CHECK_FALSE(r.Intent.has_value());
    CHECK(r.LeastMet.empty());
    run.Apply(Tick(2300 + 120000));  // no timeout while saving
    CHECK(run.State.Current == Screen::StaffSaving);
    run.Apply(CommitFinished(2400));
    CHECK(run.State.Current == Screen::Manager);
    CHECK(run.State.Tab == ManagerTab::Staff);
}

TEST_CASE("manager: leaving a staff rating half way records nothing") {
    Run run = InManager();
    run.Apply(Tap(TargetKind::StartStaffRating, 0, 2000)).Apply(Tap(TargetKind::Face, 5, 2100));
    run.Apply(Tap(TargetKind::Back, 0, 2200)).Apply(Tap(TargetKind::Back, 0, 2300));
    CHECK(run.State.Current == Screen::Manager);
    CHECK(run.Effects.empty());
}

TEST_CASE("manager: alerts are walked one at a time, noted, acknowledged and resolved") {
    Run run = InManager();
    run.Apply(Tap(TargetKind::ManagerTabChoice, static_cast<int>(ManagerTab::Alerts), 2000))
        .Apply(Tap(TargetKind::AlertNext, 0, 2001))
        .Apply(Tap(TargetKind::AlertNext, 0, 2002))
        .Apply(Tap(TargetKind::AlertPrevious, 0, 2003));
    CHECK(run.State.Tab == ManagerTab::Alerts);
    CHECK(run.State.AlertIndex == 1);
    run.Apply(Tap(TargetKind::AlertNoteChoice, 2, 2004));
    CHECK(run.State.AlertNoteIndex == 2);
    run.Apply(Tap(TargetKind::AlertNoteChoice, 2, 2005));  // the same note again: none
    CHECK(run.State.AlertNoteIndex == -1);
    run.Apply(Tap(TargetKind::AlertNoteChoice, 0, 2006))
        .Apply(Tap(TargetKind::AlertNoteChoice, 7, 2007));  // no such note: nothing changes
    CHECK(run.State.AlertNoteIndex == 0);
    CHECK(run.Effects.empty());

    run.Apply(Tap(TargetKind::AcknowledgeAlert, 0, 2008));
    REQUIRE(run.Effects.size() == 2);
    CHECK(run.Effects[0].Kind == EffectKind::ActOnAlert);
    CHECK(run.Effects[0].Pin == "acknowledge");
    CHECK(run.Effects[0].AlertIndex == 1);
    CHECK(run.Effects[0].AlertNoteIndex == 0);
    CHECK(run.Effects[1].Kind == EffectKind::SyncNow);  // head office hears at once when online
    CHECK(run.State.AlertNoteIndex == -1);              // a note goes with one act only
    run.Effects.clear();
    run.Apply(Tap(TargetKind::ResolveAlert, 0, 2009));
    REQUIRE(run.Effects.size() == 2);
    CHECK(run.Effects[0].Pin == "resolve");
    CHECK(run.Effects[0].AlertNoteIndex == -1);

    // Another tab and back starts at the first alert; the first has no newer one.
    run.Apply(Tap(TargetKind::ManagerTabChoice, 0, 2010))
        .Apply(Tap(TargetKind::ManagerTabChoice, static_cast<int>(ManagerTab::Alerts), 2011))
        .Apply(Tap(TargetKind::AlertPrevious, 0, 2012));
    CHECK(run.State.AlertIndex == 0);
    run.Apply(Tap(TargetKind::ExitManager, 0, 2013));
    CHECK(run.State == InitialFlowState(run.Config));
}
