// Accessibility modes in the layout: "within reach" keeps every customer target in the lower
// 60 % of the screen on every customer screen, size and orientation; large text changes sizes,
// not places; the toggles are on the attract screen in every mode.
#include <doctest/doctest.h>

#include <string>

#include "core/survey/survey.hpp"
#include "kiosk/layout/layout.hpp"
#include "layout_checks.hpp"

using namespace doorstep;
using namespace doorstep::testing;

namespace {

bool IsKeyboardKey(TargetKind kind) {
    return kind == TargetKind::Key || kind == TargetKind::Shift ||
           kind == TargetKind::SymbolsToggle || kind == TargetKind::Space ||
           kind == TargetKind::Backspace;
}

}  // namespace

TEST_CASE("within reach: every customer target lies in the lower 60 % of the screen") {
    Survey survey = ShippedSurvey();
    for (bool large_text : {false, true}) {
        AccessModes modes;
        modes.WithinReach = true;
        modes.LargeText = large_text;
        for (Viewport viewport : kAllSizes) {
            float reach_top = ReachTop(viewport);
            CHECK(reach_top == doctest::Approx(viewport.Height * 0.4f).epsilon(0.01));
            for (const LayoutInput& input : CustomerScreens(survey, modes)) {
                INFO("screen " << static_cast<int>(input.Current) << " needs " << input.NeedCount);
                ScreenLayout layout = ComputeLayout(viewport, input);
                CheckTargets(viewport, layout, ReachMinTargetSize(viewport));
                for (const Hit& hit : layout.Targets) {
                    if (hit.Tap.Kind == TargetKind::ManagerCorner) {
                        continue;  // for staff, who can reach it: the one exemption
                    }
                    INFO(Describe(viewport, hit));
                    CHECK(hit.Area.Y >= reach_top);
                    if (!IsKeyboardKey(hit.Tap.Kind)) {  // only keys may shrink to fit
                        CHECK(hit.Area.H >= MinTargetSize(viewport));
                    }
                }
            }
        }
    }
}

TEST_CASE("within reach: the usual layout does put targets high, so the rule is not idle") {
    LayoutInput input;
    input.Current = Screen::Need;
    ScreenLayout usual = ComputeLayout({1080, 1920}, input);
    CHECK(FindTarget(usual, TargetKind::Back)->Area.Y < ReachTop({1080, 1920}));
    input.Access.WithinReach = true;
    ScreenLayout reach = ComputeLayout({1080, 1920}, input);
    CHECK(FindTarget(reach, TargetKind::Back)->Area.Y >= ReachTop({1080, 1920}));
    // The statement stays where it reads best: above.
    CHECK(reach.Title.Bottom() <= ReachTop({1080, 1920}));
}

TEST_CASE("the three toggles are on the attract screen in every mode, apart and large enough") {
    for (Viewport viewport : kAllSizes) {
        for (int bits = 0; bits < 4; ++bits) {
            LayoutInput input;
            input.LanguageCount = 5;
            input.Access.LargeText = (bits & 1) != 0;
            input.Access.WithinReach = (bits & 2) != 0;
            ScreenLayout layout = ComputeLayout(viewport, input);
            CheckTargets(viewport, layout, MinTargetSize(viewport));
            for (int mode = 0; mode < kAccessModeCount; ++mode) {
                const Hit* toggle = FindTarget(layout, TargetKind::AccessToggle, mode);
                REQUIRE(toggle != nullptr);
                // A tap on it is the toggle's, not the start target's under it.
                CHECK(HitTest(layout, toggle->Area.CenterX(), toggle->Area.CenterY())->Kind ==
                      TargetKind::AccessToggle);
                // Wide enough for a box, an icon and words.
                CHECK(toggle->Area.W >= toggle->Area.H * 2.5f);
            }
        }
    }
}

TEST_CASE("large text: every customer font grows, the layout keeps its targets") {
    for (Viewport viewport : kAllSizes) {
        Typography usual = TypographyFor(viewport);
        Typography large = TypographyFor(viewport, true);
        CHECK(large.Body >= usual.Body * 1.25f);
        CHECK(large.Button >= usual.Button * 1.25f);
        CHECK(large.Small >= usual.Small * 1.25f);
        CHECK(large.Title > usual.Title);
        LayoutInput input;
        input.Current = Screen::Need;
        input.Access.LargeText = true;
        CHECK(ComputeLayout(viewport, input).Type.Body == large.Body);
    }
}
