// Outside opening hours: a dimmed page (dark slate, not black, so the terminal plainly works)
// with the survey's "closed" words. It draws only when something changes, so it costs no CPU.
#include "kiosk/screens/screens.hpp"

namespace doorstep {

ImU32 ClosedBackground() {
    return IM_COL32(38, 46, 56, 255);
}

void DrawClosed(ImDrawList* draw, const ScreenContext& c) {
    const ScreenLayout& l = c.Layout;
    DrawTextInBox(draw, c.Faces.Bold, l.Type.Title, ScreenText(c, "closed_title"), l.Title,
                  IM_COL32(226, 230, 234, 255));
    DrawTextInBox(draw, c.Faces.Regular, l.Type.Body, ScreenText(c, "closed_body"), l.Subtitle,
                  IM_COL32(176, 186, 196, 255));
}

}  // namespace doorstep
