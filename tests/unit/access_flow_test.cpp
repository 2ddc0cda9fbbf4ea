// Accessibility modes in the reducer: switched from the attract screen, kept through a language
// switch and the whole pass, and gone for the next customer.
#include <doctest/doctest.h>

#include "flow_fixtures.hpp"
#include "kiosk/flow/flow.hpp"

using namespace doorstep;
using doorstep::testing::Tap;
using doorstep::testing::Tick;

namespace {

FlowConfig TestConfig() {
    FlowConfig config;
    config.DefaultLanguage = "en";
    config.Languages = {"en", "el"};
    config.NeedIds = {"trust", "control"};
    config.IdleTimeoutMs = 20000;
    config.ThankYouMs = 3000;
    return config;
}

struct Pass : testing::FlowRun {
    Pass() : FlowRun(TestConfig()) {}
    Pass& Toggle(AccessMode mode, int64_t at) {
        Apply(Tap(TargetKind::AccessToggle, static_cast<int>(mode), at));
        return *this;
    }
};

AccessModes AllOn() {
    AccessModes modes;
    modes.HighContrast = modes.LargeText = modes.WithinReach = true;
    return modes;
}

}  // namespace

TEST_CASE("access: each toggle flips its own mode and stays on the attract screen") {
    Pass pass;
    CHECK_FALSE(pass.State.Access.Any());
    pass.Toggle(AccessMode::HighContrast, 100);
    CHECK(pass.State.Current == Screen::Attract);
    CHECK(pass.State.Access.HighContrast);
    CHECK_FALSE(pass.State.Access.LargeText);
    pass.Toggle(AccessMode::LargeText, 200).Toggle(AccessMode::WithinReach, 300);
    CHECK(pass.State.Access == AllOn());
    pass.Toggle(AccessMode::HighContrast, 400);
    CHECK_FALSE(pass.State.Access.HighContrast);
    CHECK(pass.State.Access.LargeText);
    pass.Apply(Tap(TargetKind::AccessToggle, 7, 500));  // no such mode: nothing changes
    CHECK(pass.State.Access.LargeText);
    CHECK(pass.Effects.empty());
}

TEST_CASE("access: the modes survive a language switch and the whole pass") {
    Pass pass;
    pass.Toggle(AccessMode::HighContrast, 100)
        .Toggle(AccessMode::LargeText, 200)
        .Toggle(AccessMode::WithinReach, 300)
        .Apply(Tap(TargetKind::Language, 1, 400));
    CHECK(pass.State.Language == "el");
    CHECK(pass.State.Access == AllOn());
    pass.Apply(Tap(TargetKind::Start, 0, 500))
        .Apply(Tap(TargetKind::Face, 4, 600))
        .Apply(Tap(TargetKind::Face, 2, 700))
        .Apply(Tap(TargetKind::LeastMetNeed, 0, 800))
        .Apply(Tap(TargetKind::Skip, 0, 900));
    CHECK(pass.State.Current == Screen::Intent);
    CHECK(pass.State.Access == AllOn());
    CHECK(pass.State.Language == "el");
    pass.Apply(Tap(TargetKind::IntentScore, 9, 1000));
    pass.Apply({EventKind::CommitFinished, {}, {1'700'000'001'100, 1100}, true});
    CHECK(pass.State.Current == Screen::ThankYou);
    CHECK(pass.State.Access == AllOn());  // "thank you" is read in the customer's modes
}

TEST_CASE("access: the next customer starts with every mode off") {
    SUBCASE("after a completed response") {
        Pass pass;
        pass.Toggle(AccessMode::WithinReach, 100)
            .Apply(Tap(TargetKind::Start, 0, 200))
            .Apply(Tap(TargetKind::Face, 3, 300))
            .Apply(Tap(TargetKind::Face, 3, 400))
            .Apply(Tap(TargetKind::LeastMetNeed, 1, 500))
            .Apply(Tap(TargetKind::Skip, 0, 600))
            .Apply(Tap(TargetKind::IntentScore, 5, 700))
            .Apply({EventKind::CommitFinished, {}, {1'700'000'000'800, 800}, true})
            .Apply(Tick(800 + 3000));
        CHECK(pass.State.Current == Screen::Attract);
        CHECK_FALSE(pass.State.Access.Any());
    }
    SUBCASE("after an abandoned one") {
        Pass pass;
        pass.Toggle(AccessMode::LargeText, 100)
            .Apply(Tap(TargetKind::Start, 0, 200))
            .Apply(Tap(TargetKind::Face, 3, 300))
            .Apply(Tick(300 + 20000));
        CHECK(pass.State.Current == Screen::Attract);
        CHECK_FALSE(pass.State.Access.Any());
        CHECK(pass.Effects.size() == 1);
    }
    SUBCASE("switched on, then nobody started: off after the idle timeout") {
        Pass pass;
        pass.Toggle(AccessMode::HighContrast, 1000);
        REQUIRE(NextDeadlineMonoMs(pass.Config, pass.State).has_value());
        CHECK(*NextDeadlineMonoMs(pass.Config, pass.State) == 1000 + 20000);
        pass.Apply(Tick(1000 + 19999));
        CHECK(pass.State.Access.HighContrast);
        pass.Apply(Tick(1000 + 20000));
        CHECK_FALSE(pass.State.Access.Any());
        CHECK(pass.State.Current == Screen::Attract);
        CHECK_FALSE(NextDeadlineMonoMs(pass.Config, pass.State).has_value());
        CHECK(pass.Effects.empty());  // nothing to record: nobody answered
    }
}
