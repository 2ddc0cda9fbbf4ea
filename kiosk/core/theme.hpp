// The kiosk's two colour themes as plain RGB, so tests can check their contrast without a window.
// kiosk/app/draw.cpp turns them into ImGui colours.
#pragma once

#include <cstdint>

namespace doorstep {

struct Rgb {
    uint8_t R = 0, G = 0, B = 0;
    bool operator==(const Rgb&) const = default;
};

struct Theme {
    Rgb Background;
    Rgb Text;
    Rgb MutedText;
    Rgb Primary;  // the one action a customer should take next
    Rgb PrimaryPressed;
    Rgb OnPrimary;  // text on Primary
    Rgb Surface;    // secondary buttons and cards
    Rgb SurfacePressed;
    Rgb Outline;
    Rgb Selected;               // fill of an answer already given (a check mark shows it too)
    float OutlineWidth = 1.5f;  // button borders, in pixels
};

const Theme& CalmTheme();
// White and yellow on black, thick outlines: every text pair reaches 7:1 (WCAG AAA).
const Theme& HighContrastTheme();

// WCAG 2.x relative luminance (0 black .. 1 white) and contrast ratio (1 .. 21).
double RelativeLuminance(Rgb color);
double ContrastRatio(Rgb a, Rgb b);

}  // namespace doorstep
