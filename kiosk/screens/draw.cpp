#include "kiosk/screens/draw.hpp"

#include "kiosk/layout/theme.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace doorstep {
namespace {

struct Line {
    const char* Begin;
    const char* End;
    float Width;
    bool BreaksWord;  // the wrap fell inside a word: only acceptable at the smallest size
};

bool IsWordBreak(char c) {
    return c == ' ' || c == '-' || c == '/';  // not "?" of "?123": shrink that instead
}

std::vector<Line> WrapLines(ImFont* font, float size, std::string_view text, float width) {
    std::vector<Line> lines;
    const char* cursor = text.data();
    const char* end = text.data() + text.size();
    float scale = size / font->FontSize;
    while (cursor < end) {
        const char* newline = std::find(cursor, end, '\n');
        const char* wrap = font->CalcWordWrapPositionA(scale, cursor, newline, width);
        if (wrap == cursor) {
            wrap = cursor + 1;  // a single glyph wider than the box: never loop forever
        }
        const char* line_end = wrap;
        while (line_end > cursor && line_end[-1] == ' ') {
            --line_end;
        }
        float line_width = font->CalcTextSizeA(size, FLT_MAX, 0.0f, cursor, line_end).x;
        bool breaks_word = wrap < newline && !IsWordBreak(wrap[-1]) && *wrap != ' ';
        lines.push_back({cursor, line_end, line_width, breaks_word});
        cursor = wrap;
        while (cursor < newline && *cursor == ' ') {
            ++cursor;
        }
        if (cursor == newline && newline < end) {
            ++cursor;
        }
    }
    return lines;
}

bool Fits(const std::vector<Line>& lines, float size, Rect box) {
    float line_h = size * 1.18f;
    if (static_cast<float>(lines.size()) * line_h > box.H) {
        return false;
    }
    return std::all_of(lines.begin(), lines.end(), [&](const Line& line) {
        return line.Width <= box.W + 0.5f && !line.BreaksWord;
    });
}

}  // namespace

ImVec2 ToImVec(float x, float y) {
    return ImVec2(x, y);
}

ImU32 ToImColor(Rgb color) {
    return IM_COL32(color.R, color.G, color.B, 255);
}

const Palette kCalmPalette = CalmTheme().Map(ToImColor);
const Palette kHighContrastPalette = HighContrastTheme().Map(ToImColor);
const Palette* g_palette = &kCalmPalette;  // UI thread only

const Palette& KioskPalette() {
    return *g_palette;
}

void UseHighContrast(bool high_contrast) {
    g_palette = high_contrast ? &kHighContrastPalette : &kCalmPalette;
}

float DrawTextInBox(ImDrawList* draw, ImFont* font, float size, std::string_view text, Rect box,
                    ImU32 color, Align align) {
    if (text.empty() || box.W <= 0 || box.H <= 0) {
        return size;
    }
    float used = size;
    std::vector<Line> lines = WrapLines(font, used, text, box.W);
    while (!Fits(lines, used, box) && used > size * 0.5f) {
        used *= 0.92f;
        lines = WrapLines(font, used, text, box.W);
    }
    float line_h = used * 1.18f;
    float y = box.Y + (box.H - line_h * static_cast<float>(lines.size())) * 0.5f;
    for (const Line& line : lines) {
        float x = box.X;
        if (align == Align::Center) {
            x = box.X + (box.W - line.Width) * 0.5f;
        } else if (align == Align::Right) {
            x = box.Right() - line.Width;
        }
        draw->AddText(font, used, ImVec2(std::floor(x), std::floor(y + (line_h - used) * 0.5f)),
                      color, line.Begin, line.End);
        y += line_h;
    }
    return used;
}

void DrawButton(ImDrawList* draw, const Fonts& fonts, float font_size, Rect area,
                std::string_view label, ButtonStyle style, bool pressed, bool selected) {
    const Palette& palette = KioskPalette();
    float rounding = std::min(area.W, area.H) * 0.18f;
    ImVec2 min(area.X, area.Y);
    ImVec2 max(area.Right(), area.Bottom());
    ImU32 fill = palette.Surface;
    ImU32 text = palette.Text;
    switch (style) {
        case ButtonStyle::Primary:
            fill = pressed ? palette.PrimaryPressed : palette.Primary;
            text = palette.OnPrimary;
            break;
        case ButtonStyle::Secondary:
            fill =
                pressed ? palette.SurfacePressed : (selected ? palette.Selected : palette.Surface);
            break;
        case ButtonStyle::Quiet:
            fill = pressed ? palette.SurfacePressed : palette.Background;
            text = palette.MutedText;
            break;
    }
    draw->AddRectFilled(min, max, fill, rounding);
    if (style != ButtonStyle::Primary) {
        float thickness = selected ? std::max(3.0f, font_size * 0.12f) : palette.OutlineWidth;
        draw->AddRect(min, max, selected ? palette.Primary : palette.Outline, rounding, 0,
                      thickness);
    }
    float pad = std::min(area.W, area.H) * 0.12f;
    Rect inner{area.X + pad, area.Y + pad * 0.5f, area.W - 2 * pad, area.H - pad};
    DrawTextInBox(draw, style == ButtonStyle::Primary ? fonts.Bold : fonts.Regular, font_size,
                  label, inner, text);
    if (selected) {
        // A ticked badge on the corner, over the border: the label keeps its whole room.
        float r = std::min(area.H * 0.22f, area.W * 0.14f);
        ImVec2 center(area.Right() - r * 0.75f, area.Y + r * 0.75f);  // inside a 2 % margin
        draw->AddCircleFilled(center, r, palette.Primary, 24);
        DrawCheckMark(draw, {center.x - r * 0.6f, center.y - r * 0.6f, r * 1.2f, r * 1.2f},
                      palette.OnPrimary);
    }
}

void DrawShiftIcon(ImDrawList* draw, Rect area, ImU32 color, bool filled) {
    float s = std::min(area.W, area.H) * 0.45f;
    float cx = area.CenterX();
    float cy = area.CenterY();
    ImVec2 points[7] = {
        {cx, cy - s * 0.55f},
        {cx + s * 0.5f, cy},
        {cx + s * 0.22f, cy},
        {cx + s * 0.22f, cy + s * 0.45f},
        {cx - s * 0.22f, cy + s * 0.45f},
        {cx - s * 0.22f, cy},
        {cx - s * 0.5f, cy},
    };
    if (filled) {
        draw->AddConvexPolyFilled(points, 3, color);  // the head
        draw->AddRectFilled(points[4], points[2], color);
    } else {
        draw->AddPolyline(points, 7, color, ImDrawFlags_Closed, std::max(2.0f, s * 0.08f));
    }
}

void DrawBackspaceIcon(ImDrawList* draw, Rect area, ImU32 color) {
    float s = std::min(area.W, area.H) * 0.45f;
    float cx = area.CenterX();
    float cy = area.CenterY();
    float t = std::max(2.0f, s * 0.08f);
    ImVec2 outline[5] = {{cx - s * 0.7f, cy},
                         {cx - s * 0.3f, cy - s * 0.4f},
                         {cx + s * 0.7f, cy - s * 0.4f},
                         {cx + s * 0.7f, cy + s * 0.4f},
                         {cx - s * 0.3f, cy + s * 0.4f}};
    draw->AddPolyline(outline, 5, color, ImDrawFlags_Closed, t);
    float x0 = cx - s * 0.05f;
    float d = s * 0.2f;
    draw->AddLine({x0 - d + s * 0.15f, cy - d}, {x0 + d + s * 0.15f, cy + d}, color, t);
    draw->AddLine({x0 - d + s * 0.15f, cy + d}, {x0 + d + s * 0.15f, cy - d}, color, t);
}

void DrawCheckMark(ImDrawList* draw, Rect area, ImU32 color) {
    float s = std::min(area.W, area.H);
    float x = area.CenterX() - s * 0.5f;
    float y = area.CenterY() - s * 0.5f;
    ImVec2 points[3] = {
        {x + s * 0.12f, y + s * 0.52f}, {x + s * 0.4f, y + s * 0.8f}, {x + s * 0.9f, y + s * 0.2f}};
    draw->AddPolyline(points, 3, color, ImDrawFlags_None, std::max(2.5f, s * 0.14f));
}

void DrawBackArrow(ImDrawList* draw, Rect area, ImU32 color) {
    float s = area.H * 0.5f;
    float cx = area.CenterX();
    float cy = area.CenterY();
    float t = std::max(2.0f, s * 0.12f);
    draw->AddLine({cx - s * 0.4f, cy}, {cx + s * 0.4f, cy}, color, t);
    draw->AddLine({cx - s * 0.4f, cy}, {cx - s * 0.05f, cy - s * 0.35f}, color, t);
    draw->AddLine({cx - s * 0.4f, cy}, {cx - s * 0.05f, cy + s * 0.35f}, color, t);
}

}  // namespace doorstep
