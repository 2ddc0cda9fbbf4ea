// The kiosk's two colour themes as plain RGB, so tests can check their contrast without a window.
// kiosk/screens/draw.cpp turns them into ImGui colours.
#pragma once

#include <cstdint>

namespace doorstep {

struct Rgb {
    uint8_t R = 0, G = 0, B = 0;
    bool operator==(const Rgb&) const = default;
};

// The colours of one theme, as plain RGB here and as ImGui colours where the window draws.
template <typename Color>
struct ThemeColors {
    Color Background;
    Color Text;
    Color MutedText;
    Color Primary;  // the one action a customer should take next
    Color PrimaryPressed;
    Color OnPrimary;  // text on Primary
    Color Surface;    // secondary buttons and cards
    Color SurfacePressed;
    Color Outline;
    Color Selected;             // fill of an answer already given (a tick shows it too)
    float OutlineWidth = 1.5f;  // button borders, in pixels

    // The same theme with every colour passed through `convert`.
    template <typename Convert>
    auto Map(Convert convert) const -> ThemeColors<decltype(convert(Background))> {
        return {convert(Background),
                convert(Text),
                convert(MutedText),
                convert(Primary),
                convert(PrimaryPressed),
                convert(OnPrimary),
                convert(Surface),
                convert(SurfacePressed),
                convert(Outline),
                convert(Selected),
                OutlineWidth};
    }
};
using Theme = ThemeColors<Rgb>;

const Theme& CalmTheme();
// White and yellow on black, thick outlines: every text pair reaches 7:1 (WCAG AAA).
const Theme& HighContrastTheme();

// WCAG 2.x relative luminance (0 black .. 1 white) and contrast ratio (1 .. 21).
double RelativeLuminance(Rgb color);
double ContrastRatio(Rgb a, Rgb b);

}  // namespace doorstep
