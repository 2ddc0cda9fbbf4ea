// Layout math: every target is large enough to touch, on screen, apart from its neighbours, and
// found again by the hit test, on every supported screen size and orientation.
#include <doctest/doctest.h>

#include <string>

#include "core/survey/survey.hpp"
#include "kiosk/layout/layout.hpp"
#include "layout_checks.hpp"

using namespace doorstep;

namespace {

using namespace doorstep::testing;

const auto& kSizes = kAllSizes;

void CheckLayout(Viewport viewport, const LayoutInput& input) {
    CheckTargets(viewport, ComputeLayout(viewport, input), MinTargetSize(viewport));
}

}  // namespace

TEST_CASE("layout: the minimum target is 12% of the short side") {
    CHECK(MinTargetSize({800, 480}) == doctest::Approx(58));
    CHECK(MinTargetSize({1080, 1920}) == doctest::Approx(130));
}

TEST_CASE("layout: every customer screen at every size and orientation") {
    Survey survey = ShippedSurvey();
    for (Viewport viewport : kSizes) {
        for (const LayoutInput& input : CustomerScreens(survey, {})) {
            CheckLayout(viewport, input);
        }
    }
}

TEST_CASE("layout: the PIN pad and every manager tab at every size") {
    for (Viewport viewport : kSizes) {
        LayoutInput pin;
        pin.Current = Screen::PinEntry;
        CheckLayout(viewport, pin);
        ScreenLayout pad = ComputeLayout(viewport, pin);
        for (int digit = 0; digit <= 9; ++digit) {
            CHECK(FindTarget(pad, TargetKind::PinDigit, digit) != nullptr);
        }
        // Telephone order: 1 above 4 above 7 above 0.
        CHECK(FindTarget(pad, TargetKind::PinDigit, 1)->Area.Y <
              FindTarget(pad, TargetKind::PinDigit, 4)->Area.Y);
        CHECK(FindTarget(pad, TargetKind::PinDigit, 7)->Area.Y <
              FindTarget(pad, TargetKind::PinDigit, 0)->Area.Y);
        for (int tab = 0; tab < kManagerTabCount; ++tab) {
            LayoutInput manager;
            manager.Current = Screen::Manager;
            manager.Tab = static_cast<ManagerTab>(tab);
            manager.NeedCount = 5;
            INFO("tab " << tab);
            CheckLayout(viewport, manager);
            ScreenLayout layout = ComputeLayout(viewport, manager);
            CHECK(layout.Content.H > MinTargetSize(viewport) * 2);
            for (const Hit& hit : layout.Targets) {
                CHECK_FALSE(Overlap(hit.Area, layout.Content));
            }
        }
    }
}

TEST_CASE("layout: the comment keyboard of every shipped language, both pages") {
    Survey survey = ShippedSurvey();
    for (Viewport viewport : kSizes) {
        for (const auto& [language, keyboard] : survey.Keyboards) {
            for (bool symbols : {false, true}) {
                INFO("language " << language << (symbols ? " symbols" : " letters"));
                LayoutInput input;
                input.Current = Screen::Comment;
                input.KeyRows = KeyboardPage(keyboard, symbols);
                CheckLayout(viewport, input);
                // Every key of the page is on screen exactly once.
                ScreenLayout layout = ComputeLayout(viewport, input);
                size_t keys = 0;
                size_t expected = 0;
                for (const Hit& hit : layout.Targets) {
                    keys += hit.Tap.Kind == TargetKind::Key ? 1 : 0;
                }
                for (const auto& row : input.KeyRows) {
                    expected += row.size();
                }
                CHECK(keys == expected);
            }
        }
    }
}

TEST_CASE("layout: faces run worst to best left to right, best on top in portrait") {
    LayoutInput input;
    input.Current = Screen::Need;
    ScreenLayout landscape = ComputeLayout({1280, 800}, input);
    CHECK(FindTarget(landscape, TargetKind::Face, 1)->Area.X <
          FindTarget(landscape, TargetKind::Face, 5)->Area.X);
    ScreenLayout portrait = ComputeLayout({800, 1280}, input);
    CHECK(portrait.Portrait);
    CHECK(FindTarget(portrait, TargetKind::Face, 5)->Area.Y <
          FindTarget(portrait, TargetKind::Face, 1)->Area.Y);
}

TEST_CASE("layout: intent buttons wrap into balanced rows when the screen is narrow") {
    LayoutInput input;
    input.Current = Screen::Intent;
    ScreenLayout wide = ComputeLayout({1280, 800}, input);
    CHECK(FindTarget(wide, TargetKind::IntentScore, 0)->Area.Y ==
          FindTarget(wide, TargetKind::IntentScore, 10)->Area.Y);
    ScreenLayout narrow = ComputeLayout({480, 800}, input);
    CHECK(FindTarget(narrow, TargetKind::IntentScore, 0)->Area.Y <
          FindTarget(narrow, TargetKind::IntentScore, 10)->Area.Y);
    CHECK(FindTarget(narrow, TargetKind::IntentScore, 5)->Area.Y ==
          FindTarget(narrow, TargetKind::IntentScore, 0)->Area.Y);  // 6 + 5
}

TEST_CASE("layout: attract taps start anywhere except on a language button") {
    LayoutInput input;
    input.LanguageCount = 5;
    ScreenLayout layout = ComputeLayout({1280, 800}, input);
    CHECK(HitTest(layout, layout.Title.CenterX(), layout.Title.CenterY())->Kind ==
          TargetKind::Start);
    // The top-left corner is the manager's: a short tap there still starts (see flow tests).
    CHECK(HitTest(layout, 5, 5)->Kind == TargetKind::ManagerCorner);
    const Hit* greek = FindTarget(layout, TargetKind::Language, 4);
    REQUIRE(greek != nullptr);
    CHECK(HitTest(layout, greek->Area.CenterX(), greek->Area.CenterY())->Index == 4);
}

TEST_CASE("layout: nothing is hit outside the targets of a question screen") {
    LayoutInput input;
    input.Current = Screen::Need;
    ScreenLayout layout = ComputeLayout({1280, 800}, input);
    CHECK_FALSE(HitTest(layout, layout.Title.CenterX(), layout.Title.CenterY()).has_value());
}

TEST_CASE("layout: the tactile spot sits bottom left, clear of the languages, at every size") {
    for (Viewport viewport : kSizes) {
        for (int languages = 1; languages <= 5; ++languages) {
            for (bool within_reach : {false, true}) {
                LayoutInput input;
                input.LanguageCount = languages;
                input.SpeechSpot = true;
                input.Access.WithinReach = within_reach;
                ScreenLayout layout = ComputeLayout(viewport, input);
                CheckTargets(viewport, layout, MinTargetSize(viewport));
                const Hit* spot = FindTarget(layout, TargetKind::SpeechSpot);
                REQUIRE(spot != nullptr);
                INFO(Describe(viewport, *spot));
                CHECK(spot->Area.Right() < viewport.Width * 0.25f);
                CHECK(spot->Area.Y > viewport.Height * 0.75f);
                CHECK(HitTest(layout, spot->Area.CenterX(), spot->Area.CenterY())->Kind ==
                      TargetKind::SpeechSpot);
            }
        }
        LayoutInput without;
        without.LanguageCount = 5;
        CHECK(FindTarget(ComputeLayout(viewport, without), TargetKind::SpeechSpot) == nullptr);
    }
}
