// Pure layout math: where every piece of a screen goes for a given window size. The window draws
// from it, hit-testing uses it, and the end-to-end tests compute their taps from it, so all three
// always agree.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/survey/survey.hpp"
#include "kiosk/flow/flow.hpp"

namespace doorstep {

struct Rect {
    float X = 0, Y = 0, W = 0, H = 0;
    float CenterX() const { return X + W * 0.5f; }
    float CenterY() const { return Y + H * 0.5f; }
    float Right() const { return X + W; }
    float Bottom() const { return Y + H; }
    bool Contains(float px, float py) const {
        return px >= X && px < X + W && py >= Y && py < Y + H;
    }
    bool operator==(const Rect&) const = default;
};

struct Viewport {
    float Width = 0;
    float Height = 0;
};

// Font sizes in pixels, scaled to the screen so text reads at arm's length on any panel.
struct Typography {
    float Title = 0;   // statements and questions
    float Body = 0;    // subtitles, answers
    float Button = 0;  // button labels
    float Small = 0;   // progress, scale words
};

struct Hit {
    Target Tap;
    Rect Area;
};

struct ScreenLayout {
    Rect Header;               // between Back and Start over: progress, or the comment prompt
    Rect Title;                // statement, question or big attract line
    Rect Subtitle;             // attract/thank-you second line; intent: the row of end labels
    Rect Hero;                 // attract: the drawn start button; thank-you: the face
    Rect Decoration;           // attract: room for the gentle animation
    Rect TextBox;              // comment: what has been typed; PIN pad: the dots
    Rect Content;              // manager: where the open tab draws its figures
    std::vector<Hit> Targets;  // every tappable area, in hit-test priority order
    Typography Type;
    bool Portrait = false;
};

struct LayoutInput {
    Screen Current = Screen::Attract;
    int LanguageCount = 1;
    int NeedCount = 3;
    std::vector<std::vector<std::string>> KeyRows;  // comment: keys of the visible page
    ManagerTab Tab = ManagerTab::Summary;           // manager: which tab is open
    AccessModes Access;         // large text and "within reach" change the layout
    bool ContactOffer = false;  // thank-you: "May we contact you?" with its two buttons
    bool SpeechSpot = false;    // attract: the tactile spot that starts speech, bottom left
};

// The smallest side any touch target may have: 12% of the screen's short side.
float MinTargetSize(Viewport viewport);
// In "within reach" mode keyboard keys may shrink to 9% of the short side (43 px at 480, about
// WCAG's 44 px target size) so that five rows of keys fit in the lower 60 % of a 480 px screen.
float ReachMinTargetSize(Viewport viewport);
// The y at and below which every customer target lies in "within reach" mode (access.hpp).
float ReachTop(Viewport viewport);
Typography TypographyFor(Viewport viewport, bool large_text = false);

ScreenLayout ComputeLayout(Viewport viewport, const LayoutInput& input);
// The first target (in priority order) under the point, if any.
std::optional<Target> HitTest(const ScreenLayout& layout, float x, float y);
const Hit* FindTarget(const ScreenLayout& layout, TargetKind kind, int index = 0);
// The first target that taps `target` (the drawn one, before any catch-all); null for none.
const Hit* FindHit(const ScreenLayout& layout, const Target& target);
// Where the controls are, as a Key event carries them to the reducer (keypad_flow.cpp).
std::vector<FocusSpot> FocusSpots(const ScreenLayout& layout);

// The keyboard for typing a contact, in every language: e-mail addresses and phone numbers are
// written in Latin letters, digits and a few signs whatever the survey's language.
KeyboardLayout ContactKeyboard();
// The keys of one keyboard page, each code point a key.
std::vector<std::vector<std::string>> KeyboardPage(const KeyboardLayout& keyboard, bool symbols);
// Everything ComputeLayout needs for this state.
LayoutInput LayoutInputFor(const Survey& survey, const FlowConfig& config, const FlowState& state);

}  // namespace doorstep
