// The high-contrast theme meets WCAG AAA (7:1) for every pair of text and background a screen
// draws, and 3:1 for borders; the contrast formula itself is checked on known values.
#include <doctest/doctest.h>

#include "kiosk/layout/theme.hpp"

using namespace doorstep;

TEST_CASE("contrast ratio: the WCAG formula on known pairs") {
    CHECK(ContrastRatio({0, 0, 0}, {255, 255, 255}) == doctest::Approx(21.0));
    CHECK(ContrastRatio({255, 255, 255}, {255, 255, 255}) == doctest::Approx(1.0));
    // #777777 on white is the textbook 4.48:1.
    CHECK(ContrastRatio({0x77, 0x77, 0x77}, {255, 255, 255}) ==
          doctest::Approx(4.48).epsilon(0.01));
    CHECK(ContrastRatio({10, 20, 30}, {200, 100, 50}) ==
          doctest::Approx(ContrastRatio({200, 100, 50}, {10, 20, 30})));
}

TEST_CASE("high contrast: every text pair reaches 7:1 and borders 3:1") {
    const Theme& t = HighContrastTheme();
    CHECK(ContrastRatio(t.Text, t.Background) >= 7.0);
    CHECK(ContrastRatio(t.MutedText, t.Background) >= 7.0);
    CHECK(ContrastRatio(t.Text, t.Surface) >= 7.0);
    CHECK(ContrastRatio(t.Text, t.SurfacePressed) >= 7.0);
    CHECK(ContrastRatio(t.Text, t.Selected) >= 7.0);
    CHECK(ContrastRatio(t.OnPrimary, t.Primary) >= 7.0);
    CHECK(ContrastRatio(t.OnPrimary, t.PrimaryPressed) >= 7.0);
    CHECK(ContrastRatio(t.Outline, t.Background) >= 3.0);
    CHECK(ContrastRatio(t.Primary, t.Background) >= 3.0);  // the selected border
    CHECK(t.OutlineWidth >= 2 * CalmTheme().OutlineWidth);
}

TEST_CASE("high contrast is higher than calm for body text") {
    CHECK(ContrastRatio(HighContrastTheme().Text, HighContrastTheme().Background) >
          ContrastRatio(CalmTheme().Text, CalmTheme().Background));
    CHECK(ContrastRatio(HighContrastTheme().MutedText, HighContrastTheme().Background) >
          ContrastRatio(CalmTheme().MutedText, CalmTheme().Background));
}
