#include "kiosk/screens/fonts.hpp"

#include <unistd.h>

#include "core/base/text.hpp"

namespace doorstep {

Status LoadFonts(ImFontAtlas& atlas, const Survey& survey, float pixel_size, FontSet& out) {
    for (const char* path : {kRegularFontPath, kBoldFontPath}) {
        if (access(path, R_OK) != 0) {
            return Error{std::string("font not found: ") + path +
                             " (install the Debian package fonts-dejavu-core)",
                         0};
        }
    }
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(atlas.GetGlyphRangesDefault());
    for (std::string_view text : AllTexts(survey)) {
        builder.AddText(text.data(), text.data() + text.size());
        for (const std::string& key : SplitCodePoints(text)) {
            std::string upper = ToUpperKey(key);
            builder.AddText(upper.c_str());
        }
    }
    builder.AddText("…·");
    out.Ranges.clear();
    builder.BuildRanges(&out.Ranges);

    atlas.Clear();
    ImFontConfig config;
    config.OversampleH = 1;  // large sizes need no horizontal oversampling; saves atlas memory
    config.OversampleV = 1;
    config.PixelSnapH = true;
    out.Faces.Regular =
        atlas.AddFontFromFileTTF(kRegularFontPath, pixel_size, &config, out.Ranges.Data);
    out.Faces.Bold = atlas.AddFontFromFileTTF(kBoldFontPath, pixel_size, &config, out.Ranges.Data);
    if (out.Faces.Regular == nullptr || out.Faces.Bold == nullptr || !atlas.Build()) {
        return Error{"cannot build the font atlas from DejaVu Sans", 0};
    }
    return Success();
}

}  // namespace doorstep
