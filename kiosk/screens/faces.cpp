#include "kiosk/screens/faces.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace doorstep {
namespace {

constexpr std::array<ImU32, 5> kFaceColors = {
    IM_COL32(214, 72, 66, 255),   // 1 very poor
    IM_COL32(235, 136, 61, 255),  // 2 poor
    IM_COL32(236, 196, 64, 255),  // 3 okay
    IM_COL32(142, 196, 80, 255),  // 4 good
    IM_COL32(60, 164, 82, 255),   // 5 excellent
};
constexpr float kPi = 3.14159265f;
constexpr ImU32 kFeature = IM_COL32(36, 36, 40, 255);

// Mouth: a quadratic curve whose bend goes from a deep frown (-1) to a broad smile (+1).
void DrawMouth(ImDrawList* draw, ImVec2 c, float r, float bend, bool open) {
    float half_w = r * (0.36f + 0.08f * std::abs(bend));
    float y = c.y + r * 0.38f - bend * r * 0.06f;
    ImVec2 left(c.x - half_w, y);
    ImVec2 right(c.x + half_w, y);
    ImVec2 control(c.x, y + bend * r * 0.42f);
    float thickness = std::max(2.0f, r * 0.09f);
    if (open) {
        // Open laughing mouth: a filled half-moon.
        draw->PathLineTo(left);
        draw->PathBezierQuadraticCurveTo(control, right, 16);
        draw->PathFillConvex(kFeature);
        return;
    }
    if (std::abs(bend) < 0.05f) {
        draw->AddLine(left, right, kFeature, thickness);
        return;
    }
    draw->AddBezierQuadratic(left, control, right, kFeature, thickness, 16);
}

}  // namespace

ImU32 FaceColor(int score) {
    return kFaceColors[static_cast<size_t>(std::clamp(score, 1, 5) - 1)];
}

void DrawFace(ImDrawList* draw, ImVec2 center, float radius, int score, bool pressed, float lift) {
    score = std::clamp(score, 1, 5);
    float r = pressed ? radius * 0.93f : radius;  // press feedback: the face sinks in
    draw->AddCircleFilled(ImVec2(center.x, center.y + r * 0.04f), r, IM_COL32(0, 0, 0, 40), 48);
    draw->AddCircleFilled(center, r, FaceColor(score), 48);
    draw->AddCircle(center, r, kFeature, 48, std::max(1.5f, r * 0.04f));

    // Eyes: closed happy arcs for 5, round dots otherwise.
    float eye_dx = r * 0.34f;
    float eye_y = center.y - r * 0.18f;
    float eye_r = r * 0.1f;
    for (float side : {-1.0f, 1.0f}) {
        ImVec2 eye(center.x + side * eye_dx, eye_y);
        if (score == 5) {
            draw->PathArcTo(ImVec2(eye.x, eye.y + eye_r * 0.6f), eye_r * 1.3f, kPi * 1.1f,
                            kPi * 1.9f, 10);
            draw->PathStroke(kFeature, 0, std::max(2.0f, r * 0.08f));
        } else {
            draw->AddCircleFilled(eye, eye_r, kFeature, 16);
        }
        // Brows: slanted for the unhappy faces, so they differ by more than the mouth.
        if (score <= 2) {
            float slant = score == 1 ? 0.16f : 0.08f;
            ImVec2 inner(center.x + side * r * 0.16f, eye_y - r * 0.2f);
            ImVec2 outer(center.x + side * r * 0.52f, eye_y - r * (0.2f + slant));
            draw->AddLine(inner, outer, kFeature, std::max(2.0f, r * 0.07f));
        }
    }
    static_assert(kFaceColors.size() == 5);
    constexpr std::array<float, 5> kBend = {-1.0f, -0.5f, 0.0f, 0.55f, 1.0f};
    float bend = kBend[static_cast<size_t>(score - 1)] + lift * 0.15f;
    DrawMouth(draw, center, r, std::clamp(bend, -1.0f, 1.0f), score == 5);
}

}  // namespace doorstep
