// Drawing primitives for the kiosk screens: colours, text fitted into boxes, buttons and icons.
// Everything goes through an ImDrawList so screens are plain functions of layout and state.
#pragma once

#include <string_view>

#include <imgui.h>

#include "kiosk/layout/layout.hpp"
#include "kiosk/layout/theme.hpp"

namespace doorstep {

using Palette = ThemeColors<ImU32>;
// The palette of the theme in use: calm, or high contrast (kiosk/layout/theme.hpp).
const Palette& KioskPalette();
// Chooses the theme for the frames that follow; the loop sets it from the customer's modes.
void UseHighContrast(bool high_contrast);

struct Fonts {
    ImFont* Regular = nullptr;
    ImFont* Bold = nullptr;
};

enum class Align { Left, Center, Right };

// Wraps `text` to the box and shrinks it (down to half of `size`) until it fits; lines are
// aligned horizontally and the block is centred vertically. Returns the size used.
float DrawTextInBox(ImDrawList* draw, ImFont* font, float size, std::string_view text, Rect box,
                    ImU32 color, Align align = Align::Center);

enum class ButtonStyle { Primary, Secondary, Quiet };
// A rounded button with a centred label. `pressed` darkens it: visible press feedback.
// `selected` shows by a thick border and a check mark, never by colour alone.
void DrawButton(ImDrawList* draw, const Fonts& fonts, float font_size, Rect area,
                std::string_view label, ButtonStyle style, bool pressed, bool selected = false);

// Vector icons for keys that have no word, so they need no glyphs and read in any language.
void DrawShiftIcon(ImDrawList* draw, Rect area, ImU32 color, bool filled);
void DrawBackspaceIcon(ImDrawList* draw, Rect area, ImU32 color);
void DrawBackArrow(ImDrawList* draw, Rect area, ImU32 color);
// A tick inside `area` (a square is best).
void DrawCheckMark(ImDrawList* draw, Rect area, ImU32 color);

// A loudspeaker with two sound waves: the tactile spot that starts speech (focus_ring.cpp).
void DrawSpeakerIcon(ImDrawList* draw, Rect area, ImU32 color);
// Where keys have put the focus: a thick ring around the control, black outside and white
// inside, so it shows on every theme's colours and by its shape, not by colour alone. Kept
// within the screen for controls that fill it (focus_ring.cpp).
void DrawFocusRing(ImDrawList* draw, Rect area, Viewport screen);

ImVec2 ToImVec(float x, float y);

}  // namespace doorstep
