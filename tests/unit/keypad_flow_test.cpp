// Keys and speech mode in the reducer: focus moves over the controls where the layout put them,
// a key does what a tap does, and while speech is on each change says exactly one thing.
#include <doctest/doctest.h>

#include <algorithm>

#include "flow_fixtures.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/layout/layout.hpp"
#include "layout_checks.hpp"

using namespace doorstep;
using doorstep::testing::At;
using doorstep::testing::ShippedSurvey;
using doorstep::testing::Tap;
using doorstep::testing::ThreeNeedConfig;
using doorstep::testing::Tick;

namespace {

// A run whose key presses carry the current screen's controls as the window hands them over:
// from the real layout at 1280x800.
struct KeyRun : testing::FlowRun {
    explicit KeyRun(bool speech_available = true)
        : FlowRun(ThreeNeedConfig()), Survey_(ShippedSurvey()) {
        Config.SpeechAvailable = speech_available;
    }

    std::vector<FocusSpot> Spots() const {
        return FocusSpots(ComputeLayout({1280, 800}, LayoutInputFor(Survey_, Config, State)));
    }

    KeyRun& Press(Key key, int64_t mono_ms) {
        Event event{EventKind::Key, {}, At(mono_ms)};
        event.Pressed = key;
        event.Spots = Spots();
        Effects.clear();
        Apply(event);
        return *this;
    }

    // The one Speak effect of the last event (REQUIREd).
    Effect Spoken() const {
        std::vector<Effect> spoken;
        std::copy_if(Effects.begin(), Effects.end(), std::back_inserter(spoken),
                     [](const Effect& e) { return e.Kind == EffectKind::Speak; });
        REQUIRE(spoken.size() == 1);
        return spoken.front();
    }
    bool Silent() const {
        return std::none_of(Effects.begin(), Effects.end(),
                            [](const Effect& e) { return e.Kind == EffectKind::Speak; });
    }

    Survey Survey_;
};

}  // namespace

TEST_CASE("keys: focus lands on the first answer, moves in reading order and by arrows") {
    KeyRun run;
    run.Press(Key::Next, 100);
    CHECK(run.State.Focus.Kind == TargetKind::Start);  // the attract screen's answer
    CHECK(run.Silent());                               // speech is off until asked for
    run.Press(Key::Choose, 200);
    REQUIRE(run.State.Current == Screen::Need);
    CHECK(run.State.Focus.Kind == TargetKind::None);  // a new screen: nothing focused yet

    run.Press(Key::Right, 300);
    CHECK(run.State.Focus == Target{TargetKind::Face, 1, ""});
    run.Press(Key::Right, 400).Press(Key::Right, 500);
    CHECK(run.State.Focus == Target{TargetKind::Face, 3, ""});
    run.Press(Key::Left, 600);
    CHECK(run.State.Focus == Target{TargetKind::Face, 2, ""});
    // Up from a face: the row above (Back and Start over), the nearer one.
    run.Press(Key::Up, 700);
    CHECK((run.State.Focus.Kind == TargetKind::Back ||
           run.State.Focus.Kind == TargetKind::StartOver));
    run.Press(Key::Up, 800);  // nothing above: focus stays
    CHECK((run.State.Focus.Kind == TargetKind::Back ||
           run.State.Focus.Kind == TargetKind::StartOver));

    // Tab order wraps: Previous from the first control is the last.
    KeyRun order;
    order.Press(Key::Choose, 100).Press(Key::Choose, 200);  // focus Start, then choose it
    order.Press(Key::Previous, 300);
    Target last = order.State.Focus;
    order.Press(Key::Next, 400);
    Target first = order.State.Focus;
    CHECK(first != last);
    order.Press(Key::Previous, 500);
    CHECK(order.State.Focus == last);
}

TEST_CASE("keys: Choose does what a tap does; a whole answer by keys alone is recorded once") {
    KeyRun run;
    run.Press(Key::Choose, 100).Press(Key::Choose, 200);  // focus Start, choose it
    for (int need = 0; need < 3; ++need) {
        REQUIRE(run.State.Current == Screen::Need);
        run.Press(Key::Right, 300 + need * 100).Press(Key::Right, 310 + need * 100);
        run.Press(Key::Choose, 320 + need * 100);  // face 2
    }
    CHECK(run.State.Scores == std::vector<int>{2, 2, 2});
    REQUIRE(run.State.Current == Screen::LeastMet);
    run.Press(Key::Next, 700).Press(Key::Choose, 710);
    CHECK(run.State.LeastMet == "trust");
    REQUIRE(run.State.Current == Screen::Comment);
    run.Press(Key::Next, 800).Press(Key::Choose, 810);  // the first key of the keyboard
    CHECK(run.State.Comment.size() == 1);
    CHECK(run.State.Current == Screen::Comment);
    // Back on the comment screen is the screen's Back: the least-met question again.
    run.Press(Key::Back, 900);
    CHECK(run.State.Current == Screen::LeastMet);
    run.Press(Key::Next, 910).Press(Key::Choose, 920);
    REQUIRE(run.State.Current == Screen::Comment);
    // Done is somewhere on the keyboard: walk to it.
    for (int step = 0; step < 60 && run.State.Focus.Kind != TargetKind::Done; ++step) {
        run.Press(Key::Next, 1000 + step);
    }
    REQUIRE(run.State.Focus.Kind == TargetKind::Done);
    run.Press(Key::Choose, 1100);
    REQUIRE(run.State.Current == Screen::Intent);
    auto records = [&] {
        return std::count_if(run.Effects.begin(), run.Effects.end(),
                             [](const Effect& e) { return e.Kind == EffectKind::RecordResponse; });
    };
    run.Press(Key::Next, 1200).Press(Key::Choose, 1210);  // intent 0
    CHECK(run.State.Current == Screen::Saving);
    REQUIRE(records() == 1);
    CHECK(run.Effects.front().Record.Status == ResponseStatus::Completed);
    CHECK(run.Effects.front().Record.Intent == 0);
    run.Press(Key::Choose, 1300);  // Saving: keys are ignored
    CHECK(records() == 0);
    run.Press(Key::Back, 1310);
    CHECK(records() == 0);
    CHECK(run.State.Current == Screen::Saving);
}

TEST_CASE("keys: Tab visits every control once, each drawn button once, then wraps") {
    KeyRun run;
    std::vector<Target> visited;
    for (int step = 0; step < 40; ++step) {
        run.Press(Key::Next, 100 + step);
        if (!visited.empty() && run.State.Focus == visited.front()) {
            break;
        }
        CHECK(std::find(visited.begin(), visited.end(), run.State.Focus) == visited.end());
        visited.push_back(run.State.Focus);
    }
    // Start (its button and the rest of the screen are one control), three modes, the tactile
    // spot and three languages.
    CHECK(visited.size() == 8);
    CHECK(visited.front().Kind == TargetKind::Start);
}

TEST_CASE("keys: the manager's hidden corner is never focused") {
    KeyRun run;
    for (int step = 0; step < 40; ++step) {
        run.Press(Key::Next, 100 + step);
        CHECK(run.State.Focus.Kind != TargetKind::ManagerCorner);
        CHECK(run.State.Current == Screen::Attract);
    }
}

TEST_CASE("speech: Help starts it; each change says one thing; the pass's end says Stop") {
    KeyRun run;
    run.Press(Key::Help, 100);
    CHECK(run.State.Speech);
    CHECK(run.State.Volume == run.Config.SpeechVolume);
    CHECK(run.Spoken().Cue == SpeechCue::Help);

    run.Press(Key::Next, 200);
    CHECK(run.Spoken().Cue == SpeechCue::Focus);
    run.Press(Key::Choose, 300);  // Start
    Effect screen = run.Spoken();
    CHECK(screen.Cue == SpeechCue::Screen);
    CHECK(screen.Chosen.Kind == TargetKind::Start);

    run.Press(Key::Right, 400).Press(Key::Right, 410).Press(Key::Right, 420).Press(Key::Right, 430);
    CHECK(run.Spoken().Cue == SpeechCue::Focus);
    run.Press(Key::Choose, 500);  // face 4: the next need, saying what was chosen first
    CHECK(run.State.NeedIndex == 1);
    CHECK(run.Spoken().Cue == SpeechCue::Screen);
    CHECK(run.Spoken().Chosen == Target{TargetKind::Face, 4, ""});

    run.Press(Key::Repeat, 600);
    CHECK(run.Spoken().Cue == SpeechCue::Screen);
    CHECK(run.Spoken().Chosen.Kind == TargetKind::None);

    run.Press(Key::VolumeUp, 700)
        .Press(Key::VolumeUp, 710)
        .Press(Key::VolumeUp, 720)
        .Press(Key::VolumeUp, 730);
    CHECK(run.State.Volume == kMaxSpeechVolume);  // 7 + 4, held at the top
    CHECK(run.Spoken().Cue == SpeechCue::Volume);
    CHECK(run.Spoken().Volume == kMaxSpeechVolume);
    run.Press(Key::VolumeDown, 740);
    CHECK(run.State.Volume == kMaxSpeechVolume - 1);

    // A tap while speech is on speaks too: the screen it leads to.
    run.Effects.clear();
    run.Apply(Tap(TargetKind::Face, 5, 800));
    CHECK(run.Spoken().Cue == SpeechCue::Screen);

    // Idle: the response is abandoned and speech mode ends with it.
    run.Effects.clear();
    run.Apply(Tick(800 + run.Config.IdleTimeoutMs));
    CHECK(run.State.Current == Screen::Attract);
    CHECK_FALSE(run.State.Speech);
    CHECK(run.Spoken().Cue == SpeechCue::Stop);
}

TEST_CASE("speech: the tactile spot held starts it; a short press or another screen does not") {
    KeyRun run;
    bool spot_shown = false;
    for (const FocusSpot& spot : run.Spots()) {
        spot_shown = spot_shown || spot.Tap.Kind == TargetKind::SpeechSpot;
    }
    CHECK(spot_shown);
    run.Apply(Tap(TargetKind::SpeechSpot, 0, 100));  // HeldMs 0: a tap, which starts the survey
    CHECK_FALSE(run.State.Speech);
    CHECK(run.State.Current == Screen::Need);
    run.Apply(Tap(TargetKind::StartOver, 0, 150));
    REQUIRE(run.State.Current == Screen::Attract);
    Event held = Tap(TargetKind::SpeechSpot, 0, 200);
    held.HeldMs = run.Config.SpeechHoldMs;
    run.Apply(held);
    CHECK(run.State.Speech);
    CHECK(run.State.Current == Screen::Attract);
    CHECK(run.Spoken().Cue == SpeechCue::Help);

    // In manager mode the speech keys do nothing.
    KeyRun manager;
    Event corner = Tap(TargetKind::ManagerCorner, 0, 100);
    corner.HeldMs = manager.Config.ManagerHoldMs;
    manager.Apply(corner);
    REQUIRE(manager.State.Current == Screen::PinEntry);
    manager.Press(Key::Help, 200);
    CHECK_FALSE(manager.State.Speech);
    CHECK(manager.Silent());
    manager.Press(Key::Next, 300);
    CHECK(manager.State.Focus.Kind == TargetKind::PinDigit);  // keys still move focus there
    manager.Press(Key::Back, 400);                            // the pad's Cancel
    CHECK(manager.State.Current == Screen::Attract);
}

TEST_CASE("speech: the spot chosen by keys starts it") {
    KeyRun run;
    for (int step = 0; step < 20 && run.State.Focus.Kind != TargetKind::SpeechSpot; ++step) {
        run.Press(Key::Next, 100 + step);
    }
    REQUIRE(run.State.Focus.Kind == TargetKind::SpeechSpot);
    run.Press(Key::Choose, 200);
    CHECK(run.State.Speech);
    CHECK(run.State.Current == Screen::Attract);
    CHECK(run.Spoken().Cue == SpeechCue::Help);
}

TEST_CASE("speech: a terminal that cannot speak has no spot, and its speech keys do nothing") {
    KeyRun run(false);
    for (const FocusSpot& spot : run.Spots()) {
        CHECK(spot.Tap.Kind != TargetKind::SpeechSpot);
    }
    for (Key key : {Key::Help, Key::Repeat, Key::VolumeUp, Key::VolumeDown}) {
        run.Press(key, 100);
        CHECK_FALSE(run.State.Speech);
        CHECK(run.Silent());
    }
    Event held = Tap(TargetKind::SpeechSpot, 0, 200);
    held.HeldMs = run.Config.SpeechHoldMs;
    run.Apply(held);
    CHECK_FALSE(run.State.Speech);
    // Keys still answer: focus and Choose work without speech.
    run.Press(Key::Next, 300).Press(Key::Choose, 310);
    CHECK(run.State.Current == Screen::Need);
}
