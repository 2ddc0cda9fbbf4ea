#include "layout.hpp"

#include <algorithm>
#include <cmath>

#include "layout_internal.hpp"
#include "layout_manager.hpp"
#include "text.hpp"

namespace doorstep {
using namespace layout_detail;

namespace {

// Back at the left, Start over at the right, the header between; returns the y below the bar.
float TopBar(const Metrics& m, ScreenLayout& layout) {
    float button_w = std::max(m.MinTarget * 2.0f, m.W * (m.Portrait ? 0.3f : 0.2f));
    float bar_h = m.MinTarget;
    AddTarget(layout, TargetKind::Back, 0, {m.Margin, m.Margin, button_w, bar_h});
    AddTarget(layout, TargetKind::StartOver, 0,
              {m.W - m.Margin - button_w, m.Margin, button_w, bar_h});
    layout.Header = {m.Margin + button_w + m.Gap, m.Margin, m.W - 2 * (m.Margin + button_w + m.Gap),
                     bar_h};
    return m.Margin + bar_h + m.Gap;
}

// A grid of `count` equal cells filling `area`, row by row.
std::vector<Rect> Grid(Rect area, int count, int columns, float gap, float max_cell_h) {
    std::vector<Rect> cells;
    int rows = (count + columns - 1) / columns;
    float cell_w = (area.W - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    float cell_h = std::min(
        max_cell_h, (area.H - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows));
    float grid_h = cell_h * static_cast<float>(rows) + gap * static_cast<float>(rows - 1);
    float y0 = area.Y + (area.H - grid_h) * 0.5f;
    for (int i = 0; i < count; ++i) {
        int row = i / columns;
        int in_row = std::min(columns, count - row * columns);
        float row_w = cell_w * static_cast<float>(in_row) + gap * static_cast<float>(in_row - 1);
        float x0 = area.X + (area.W - row_w) * 0.5f;  // a short last row stays centred
        int col = i % columns;
        cells.push_back({x0 + static_cast<float>(col) * (cell_w + gap),
                         y0 + static_cast<float>(row) * (cell_h + gap), cell_w, cell_h});
    }
    return cells;
}

void LayoutAttract(const Metrics& m, const LayoutInput& input, ScreenLayout& layout) {
    int languages = std::max(1, input.LanguageCount);
    float lang_w = std::min((m.W - 2 * m.Margin - m.Gap * static_cast<float>(languages - 1)) /
                                static_cast<float>(languages),
                            std::max(m.MinTarget * 2.2f, m.W * 0.18f));
    float lang_h = m.MinTarget;
    float row_w =
        lang_w * static_cast<float>(languages) + m.Gap * static_cast<float>(languages - 1);
    float lang_y = m.H - m.Margin - lang_h;
    for (int i = 0; i < languages; ++i) {
        AddTarget(layout, TargetKind::Language, i,
                  {(m.W - row_w) * 0.5f + static_cast<float>(i) * (lang_w + m.Gap), lang_y, lang_w,
                   lang_h});
    }
    float usable_h = lang_y - m.Gap - m.Margin;
    layout.Title = {m.Margin, m.Margin + usable_h * 0.04f, m.W - 2 * m.Margin, usable_h * 0.26f};
    layout.Subtitle = {m.Margin, layout.Title.Bottom(), m.W - 2 * m.Margin, usable_h * 0.14f};
    float hero_h = std::max(m.MinTarget * 1.3f, usable_h * 0.17f);
    float hero_w = std::max(m.W * 0.5f, m.MinTarget * 4);
    layout.Hero = {(m.W - hero_w) * 0.5f, m.Margin + usable_h - hero_h - usable_h * 0.04f, hero_w,
                   hero_h};
    layout.Decoration = {m.Margin, layout.Subtitle.Bottom() + m.Gap, m.W - 2 * m.Margin,
                         layout.Hero.Y - layout.Subtitle.Bottom() - 2 * m.Gap};
    // The manager's hidden corner: a short tap there starts the survey like anywhere else; only a
    // press held for seconds opens the PIN pad, which no customer does by chance.
    AddTarget(layout, TargetKind::ManagerCorner, 0, {0, 0, m.MinTarget, m.MinTarget});
    // Anywhere but the language buttons starts the survey: a customer cannot miss it.
    AddTarget(layout, TargetKind::Start, 0, {0, 0, m.W, m.H});
}

void LayoutNeed(const Metrics& m, float top, ScreenLayout& layout) {
    float content_h = m.H - m.Margin - top;
    layout.Title = {m.Margin, top, m.W - 2 * m.Margin, content_h * (m.Portrait ? 0.24f : 0.3f)};
    Rect faces{m.Margin, layout.Title.Bottom() + m.Gap, m.W - 2 * m.Margin,
               m.H - m.Margin - layout.Title.Bottom() - m.Gap};
    if (m.Portrait) {
        // Best at the top: a vertical list reads from "Excellent" down to "Very poor".
        std::vector<Rect> rows = Grid(faces, 5, 1, m.Gap, m.MinTarget * 2.2f);
        for (int i = 0; i < 5; ++i) {
            AddTarget(layout, TargetKind::Face, 5 - i, rows[static_cast<size_t>(i)]);
        }
        return;
    }
    std::vector<Rect> cells = Grid(faces, 5, 5, m.Gap, faces.W * 0.3f);
    for (int i = 0; i < 5; ++i) {
        AddTarget(layout, TargetKind::Face, i + 1, cells[static_cast<size_t>(i)]);
    }
}

void LayoutLeastMet(const Metrics& m, float top, const LayoutInput& input, ScreenLayout& layout) {
    int needs = std::max(1, input.NeedCount);
    float content_h = m.H - m.Margin - top;
    layout.Title = {m.Margin, top, m.W - 2 * m.Margin, content_h * 0.28f};
    Rect area{m.Margin, layout.Title.Bottom() + m.Gap, m.W - 2 * m.Margin,
              m.H - m.Margin - layout.Title.Bottom() - m.Gap};
    int columns = m.Portrait ? 1 : (needs <= 3 ? needs : (needs + 1) / 2);
    std::vector<Rect> cells = Grid(area, needs, columns, m.Gap * 2, m.Short * 0.3f);
    for (int i = 0; i < needs; ++i) {
        AddTarget(layout, TargetKind::LeastMetNeed, i, cells[static_cast<size_t>(i)]);
    }
}

void LayoutIntent(const Metrics& m, float top, ScreenLayout& layout) {
    float content_h = m.H - m.Margin - top;
    layout.Title = {m.Margin, top, m.W - 2 * m.Margin, content_h * 0.3f};
    float avail_w = m.W - 2 * m.Margin;
    int fit = std::max(1, static_cast<int>((avail_w + m.Gap) / (m.MinTarget + m.Gap)));
    int rows = (11 + std::min(fit, 11) - 1) / std::min(fit, 11);
    int columns = (11 + rows - 1) / rows;  // balanced rows: 6 + 5 rather than 7 + 4
    float label_h = m.MinTarget * 0.8f;
    Rect area{m.Margin, layout.Title.Bottom() + m.Gap, avail_w,
              m.H - m.Margin - layout.Title.Bottom() - m.Gap - label_h - m.Gap};
    float cell_w =
        (avail_w - m.Gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    std::vector<Rect> cells = Grid(area, 11, columns, m.Gap, std::max(m.MinTarget, cell_w * 1.2f));
    for (int i = 0; i <= 10; ++i) {
        AddTarget(layout, TargetKind::IntentScore, i, cells[static_cast<size_t>(i)]);
    }
    float grid_bottom = cells.back().Bottom();
    layout.Subtitle = {m.Margin, grid_bottom + m.Gap, avail_w, label_h};
}

// Splits rows longer than `max_keys` into balanced pieces so no key gets narrower than allowed.
std::vector<std::vector<std::string>> FitRows(const std::vector<std::vector<std::string>>& rows,
                                              size_t max_keys) {
    std::vector<std::vector<std::string>> fitted;
    for (const auto& row : rows) {
        size_t pieces = (row.size() + max_keys - 1) / max_keys;
        size_t per_piece = pieces == 0 ? 0 : (row.size() + pieces - 1) / pieces;
        for (size_t start = 0; start < row.size(); start += per_piece) {
            size_t end = std::min(row.size(), start + per_piece);
            fitted.emplace_back(row.begin() + static_cast<long>(start),
                                row.begin() + static_cast<long>(end));
        }
    }
    return fitted;
}

void LayoutComment(const Metrics& m, float top, const LayoutInput& input, ScreenLayout& layout) {
    float avail_w = m.W - 2 * m.Margin;
    float action_w = std::max(m.MinTarget * 1.8f, m.W * 0.14f);
    float y = top;
    if (m.Portrait) {
        layout.TextBox = {m.Margin, y, avail_w, m.MinTarget * 1.5f};
        y = layout.TextBox.Bottom() + m.Gap;
        float half = (avail_w - m.Gap) * 0.5f;
        AddTarget(layout, TargetKind::Skip, 0, {m.Margin, y, half, m.MinTarget});
        AddTarget(layout, TargetKind::Done, 0, {m.Margin + half + m.Gap, y, half, m.MinTarget});
        y += m.MinTarget + m.Gap;
    } else {
        float box_w = avail_w - 2 * (action_w + m.Gap);
        layout.TextBox = {m.Margin, y, box_w, m.MinTarget};
        AddTarget(layout, TargetKind::Skip, 0,
                  {layout.TextBox.Right() + m.Gap, y, action_w, m.MinTarget});
        AddTarget(layout, TargetKind::Done, 0,
                  {layout.TextBox.Right() + 2 * m.Gap + action_w, y, action_w, m.MinTarget});
        y += m.MinTarget + m.Gap;
    }
    size_t max_keys =
        static_cast<size_t>(std::max(1.0f, (avail_w + m.Gap) / (m.MinTarget + m.Gap)));
    std::vector<std::vector<std::string>> rows =
        FitRows(input.KeyRows, std::min<size_t>(max_keys, 12));
    size_t widest = 4;  // the bottom row holds shift, symbols, space and backspace
    for (const auto& row : rows) {
        widest = std::max(widest, row.size());
    }
    float rows_total = static_cast<float>(rows.size() + 1);
    float key_h = (m.H - m.Margin - y - m.Gap * (rows_total - 1)) / rows_total;
    key_h = std::clamp(key_h, m.MinTarget, m.MinTarget * 1.5f);
    float key_w = std::min(key_h * 1.25f, (avail_w - m.Gap * static_cast<float>(widest - 1)) /
                                              static_cast<float>(widest));
    float keyboard_h = key_h * rows_total + m.Gap * (rows_total - 1);
    float key_y = std::max(y, m.H - m.Margin - keyboard_h);  // keyboard sits at the bottom
    for (const auto& row : rows) {
        float row_w =
            key_w * static_cast<float>(row.size()) + m.Gap * static_cast<float>(row.size() - 1);
        float x = (m.W - row_w) * 0.5f;
        for (const auto& key : row) {
            AddTarget(layout, TargetKind::Key, 0, {x, key_y, key_w, key_h}, key);
            x += key_w + m.Gap;
        }
        key_y += key_h + m.Gap;
    }
    // Bottom row: shift, symbols, a space bar at least two targets wide, backspace.
    float keys_w = key_w * static_cast<float>(widest) + m.Gap * static_cast<float>(widest - 1);
    float side_w = std::max(m.MinTarget, key_w * 1.5f);
    float keyboard_w =
        std::min(avail_w, std::max(keys_w, 3 * side_w + 3 * m.Gap + m.MinTarget * 2));
    side_w =
        std::max(m.MinTarget, std::min(side_w, (keyboard_w - 3 * m.Gap - m.MinTarget * 2) / 3));
    float x = (m.W - keyboard_w) * 0.5f;
    AddTarget(layout, TargetKind::Shift, 0, {x, key_y, side_w, key_h});
    AddTarget(layout, TargetKind::SymbolsToggle, 0, {x + side_w + m.Gap, key_y, side_w, key_h});
    float space_x = x + 2 * (side_w + m.Gap);
    float space_w = keyboard_w - 3 * side_w - 3 * m.Gap;
    AddTarget(layout, TargetKind::Space, 0, {space_x, key_y, space_w, key_h});
    AddTarget(layout, TargetKind::Backspace, 0, {space_x + space_w + m.Gap, key_y, side_w, key_h});
}

}  // namespace

float MinTargetSize(Viewport viewport) {
    return MetricsFor(viewport).MinTarget;
}

Typography TypographyFor(Viewport viewport) {
    float short_side = std::min(viewport.Width, viewport.Height);
    return {std::round(short_side * 0.074f), std::round(short_side * 0.056f),
            std::round(short_side * 0.05f), std::round(short_side * 0.042f)};
}

ScreenLayout ComputeLayout(Viewport viewport, const LayoutInput& input) {
    Metrics m = MetricsFor(viewport);
    ScreenLayout layout;
    layout.Type = TypographyFor(viewport);
    layout.Portrait = m.Portrait;
    switch (input.Current) {
        case Screen::Attract:
            LayoutAttract(m, input, layout);
            break;
        case Screen::Need:
        case Screen::StaffNeed:
            LayoutNeed(m, TopBar(m, layout), layout);
            break;
        case Screen::PinEntry:
            LayoutPinPad(viewport, layout);
            break;
        case Screen::Manager:
            LayoutManager(viewport, input, layout);
            break;
        case Screen::StaffSaving:
            break;
        case Screen::LeastMet:
            LayoutLeastMet(m, TopBar(m, layout), input, layout);
            break;
        case Screen::Comment:
            LayoutComment(m, TopBar(m, layout), input, layout);
            break;
        case Screen::Intent:
            LayoutIntent(m, TopBar(m, layout), layout);
            break;
        case Screen::Saving:
        case Screen::ThankYou: {
            float usable = m.H - 2 * m.Margin;
            layout.Hero = {(m.W - usable * 0.3f) * 0.5f, m.Margin + usable * 0.12f, usable * 0.3f,
                           usable * 0.3f};
            layout.Title = {m.Margin, layout.Hero.Bottom() + m.Gap, m.W - 2 * m.Margin,
                            usable * 0.2f};
            layout.Subtitle = {m.Margin, layout.Title.Bottom(), m.W - 2 * m.Margin, usable * 0.2f};
            if (input.Current == Screen::ThankYou) {
                AddTarget(layout, TargetKind::Dismiss, 0, {0, 0, m.W, m.H});
            }
            break;
        }
    }
    return layout;
}

std::optional<Target> HitTest(const ScreenLayout& layout, float x, float y) {
    for (const Hit& hit : layout.Targets) {
        if (hit.Area.Contains(x, y)) {
            return hit.Tap;
        }
    }
    return std::nullopt;
}

const Hit* FindTarget(const ScreenLayout& layout, TargetKind kind, int index) {
    for (const Hit& hit : layout.Targets) {
        if (hit.Tap.Kind == kind && hit.Tap.Index == index) {
            return &hit;
        }
    }
    return nullptr;
}

std::vector<std::vector<std::string>> KeyboardPage(const KeyboardLayout& keyboard, bool symbols) {
    std::vector<std::vector<std::string>> page;
    for (const std::string& row : symbols ? keyboard.SymbolRows : keyboard.LetterRows) {
        page.push_back(SplitCodePoints(row));
    }
    return page;
}

LayoutInput LayoutInputFor(const Survey& survey, const FlowConfig& config, const FlowState& state) {
    LayoutInput input;
    input.Current = state.Current;
    input.LanguageCount = static_cast<int>(config.Languages.size());
    input.NeedCount = static_cast<int>(config.NeedIds.size());
    input.Tab = state.Tab;
    if (state.Current == Screen::Comment) {
        auto keyboard = survey.Keyboards.find(state.Language);
        if (keyboard != survey.Keyboards.end()) {
            input.KeyRows = KeyboardPage(keyboard->second, state.SymbolsOn);
        }
    }
    return input;
}

}  // namespace doorstep
