#include "kiosk/layout/layout.hpp"

#include <algorithm>
#include <cmath>

#include "core/base/text.hpp"
#include "kiosk/layout/layout_internal.hpp"
#include "kiosk/layout/layout_manager.hpp"

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

// Where a question screen's parts go: its title in Text, its own targets in Controls.
struct Frame {
    Rect Text;
    Rect Controls;
};

// Usual: Back and Start over across the top, the title under them, the answers below.
// Within reach: the progress and the title in the upper 40 %, the answers under them, and Back
// and Start over across the bottom.
Frame QuestionFrame(const Metrics& m, const LayoutInput& input, float title_share,
                    ScreenLayout& layout) {
    if (!input.Access.WithinReach) {
        float top = TopBar(m, layout);
        float content_h = m.H - m.Margin - top;
        Rect text{m.Margin, top, m.W - 2 * m.Margin, content_h * title_share};
        return {text,
                {m.Margin, text.Bottom() + m.Gap, text.W, m.H - m.Margin - text.Bottom() - m.Gap}};
    }
    float reach_top = ReachTopFor(m);
    float button_w = std::max(m.MinTarget * 2, m.W * (m.Portrait ? 0.3f : 0.2f));
    float bar_y = m.H - m.Margin - m.MinTarget;
    AddTarget(layout, TargetKind::Back, 0, {m.Margin, bar_y, button_w, m.MinTarget});
    AddTarget(layout, TargetKind::StartOver, 0,
              {m.W - m.Margin - button_w, bar_y, button_w, m.MinTarget});
    layout.Header = {m.Margin, m.Margin, m.W - 2 * m.Margin, m.MinTarget * 0.7f};
    float text_y = layout.Header.Bottom() + m.Gap;
    Rect text{m.Margin, text_y, m.W - 2 * m.Margin, reach_top - m.Gap - text_y};
    return {text, {m.Margin, reach_top, text.W, bar_y - m.Gap - reach_top}};
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

void LayoutNeed(const Metrics& m, const LayoutInput& input, ScreenLayout& layout) {
    Frame frame = QuestionFrame(m, input, m.Portrait ? 0.24f : 0.3f, layout);
    layout.Title = frame.Text;
    Rect faces = frame.Controls;
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

void LayoutLeastMet(const Metrics& m, const LayoutInput& input, ScreenLayout& layout) {
    int needs = std::max(1, input.NeedCount);
    Frame frame = QuestionFrame(m, input, 0.28f, layout);
    layout.Title = frame.Text;
    Rect area = frame.Controls;
    int columns = m.Portrait ? 1 : (needs <= 3 ? needs : (needs + 1) / 2);
    std::vector<Rect> cells = Grid(area, needs, columns, m.Gap * 2, m.Short * 0.3f);
    for (int i = 0; i < needs; ++i) {
        AddTarget(layout, TargetKind::LeastMetNeed, i, cells[static_cast<size_t>(i)]);
    }
}

void LayoutIntent(const Metrics& m, const LayoutInput& input, ScreenLayout& layout) {
    Frame frame = QuestionFrame(m, input, 0.3f, layout);
    layout.Title = frame.Text;
    float avail_w = m.W - 2 * m.Margin;
    int fit = std::max(1, static_cast<int>((avail_w + m.Gap) / (m.MinTarget + m.Gap)));
    int rows = (11 + std::min(fit, 11) - 1) / std::min(fit, 11);
    int columns = (11 + rows - 1) / rows;  // balanced rows: 6 + 5 rather than 7 + 4
    float label_h = m.MinTarget * 0.8f;
    Rect area = frame.Controls;
    area.H -= label_h + m.Gap;
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

// The keys of the visible page, centred in `area`, with the bottom row of shift,
// symbols, a space bar at least two targets wide, and backspace; the keyboard sits at the bottom.
void LayoutKeyboard(const Metrics& m, Rect area, float min_key, const LayoutInput& input,
                    ScreenLayout& layout) {
    size_t max_keys = static_cast<size_t>(std::max(1.0f, (area.W + m.Gap) / (min_key + m.Gap)));
    std::vector<std::vector<std::string>> rows =
        FitRows(input.KeyRows, std::min<size_t>(max_keys, 12));
    size_t widest = 4;  // the bottom row holds shift, symbols, space and backspace
    for (const auto& row : rows) {
        widest = std::max(widest, row.size());
    }
    float rows_total = static_cast<float>(rows.size() + 1);
    float key_h = (area.H - m.Gap * (rows_total - 1)) / rows_total;
    key_h = std::clamp(key_h, min_key, m.MinTarget * 1.5f);
    float key_w = std::min(key_h * 1.25f, (area.W - m.Gap * static_cast<float>(widest - 1)) /
                                              static_cast<float>(widest));
    float keyboard_h = key_h * rows_total + m.Gap * (rows_total - 1);
    float key_y = std::max(area.Y, area.Bottom() - keyboard_h);
    for (const auto& row : rows) {
        float row_w =
            key_w * static_cast<float>(row.size()) + m.Gap * static_cast<float>(row.size() - 1);
        float x = area.CenterX() - row_w * 0.5f;
        for (const auto& key : row) {
            AddTarget(layout, TargetKind::Key, 0, {x, key_y, key_w, key_h}, key);
            x += key_w + m.Gap;
        }
        key_y += key_h + m.Gap;
    }
    float keys_w = key_w * static_cast<float>(widest) + m.Gap * static_cast<float>(widest - 1);
    float side_w = std::max(min_key, key_w * 1.5f);
    float keyboard_w = std::min(area.W, std::max(keys_w, 3 * side_w + 3 * m.Gap + m.MinTarget * 2));
    side_w = std::max(min_key, std::min(side_w, (keyboard_w - 3 * m.Gap - m.MinTarget * 2) / 3));
    float x = area.CenterX() - keyboard_w * 0.5f;
    AddTarget(layout, TargetKind::Shift, 0, {x, key_y, side_w, key_h});
    AddTarget(layout, TargetKind::SymbolsToggle, 0, {x + side_w + m.Gap, key_y, side_w, key_h});
    float space_x = x + 2 * (side_w + m.Gap);
    float space_w = keyboard_w - 3 * side_w - 3 * m.Gap;
    AddTarget(layout, TargetKind::Space, 0, {space_x, key_y, space_w, key_h});
    AddTarget(layout, TargetKind::Backspace, 0, {space_x + space_w + m.Gap, key_y, side_w, key_h});
}

// The contact screen's line under the box: who sees it, or what is wrong with what was typed.
float NoteLine(const Metrics& m, const LayoutInput& input, ScreenLayout& layout, float y) {
    if (input.Current != Screen::Contact) {
        return y;
    }
    float line_h = std::ceil(m.Short * 0.09f);
    layout.Subtitle = {m.Margin, y, m.W - 2 * m.Margin, line_h};
    return y + line_h + m.Gap;
}

void LayoutComment(const Metrics& m, const LayoutInput& input, ScreenLayout& layout) {
    float avail_w = m.W - 2 * m.Margin;
    float action_w = std::max(m.MinTarget * 1.8f, m.W * 0.14f);
    float y = TopBar(m, layout);
    if (m.Portrait) {
        layout.TextBox = {m.Margin, y, avail_w, m.MinTarget * 1.5f};
        y = layout.TextBox.Bottom() + m.Gap;
        float half = (avail_w - m.Gap) * 0.5f;
        AddTarget(layout, TargetKind::Skip, 0, {m.Margin, y, half, m.MinTarget});
        AddTarget(layout, TargetKind::Done, 0, {m.Margin + half + m.Gap, y, half, m.MinTarget});
    } else {
        float box_w = avail_w - 2 * (action_w + m.Gap);
        layout.TextBox = {m.Margin, y, box_w, m.MinTarget};
        AddTarget(layout, TargetKind::Skip, 0,
                  {layout.TextBox.Right() + m.Gap, y, action_w, m.MinTarget});
        AddTarget(layout, TargetKind::Done, 0,
                  {layout.TextBox.Right() + 2 * m.Gap + action_w, y, action_w, m.MinTarget});
    }
    y = NoteLine(m, input, layout, y + m.MinTarget + m.Gap);
    LayoutKeyboard(m, {m.Margin, y, avail_w, m.H - m.Margin - y}, m.MinTarget, input, layout);
}

// Within reach: the prompt and what was typed above, every button in the lower 60 %. Portrait
// puts Back, Skip, Done and Start over in one row over the keys; landscape stacks them in a
// column beside the keys, so the keys keep their height.
void LayoutCommentWithinReach(const Metrics& m, const LayoutInput& input, ScreenLayout& layout) {
    float reach_top = ReachTopFor(m);
    float avail_w = m.W - 2 * m.Margin;
    layout.Header = {m.Margin, m.Margin, avail_w, m.MinTarget * 0.7f};
    float box_y = layout.Header.Bottom() + m.Gap;
    float box_bottom = reach_top - m.Gap;
    if (input.Current == Screen::Contact) {  // the note goes over the box, above the reach line
        float line_h = std::ceil(m.Short * 0.07f);
        layout.Subtitle = {m.Margin, box_bottom - line_h, avail_w, line_h};
        box_bottom = layout.Subtitle.Y - m.Gap;
    }
    float box_h = std::min(m.MinTarget * 1.5f, box_bottom - box_y);
    layout.TextBox = {m.Margin, box_bottom - box_h, avail_w, box_h};
    const TargetKind actions[] = {TargetKind::Back, TargetKind::Skip, TargetKind::Done,
                                  TargetKind::StartOver};
    float min_key = std::ceil(m.Short * kReachMinTargetShare);
    float bottom = m.H - m.Margin;
    if (m.Portrait) {
        float w = (avail_w - 3 * m.Gap) / 4;
        for (int i = 0; i < 4; ++i) {
            AddTarget(layout, actions[i], 0,
                      {m.Margin + static_cast<float>(i) * (w + m.Gap), reach_top, w, m.MinTarget});
        }
        float keys_y = reach_top + m.MinTarget + m.Gap;
        LayoutKeyboard(m, {m.Margin, keys_y, avail_w, bottom - keys_y}, min_key, input, layout);
        return;
    }
    float column_w = std::max(m.MinTarget * 2.5f, m.W * 0.2f);
    float h = (bottom - reach_top - 3 * m.Gap) / 4;
    float column_x = m.W - m.Margin - column_w;
    for (int i = 0; i < 4; ++i) {
        AddTarget(layout, actions[i], 0,
                  {column_x, reach_top + static_cast<float>(i) * (h + m.Gap), column_w, h});
    }
    LayoutKeyboard(m, {m.Margin, reach_top, avail_w - column_w - m.Gap, bottom - reach_top},
                   min_key, input, layout);
}

}  // namespace

float MinTargetSize(Viewport viewport) {
    return MetricsFor(viewport).MinTarget;
}

float ReachMinTargetSize(Viewport viewport) {
    return std::ceil(MetricsFor(viewport).Short * kReachMinTargetShare);
}

float ReachTop(Viewport viewport) {
    return ReachTopFor(MetricsFor(viewport));
}

Typography TypographyFor(Viewport viewport, bool large_text) {
    float short_side = std::min(viewport.Width, viewport.Height);
    float title = large_text ? kLargeTitleFactor : 1.0f;
    float rest = large_text ? kLargeTextFactor : 1.0f;
    return {std::round(short_side * 0.074f * title), std::round(short_side * 0.056f * rest),
            std::round(short_side * 0.05f * rest), std::round(short_side * 0.042f * rest)};
}

ScreenLayout ComputeLayout(Viewport viewport, const LayoutInput& input) {
    Metrics m = MetricsFor(viewport);
    ScreenLayout layout;
    layout.Type = TypographyFor(viewport, input.Access.LargeText);
    layout.Portrait = m.Portrait;
    switch (input.Current) {
        case Screen::Attract:
            LayoutAttract(m, input, layout);
            break;
        case Screen::Need:
        case Screen::StaffNeed:
            LayoutNeed(m, input, layout);
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
            LayoutLeastMet(m, input, layout);
            break;
        case Screen::Comment:
        case Screen::Contact:
            if (input.Access.WithinReach) {
                LayoutCommentWithinReach(m, input, layout);
            } else {
                LayoutComment(m, input, layout);
            }
            break;
        case Screen::Intent:
            LayoutIntent(m, input, layout);
            break;
        case Screen::Saving:
        case Screen::ThankYou:
            LayoutThankYou(m, input, layout);
            break;
        case Screen::Closed:
            LayoutClosed(m, layout);
            break;
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

const Hit* FindHit(const ScreenLayout& layout, const Target& target) {
    if (target.Kind == TargetKind::None) {
        return nullptr;
    }
    for (const Hit& hit : layout.Targets) {
        if (hit.Tap == target) {
            return &hit;
        }
    }
    return nullptr;
}

std::vector<FocusSpot> FocusSpots(const ScreenLayout& layout) {
    std::vector<FocusSpot> spots;
    spots.reserve(layout.Targets.size());
    for (const Hit& hit : layout.Targets) {
        spots.push_back({hit.Tap, hit.Area.X, hit.Area.Y, hit.Area.W, hit.Area.H});
    }
    return spots;
}

KeyboardLayout ContactKeyboard() {
    // Three rows a page, so the line under the box still leaves keys a finger can hit at 480 px.
    return {{"qwertyuiop", "asdfghjkl@", "zxcvbnm.-_"}, {"1234567890", "+()-_.@", "#$%&*/=!?'"}};
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
    input.Access = state.Access;
    input.ContactOffer = state.ContactOffered && !state.ContactLeft;
    input.SpeechSpot = config.SpeechAvailable;
    if (state.Current == Screen::Contact) {
        input.KeyRows = KeyboardPage(ContactKeyboard(), state.SymbolsOn);
    } else if (state.Current == Screen::Comment) {
        auto keyboard = survey.Keyboards.find(state.Language);
        if (keyboard != survey.Keyboards.end()) {
            input.KeyRows = KeyboardPage(keyboard->second, state.SymbolsOn);
        }
    }
    return input;
}

}  // namespace doorstep
