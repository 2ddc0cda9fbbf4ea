// One draw function per customer screen. Each is a plain function of the layout and the flow
// state: no input handling, no decisions.
#pragma once

#include <optional>
#include <string>

#include <imgui.h>

#include "core/survey/survey.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/layout/layout.hpp"
#include "kiosk/screens/draw.hpp"

namespace doorstep {

struct ScreenContext {
    const Survey& Definition;
    const FlowConfig& Config;
    const FlowState& State;
    const ScreenLayout& Layout;
    const Fonts& Faces;
    std::optional<Target> Pressed;  // the target under a finger right now, for press feedback
    int AnimationStep = 0;          // attract animation: which face is lifted
    std::string HeaderOverride;     // staff rating: the staff prompt instead of the progress
    // Attract: alerts nobody has acknowledged. Staff see a small dot in the hidden corner;
    // customers see no words and nothing to tap.
    int StaffMarker = 0;
};

void DrawScreen(ImDrawList* draw, const ScreenContext& context);

// The attract screen with its accessibility toggles (attract_screen.cpp).
void DrawAttract(ImDrawList* draw, const ScreenContext& context);

// Outside opening hours: the customer's words on a dimmed page (closed_screen.cpp).
void DrawClosed(ImDrawList* draw, const ScreenContext& context);
ImU32 ClosedBackground();

// Service recovery: the thank-you that offers it or follows it, and the screen where the
// contact is typed (contact_screen.cpp).
void DrawContactThankYou(ImDrawList* draw, const ScreenContext& context);
void DrawContact(ImDrawList* draw, const ScreenContext& context);

// Pieces the question screens share (screens.cpp): Back and Start over with the header between,
// the box showing what is typed, and the keyboard with its two action keys (Skip and Done).
void DrawTopBar(ImDrawList* draw, const ScreenContext& context, std::string_view header);
void DrawTypedBox(ImDrawList* draw, const ScreenContext& context, const std::string& typed,
                  std::string_view placeholder);
void DrawKeyboard(ImDrawList* draw, const ScreenContext& context, std::string_view skip_label,
                  std::string_view done_label);

// The survey's word for `key` in the customer's language.
inline const std::string& ScreenText(const ScreenContext& context, std::string_view key) {
    return context.Definition.Text(key, context.State.Language);
}

inline bool IsPressed(const ScreenContext& context, const Target& target) {
    return context.Pressed.has_value() && *context.Pressed == target;
}

}  // namespace doorstep
