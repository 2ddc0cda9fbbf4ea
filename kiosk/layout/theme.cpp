#include "kiosk/layout/theme.hpp"

#include <algorithm>
#include <cmath>

namespace doorstep {

namespace {

constexpr Theme kCalm{
    {247, 244, 239},  // warm paper
    {31, 42, 54},     // deep slate
    {92, 102, 112},
    {27, 111, 106},  // teal
    {17, 78, 74},
    {255, 255, 255},
    {255, 255, 255},
    {222, 226, 230},
    {196, 202, 208},
    {214, 236, 233},
    1.5f,
};

constexpr Theme kHighContrast{
    {0, 0, 0},        // black
    {255, 255, 255},  // white
    {255, 255, 255},  // nothing is "muted": every word must read
    {255, 221, 0},    // signal yellow
    {255, 255, 255},  // pressed: white, a change of shape follows from the outline
    {0, 0, 0},        // black on yellow
    {0, 0, 0},
    {60, 60, 60},
    {255, 255, 255},  // white borders
    {0, 0, 0},        // selection shows by the yellow border and the check mark
    3.0f,
};

double Channel(uint8_t value) {
    double c = value / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

}  // namespace

const Theme& CalmTheme() {
    return kCalm;
}

const Theme& HighContrastTheme() {
    return kHighContrast;
}

double RelativeLuminance(Rgb color) {
    return 0.2126 * Channel(color.R) + 0.7152 * Channel(color.G) + 0.0722 * Channel(color.B);
}

double ContrastRatio(Rgb a, Rgb b) {
    double la = RelativeLuminance(a);
    double lb = RelativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

}  // namespace doorstep
