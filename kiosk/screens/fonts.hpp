// Builds the font atlas: DejaVu Sans regular and bold at a size readable at arm's length, with
// glyphs for every text in the survey (and the upper-case forms the shift key produces).
#pragma once

#include <string>
#include <vector>

#include <imgui.h>

#include "core/base/result.hpp"
#include "core/survey/survey.hpp"
#include "kiosk/screens/draw.hpp"

namespace doorstep {

struct FontSet {
    Fonts Faces;
    ImVector<ImWchar> Ranges;  // must outlive the atlas build
};

// Paths of the fonts the kiosk needs; Debian package fonts-dejavu-core ships them.
inline constexpr const char* kRegularFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
inline constexpr const char* kBoldFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

// Clears `atlas` and loads both faces baked at `pixel_size`. Errors name the missing file.
Status LoadFonts(ImFontAtlas& atlas, const Survey& survey, float pixel_size, FontSet& out);

}  // namespace doorstep
