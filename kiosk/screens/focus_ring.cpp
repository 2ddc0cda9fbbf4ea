// The marks keys and speech add to the screens: the focus ring and the speaker of the tactile
// spot.
#include <algorithm>
#include <cmath>

#include "kiosk/screens/draw.hpp"

namespace doorstep {
namespace {

constexpr ImU32 kRingOuter = IM_COL32(0, 0, 0, 255);
constexpr ImU32 kRingInner = IM_COL32(255, 255, 255, 255);

}  // namespace

void DrawSpeakerIcon(ImDrawList* draw, Rect area, ImU32 color) {
    float s = std::min(area.W, area.H);
    float x = area.CenterX() - s * 0.42f;
    float cy = area.CenterY();
    // The body and its cone.
    draw->AddRectFilled({x, cy - s * 0.12f}, {x + s * 0.16f, cy + s * 0.12f}, color);
    ImVec2 cone[4] = {{x + s * 0.16f, cy - s * 0.12f},
                      {x + s * 0.38f, cy - s * 0.3f},
                      {x + s * 0.38f, cy + s * 0.3f},
                      {x + s * 0.16f, cy + s * 0.12f}};
    draw->AddConvexPolyFilled(cone, 4, color);
    // Two waves.
    float t = std::max(2.0f, s * 0.06f);
    ImVec2 centre{x + s * 0.38f, cy};
    for (float r : {s * 0.2f, s * 0.38f}) {
        draw->PathArcTo(centre, r, -0.9f, 0.9f, 12);
        draw->PathStroke(color, ImDrawFlags_None, t);
    }
}

void DrawFocusRing(ImDrawList* draw, Rect area, Viewport screen) {
    float side = std::min(screen.Width, screen.Height);
    float t = std::max(4.0f, std::round(side * 0.008f));  // each of the two bands
    // Outside the control with a small gap, so the control's own border and tick still show.
    float out = t * 0.5f + t;
    float x0 = std::max(area.X - out, t);
    float y0 = std::max(area.Y - out, t);
    float x1 = std::min(area.Right() + out, screen.Width - t);
    float y1 = std::min(area.Bottom() + out, screen.Height - t);
    float rounding = std::min(area.W, area.H) * 0.2f;
    draw->AddRect({x0, y0}, {x1, y1}, kRingOuter, rounding, 0, 2 * t);
    draw->AddRect({x0 + t * 0.5f, y0 + t * 0.5f}, {x1 - t * 0.5f, y1 - t * 0.5f}, kRingInner,
                  rounding, 0, t);
}

}  // namespace doorstep
