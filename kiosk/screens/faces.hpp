// The five faces of the rating scale, drawn as vectors. Each level differs in shape (mouth curve,
// brows, eyes) as well as colour, so the scale never relies on colour alone.
#pragma once

#include <imgui.h>

namespace doorstep {

// Face fill colour for a score 1..5 (red .. green).
ImU32 FaceColor(int score);
// Draws the face for `score` (1..5) centred at `center`. `lift` in 0..1 raises the smile a
// little, for the gentle attract animation; 0 draws the plain face.
void DrawFace(ImDrawList* draw, ImVec2 center, float radius, int score, bool pressed,
              float lift = 0.0f);

}  // namespace doorstep
