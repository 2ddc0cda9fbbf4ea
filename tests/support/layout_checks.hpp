// Checks every layout test makes of a screen's targets, in any mode, and the shipped survey.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/survey/survey.hpp"
#include "kiosk/layout/layout.hpp"

namespace doorstep::testing {

inline const Viewport kAllSizes[] = {{800, 480},  {480, 800},   {1280, 800},
                                     {800, 1280}, {1920, 1080}, {1080, 1920}};

// The survey the kiosk ships with: its keyboards and words are what the layout must fit.
inline Survey ShippedSurvey() {
    SurveyParse parsed =
        LoadSurveyFile(std::string(DOORSTEP_SOURCE_ASSETS_DIR) + "/surveys/default.json");
    REQUIRE(parsed.Ok());
    return parsed.Definition;
}

// Every layout input of every customer screen: each need count, each keyboard page.
inline std::vector<LayoutInput> CustomerScreens(const Survey& survey, AccessModes modes) {
    std::vector<LayoutInput> inputs;
    for (Screen screen :
         {Screen::Attract, Screen::Need, Screen::LeastMet, Screen::Intent, Screen::ThankYou}) {
        for (int needs : {1, 3, 5}) {
            LayoutInput input;
            input.Current = screen;
            input.LanguageCount = 5;
            input.NeedCount = needs;
            input.Access = modes;
            inputs.push_back(input);
        }
    }
    for (const auto& [language, keyboard] : survey.Keyboards) {
        for (bool symbols : {false, true}) {
            LayoutInput input;
            input.Current = Screen::Comment;
            input.KeyRows = KeyboardPage(keyboard, symbols);
            input.Access = modes;
            inputs.push_back(input);
        }
    }
    return inputs;
}

inline bool Overlap(const Rect& a, const Rect& b) {
    return a.X < b.Right() && b.X < a.Right() && a.Y < b.Bottom() && b.Y < a.Bottom();
}

inline bool Inside(const Rect& r, Viewport v) {
    return r.X >= 0 && r.Y >= 0 && r.Right() <= v.Width + 0.01f && r.Bottom() <= v.Height + 0.01f;
}

// The full-screen targets and the manager's corner lie over other targets on purpose.
inline bool MayOverlap(const Hit& hit) {
    return hit.Tap.Kind == TargetKind::Start || hit.Tap.Kind == TargetKind::Dismiss ||
           hit.Tap.Kind == TargetKind::ManagerCorner;
}

inline std::string Describe(Viewport v, const Hit& hit) {
    return std::to_string(static_cast<int>(v.Width)) + "x" +
           std::to_string(static_cast<int>(v.Height)) + " target kind " +
           std::to_string(static_cast<int>(hit.Tap.Kind)) + " index " +
           std::to_string(hit.Tap.Index) + " '" + hit.Tap.Text + "' at " +
           std::to_string(hit.Area.X) + "," + std::to_string(hit.Area.Y) + " size " +
           std::to_string(hit.Area.W) + "x" + std::to_string(hit.Area.H);
}

// Every target is at least `min` on each side, on screen, found again by the hit test, apart
// from its neighbours and from the screen's text.
inline void CheckTargets(Viewport viewport, const ScreenLayout& layout, float min) {
    REQUIRE_FALSE(layout.Targets.empty());
    for (size_t i = 0; i < layout.Targets.size(); ++i) {
        const Hit& hit = layout.Targets[i];
        INFO(Describe(viewport, hit));
        CHECK(hit.Area.W >= min);
        CHECK(hit.Area.H >= min);
        CHECK(Inside(hit.Area, viewport));
        if (MayOverlap(hit)) {
            continue;
        }
        std::optional<Target> found = HitTest(layout, hit.Area.CenterX(), hit.Area.CenterY());
        REQUIRE(found.has_value());
        CHECK(*found == hit.Tap);
        for (size_t j = i + 1; j < layout.Targets.size(); ++j) {
            if (!MayOverlap(layout.Targets[j])) {
                INFO("overlaps " << Describe(viewport, layout.Targets[j]));
                CHECK_FALSE(Overlap(hit.Area, layout.Targets[j].Area));
            }
        }
        // Text never sits under a button; on attract, neither does the drawn start button.
        for (const Rect& text :
             {layout.Title, layout.Header, layout.TextBox, layout.Subtitle, layout.Hero}) {
            if (text.W > 0) {
                CHECK_FALSE(Overlap(hit.Area, text));
            }
        }
    }
    for (const Rect& text : {layout.Title, layout.Header, layout.TextBox, layout.Subtitle}) {
        CHECK(Inside(text, viewport));
    }
}

}  // namespace doorstep::testing
