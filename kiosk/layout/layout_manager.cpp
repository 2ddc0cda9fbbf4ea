#include "kiosk/layout/layout_manager.hpp"

#include "kiosk/layout/layout_internal.hpp"

namespace doorstep {
using namespace layout_detail;

namespace {

// A row of equal buttons from `x` to `right`; returns their rects.
std::vector<Rect> ButtonRow(float x, float right, float y, float h, int count, float gap) {
    std::vector<Rect> row;
    row.reserve(static_cast<size_t>(count));
    float w = (right - x - gap * static_cast<float>(count - 1)) / static_cast<float>(count);
    for (int i = 0; i < count; ++i) {
        row.push_back({x + static_cast<float>(i) * (w + gap), y, w, h});
    }
    return row;
}

}  // namespace

void LayoutPinPad(Viewport viewport, ScreenLayout& layout) {
    Metrics m = MetricsFor(viewport);
    float cancel_w = std::max(m.MinTarget * 2.0f, m.W * (m.Portrait ? 0.3f : 0.2f));
    AddTarget(layout, TargetKind::PinCancel, 0, {m.Margin, m.Margin, cancel_w, m.MinTarget});
    float top = m.Margin + m.MinTarget + m.Gap;
    float avail_h = m.H - top - m.Margin;
    float key = std::max(m.MinTarget, std::min((avail_h - 3 * m.Gap) / 4, m.Short * 0.15f));
    float pad_w = 3 * key + 2 * m.Gap;
    float pad_h = 4 * key + 3 * m.Gap;
    float pad_x = 0;
    float pad_y = 0;
    if (m.Portrait) {
        // Words above, the pad below, within reach.
        float text_h = (avail_h - pad_h - m.Gap) / 3;
        layout.Title = {m.Margin, top, m.W - 2 * m.Margin, text_h};
        layout.TextBox = {(m.W - pad_w) * 0.5f, layout.Title.Bottom(), pad_w, text_h};
        layout.Subtitle = {m.Margin, layout.TextBox.Bottom(), m.W - 2 * m.Margin, text_h};
        pad_x = (m.W - pad_w) * 0.5f;
        pad_y = m.H - m.Margin - pad_h;
    } else {
        // Words on the left, the pad on the right.
        pad_x = m.W - m.Margin - pad_w - m.W * 0.06f;
        pad_y = top + (avail_h - pad_h) * 0.5f;
        float text_w = pad_x - 2 * m.Margin;
        float text_h = avail_h / 3;
        layout.Title = {m.Margin, top, text_w, text_h};
        layout.TextBox = {m.Margin + (text_w - pad_w) * 0.5f, layout.Title.Bottom(), pad_w,
                          text_h * 0.8f};
        layout.Subtitle = {m.Margin, layout.TextBox.Bottom(), text_w, text_h};
    }
    // Telephone order, as on every PIN pad: 1 2 3 / 4 5 6 / 7 8 9 / backspace 0 OK.
    for (int digit = 1; digit <= 9; ++digit) {
        int row = (digit - 1) / 3;
        int col = (digit - 1) % 3;
        AddTarget(layout, TargetKind::PinDigit, digit,
                  {pad_x + static_cast<float>(col) * (key + m.Gap),
                   pad_y + static_cast<float>(row) * (key + m.Gap), key, key});
    }
    float last_y = pad_y + 3 * (key + m.Gap);
    AddTarget(layout, TargetKind::PinBackspace, 0, {pad_x, last_y, key, key});
    AddTarget(layout, TargetKind::PinDigit, 0, {pad_x + key + m.Gap, last_y, key, key});
    AddTarget(layout, TargetKind::PinOk, 0, {pad_x + 2 * (key + m.Gap), last_y, key, key});
}

void LayoutManager(Viewport viewport, const LayoutInput& input, ScreenLayout& layout) {
    Metrics m = MetricsFor(viewport);
    float row_h = m.MinTarget;
    // Row 1: the tabs, and Exit at the right.
    float exit_w = std::max(m.MinTarget * 1.6f, m.W * 0.12f);
    // On a narrow screen the tabs take two rows rather than shrink below a finger's width.
    float tabs_right = m.W - m.Margin - exit_w - m.Gap * 2;
    float one_row_w = (tabs_right - m.Margin - m.Gap * (kManagerTabCount - 1)) / kManagerTabCount;
    int rows = one_row_w < m.MinTarget * 1.5f ? 2 : 1;
    int per_row = (kManagerTabCount + rows - 1) / rows;
    for (int row = 0; row < rows; ++row) {
        int first = row * per_row;
        int count = std::min(per_row, kManagerTabCount - first);
        std::vector<Rect> tabs =
            ButtonRow(m.Margin, tabs_right, m.Margin + static_cast<float>(row) * (row_h + m.Gap),
                      row_h, count, m.Gap);
        for (int i = 0; i < count; ++i) {
            AddTarget(layout, TargetKind::ManagerTabChoice, first + i,
                      tabs[static_cast<size_t>(i)]);
        }
    }
    AddTarget(layout, TargetKind::ExitManager, 0,
              {m.W - m.Margin - exit_w, m.Margin, exit_w, row_h});
    float y = m.Margin + static_cast<float>(rows) * (row_h + m.Gap) + m.Gap;
    // Row 2: what the figures cover. The sync tab has actions instead.
    if (input.Tab == ManagerTab::Alerts) {
        y -= row_h + m.Gap;  // no period row: every alert of the last days is listed
    } else if (input.Tab == ManagerTab::Sync) {
        std::vector<Rect> actions = ButtonRow(m.Margin, m.W - m.Margin, y, row_h, 2, m.Gap);
        AddTarget(layout, TargetKind::SyncNow, 0, actions[0]);
        AddTarget(layout, TargetKind::ExportCsv, 0, actions[1]);
    } else {
        std::vector<Rect> row = ButtonRow(m.Margin, m.W - m.Margin, y, row_h, 4, m.Gap);
        for (int i = 0; i < kSummaryPeriodCount; ++i) {
            AddTarget(layout, TargetKind::PeriodChoice, i, row[static_cast<size_t>(i)]);
        }
        AddTarget(layout, TargetKind::ToggleSuspect, 0, row[3]);
    }
    y += row_h + m.Gap;
    float bottom = m.H - m.Margin;
    // Row 3 (some tabs): the tab's own controls, at the bottom within reach.
    if (input.Tab == ManagerTab::Comments) {
        std::vector<Rect> row =
            ButtonRow(m.Margin, m.W - m.Margin, bottom - row_h, row_h, 3, m.Gap);
        AddTarget(layout, TargetKind::ToggleNegative, 0, row[0]);
        AddTarget(layout, TargetKind::PagePrevious, 0, row[1]);
        AddTarget(layout, TargetKind::PageNext, 0, row[2]);
        bottom -= row_h + m.Gap;
    } else if (input.Tab == ManagerTab::HeatMap) {
        int needs = std::max(1, input.NeedCount);
        std::vector<Rect> row =
            ButtonRow(m.Margin, m.W - m.Margin, bottom - row_h, row_h, needs, m.Gap);
        for (int i = 0; i < needs; ++i) {
            AddTarget(layout, TargetKind::HeatMapNeed, i, row[static_cast<size_t>(i)]);
        }
        bottom -= row_h + m.Gap;
    } else if (input.Tab == ManagerTab::Alerts) {
        // Bottom: previous, acknowledge, resolve, next; above them the short notes.
        std::vector<Rect> acts =
            ButtonRow(m.Margin, m.W - m.Margin, bottom - row_h, row_h, 4, m.Gap);
        AddTarget(layout, TargetKind::AlertPrevious, 0, acts[0]);
        AddTarget(layout, TargetKind::AcknowledgeAlert, 0, acts[1]);
        AddTarget(layout, TargetKind::ResolveAlert, 0, acts[2]);
        AddTarget(layout, TargetKind::AlertNext, 0, acts[3]);
        bottom -= row_h + m.Gap;
        std::vector<Rect> notes =
            ButtonRow(m.Margin, m.W - m.Margin, bottom - row_h, row_h, kAlertNoteCount, m.Gap);
        for (int i = 0; i < kAlertNoteCount; ++i) {
            AddTarget(layout, TargetKind::AlertNoteChoice, i, notes[static_cast<size_t>(i)]);
        }
        bottom -= row_h + m.Gap;
    } else if (input.Tab == ManagerTab::Staff) {
        float w = std::max(m.MinTarget * 4.0f, m.W * 0.4f);
        AddTarget(layout, TargetKind::StartStaffRating, 0,
                  {(m.W - w) * 0.5f, bottom - row_h, w, row_h});
        bottom -= row_h + m.Gap;
    }
    layout.Content = {m.Margin, y, m.W - 2 * m.Margin, bottom - y};
}

}  // namespace doorstep
