// The attract screen: the invitation, the start button, the languages and the accessibility
// toggles. A toggle shows its state by a ticked box and a thick border, never by colour alone,
// and carries an icon beside its words.
#include <algorithm>
#include <cmath>

#include "kiosk/screens/faces.hpp"
#include "kiosk/screens/screens.hpp"

namespace doorstep {
namespace {

const char* ToggleTextKey(AccessMode mode) {
    switch (mode) {
        case AccessMode::HighContrast:
            return "high_contrast";
        case AccessMode::LargeText:
            return "large_text";
        case AccessMode::WithinReach:
            return "within_reach";
    }
    return "high_contrast";
}

// A circle half filled: the usual sign for contrast.
void DrawContrastIcon(ImDrawList* draw, Rect box, ImU32 color) {
    ImVec2 center(box.CenterX(), box.CenterY());
    float r = box.H * 0.42f;
    draw->PathArcTo(center, r, 3.14159265f * 0.5f, 3.14159265f * 1.5f, 24);
    draw->PathFillConvex(color);
    draw->AddCircle(center, r, color, 32, std::max(2.0f, r * 0.14f));
}

// A small and a large "A": the usual sign for text size, in any language.
void DrawTextSizeIcon(ImDrawList* draw, const Fonts& fonts, Rect box, ImU32 color) {
    float big = box.H * 0.95f;
    float small = box.H * 0.55f;
    float base = box.Bottom() - box.H * 0.05f;
    draw->AddText(fonts.Bold, small, ImVec2(box.X, base - small), color, "A");
    draw->AddText(fonts.Bold, big, ImVec2(box.X + box.W * 0.38f, base - big), color, "A");
}

// An arrow pointing down onto a line: the buttons come down.
void DrawReachIcon(ImDrawList* draw, Rect box, ImU32 color) {
    float t = std::max(2.0f, box.H * 0.1f);
    float cx = box.CenterX();
    draw->AddLine({cx, box.Y + box.H * 0.05f}, {cx, box.Y + box.H * 0.7f}, color, t);
    draw->AddTriangleFilled({cx - box.H * 0.25f, box.Y + box.H * 0.5f},
                            {cx + box.H * 0.25f, box.Y + box.H * 0.5f}, {cx, box.Y + box.H * 0.78f},
                            color);
    draw->AddLine({box.X + box.W * 0.1f, box.Bottom() - t * 0.5f},
                  {box.Right() - box.W * 0.1f, box.Bottom() - t * 0.5f}, color, t);
}

void DrawAccessToggle(ImDrawList* draw, const ScreenContext& c, const Hit& hit) {
    const Palette& p = KioskPalette();
    const ScreenLayout& l = c.Layout;
    auto mode = static_cast<AccessMode>(hit.Tap.Index);
    bool on = IsOn(c.State.Access, mode);
    const Rect& a = hit.Area;
    float rounding = a.H * 0.18f;
    ImU32 fill = IsPressed(c, hit.Tap) ? p.SurfacePressed : (on ? p.Selected : p.Surface);
    draw->AddRectFilled({a.X, a.Y}, {a.Right(), a.Bottom()}, fill, rounding);
    float border = on ? std::max(3.0f, l.Type.Small * 0.15f) : p.OutlineWidth;
    draw->AddRect({a.X, a.Y}, {a.Right(), a.Bottom()}, on ? p.Primary : p.Outline, rounding, 0,
                  border);
    // [box] [icon] words: the box is ticked when the mode is on.
    float s = a.H * 0.46f;
    float pad = a.H * 0.2f;
    Rect box{a.X + pad, a.CenterY() - s * 0.5f, s, s};
    draw->AddRect({box.X, box.Y}, {box.Right(), box.Bottom()}, p.Text, s * 0.15f, 0,
                  std::max(2.0f, s * 0.1f));
    if (on) {
        DrawCheckMark(draw, {box.X + s * 0.1f, box.Y + s * 0.1f, s * 0.8f, s * 0.8f}, p.Text);
    }
    Rect icon{box.Right() + pad * 0.8f, box.Y, s * 1.1f, s};
    switch (mode) {
        case AccessMode::HighContrast:
            DrawContrastIcon(draw, icon, p.Text);
            break;
        case AccessMode::LargeText:
            DrawTextSizeIcon(draw, c.Faces, icon, p.Text);
            break;
        case AccessMode::WithinReach:
            DrawReachIcon(draw, icon, p.Text);
            break;
    }
    float words_x = icon.Right() + pad * 0.8f;
    Rect words{words_x, a.Y + a.H * 0.06f, a.Right() - pad * 0.5f - words_x, a.H * 0.88f};
    DrawTextInBox(draw, c.Faces.Regular, l.Type.Small, ScreenText(c, ToggleTextKey(mode)), words,
                  p.Text, Align::Left);
}

// The tactile spot: a speaker in a button, framed thick while speech is on. Its words are heard,
// not read: the survey's "spot" text says where it is (kiosk/speech).
void DrawSpeechSpot(ImDrawList* draw, const ScreenContext& c, const Hit& hit) {
    const Palette& p = KioskPalette();
    const Rect& a = hit.Area;
    float rounding = a.H * 0.18f;
    bool on = c.State.Speech;
    ImU32 fill = IsPressed(c, hit.Tap) ? p.SurfacePressed : (on ? p.Selected : p.Surface);
    draw->AddRectFilled({a.X, a.Y}, {a.Right(), a.Bottom()}, fill, rounding);
    float border = on ? std::max(3.0f, c.Layout.Type.Small * 0.15f) : p.OutlineWidth;
    draw->AddRect({a.X, a.Y}, {a.Right(), a.Bottom()}, on ? p.Primary : p.Outline, rounding, 0,
                  border);
    float s = a.H * 0.6f;
    DrawSpeakerIcon(draw, {a.CenterX() - s * 0.5f, a.CenterY() - s * 0.5f, s, s}, p.Text);
}

}  // namespace

void DrawAttract(ImDrawList* draw, const ScreenContext& c) {
    const ScreenLayout& l = c.Layout;
    const Palette& p = KioskPalette();
    if (c.StaffMarker > 0) {
        for (const Hit& hit : l.Targets) {
            if (hit.Tap.Kind == TargetKind::ManagerCorner) {
                float r = std::max(4.0f, hit.Area.W * 0.09f);
                draw->AddCircleFilled({hit.Area.X + r * 2.2f, hit.Area.Y + r * 2.2f}, r,
                                      FaceColor(1), 16);
            }
        }
    }
    DrawTextInBox(draw, c.Faces.Bold, l.Type.Title * 1.15f, ScreenText(c, "attract_title"), l.Title,
                  p.Text);
    DrawTextInBox(draw, c.Faces.Regular, l.Type.Body, ScreenText(c, "attract_subtitle"), l.Subtitle,
                  p.MutedText);
    // Five faces, one lifted at a time, left to right: a slow wave that catches the eye from the
    // aisle and shows the scale before the first question. One step per animation frame, so it
    // reads the same at any frame rate.
    Rect deco = l.Decoration;
    float spacing = l.Portrait ? 0.19f : 0.16f;  // portrait: the row is narrow, use all of it
    float radius = std::min(deco.H * 0.34f, deco.W * spacing * 0.42f);
    int lifted = c.AnimationStep % 5;
    for (int i = 0; i < 5; ++i) {
        bool up = i == lifted;
        float x = deco.X + deco.W * (0.5f + (static_cast<float>(i) - 2.0f) * spacing);
        float y = deco.CenterY() - (up ? radius * 0.12f : 0.0f);
        DrawFace(draw, ImVec2(x, y), up ? radius * 1.08f : radius, i + 1, false, up ? 1.0f : 0.0f);
    }
    bool start_pressed = IsPressed(c, Target{TargetKind::Start, 0, {}});
    DrawButton(draw, c.Faces, l.Type.Title * 0.8f, l.Hero, ScreenText(c, "start"),
               ButtonStyle::Primary, start_pressed);
    for (const Hit& hit : l.Targets) {
        if (hit.Tap.Kind == TargetKind::AccessToggle) {
            DrawAccessToggle(draw, c, hit);
        } else if (hit.Tap.Kind == TargetKind::SpeechSpot) {
            DrawSpeechSpot(draw, c, hit);
        } else if (hit.Tap.Kind == TargetKind::Language) {
            const Language& language = c.Definition.Languages[static_cast<size_t>(hit.Tap.Index)];
            bool current = language.Code == c.State.Language;
            DrawButton(draw, c.Faces, l.Type.Small, hit.Area, language.Name, ButtonStyle::Secondary,
                       IsPressed(c, hit.Tap), current);
        }
    }
}

}  // namespace doorstep
