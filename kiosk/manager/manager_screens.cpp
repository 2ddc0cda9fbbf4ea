#include "kiosk/manager/manager_screens.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>

#include "kiosk/manager/manager_charts.hpp"
#include "kiosk/screens/faces.hpp"

namespace doorstep {
namespace {

bool IsPressed(const ManagerContext& c, const Target& target) {
    return c.Pressed.has_value() && *c.Pressed == target;
}

std::string Duration(int64_t ms) {
    int64_t seconds = std::max<int64_t>(0, (ms + 999) / 1000);
    char text[32];
    std::snprintf(text, sizeof text, "%lld:%02lld", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
    return text;
}

const char* kTabKeys[] = {"tab_summary", "tab_heatmap", "tab_comments",
                          "tab_staff",   "tab_sync",    "tab_alerts"};
const char* kPeriodKeys[] = {"period_today", "period_7", "period_28"};

void DrawControls(ImDrawList* draw, const ManagerContext& c) {
    const ScreenLayout& l = c.Layout;
    const FlowState& s = c.State;
    for (const Hit& hit : l.Targets) {
        bool pressed = IsPressed(c, hit.Tap);
        const Translations& w = c.Words;
        switch (hit.Tap.Kind) {
            case TargetKind::ManagerTabChoice:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area, w.Get(kTabKeys[hit.Tap.Index]),
                           ButtonStyle::Secondary, pressed,
                           static_cast<int>(s.Tab) == hit.Tap.Index);
                break;
            case TargetKind::ExitManager:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area, w.Get("exit"),
                           ButtonStyle::Primary, pressed);
                break;
            case TargetKind::PeriodChoice:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area, w.Get(kPeriodKeys[hit.Tap.Index]),
                           ButtonStyle::Secondary, pressed,
                           static_cast<int>(s.Period) == hit.Tap.Index);
                break;
            case TargetKind::ToggleSuspect:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area,
                           w.Get(s.IncludeSuspect ? "suspect_shown" : "suspect_hidden"),
                           ButtonStyle::Secondary, pressed, s.IncludeSuspect);
                break;
            case TargetKind::ToggleNegative:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area,
                           w.Get(s.NegativeOnly ? "comments_negative" : "comments_all"),
                           ButtonStyle::Secondary, pressed, s.NegativeOnly);
                break;
            case TargetKind::PagePrevious:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area, w.Get("previous"),
                           ButtonStyle::Secondary, pressed);
                break;
            case TargetKind::PageNext:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area, w.Get("next"),
                           ButtonStyle::Secondary, pressed);
                break;
            case TargetKind::HeatMapNeed: {
                const std::string& id = c.Config.NeedIds[static_cast<size_t>(hit.Tap.Index)];
                const Need* need = c.Definition.FindNeed(id);
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area,
                           need != nullptr ? Localized(need->Label, c.State.Language) : id,
                           ButtonStyle::Secondary, pressed, s.HeatMapNeedIndex == hit.Tap.Index);
                break;
            }
            case TargetKind::StartStaffRating:
                DrawButton(draw, c.Faces, l.Type.Body, hit.Area, w.Get("rate_as_staff"),
                           ButtonStyle::Primary, pressed);
                break;
            case TargetKind::SyncNow:
                DrawButton(draw, c.Faces, l.Type.Body, hit.Area, w.Get("sync_now"),
                           ButtonStyle::Primary, pressed);
                break;
            case TargetKind::ExportCsv:
                DrawButton(draw, c.Faces, l.Type.Body, hit.Area, w.Get("export"),
                           ButtonStyle::Secondary, pressed || c.Export.Running);
                break;
            case TargetKind::AlertPrevious:
            case TargetKind::AlertNext:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area,
                           w.Get(hit.Tap.Kind == TargetKind::AlertPrevious ? "alert_newer"
                                                                           : "alert_older"),
                           ButtonStyle::Secondary, pressed);
                break;
            case TargetKind::AlertNoteChoice:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area,
                           w.Get("alert_note_" + std::to_string(hit.Tap.Index)),
                           ButtonStyle::Secondary, pressed, s.AlertNoteIndex == hit.Tap.Index);
                break;
            case TargetKind::AcknowledgeAlert:
            case TargetKind::ResolveAlert:
                DrawButton(draw, c.Faces, l.Type.Body, hit.Area,
                           w.Get(hit.Tap.Kind == TargetKind::AcknowledgeAlert ? "alert_acknowledge"
                                                                              : "alert_resolve"),
                           ButtonStyle::Primary, pressed);
                break;
            default:
                break;
        }
    }
}

}  // namespace

void DrawPinPad(ImDrawList* draw, const ManagerContext& c) {
    const ScreenLayout& l = c.Layout;
    const Palette& p = KioskPalette();
    DrawTextInBox(draw, c.Faces.Bold, l.Type.Title, c.Words.Get("pin_title"), l.Title, p.Text);
    // One dot per digit: the PIN itself is never on screen.
    Rect dots = l.TextBox;
    float r = std::min(dots.H * 0.16f, dots.W / 20.0f);
    for (int i = 0; i < 8; ++i) {
        float x = dots.X + dots.W * (static_cast<float>(i) + 0.5f) / 8.0f;
        ImVec2 center(x, dots.CenterY());
        if (i < static_cast<int>(c.State.PinDigits.size())) {
            draw->AddCircleFilled(center, r, p.Text, 16);
        } else {
            draw->AddCircle(center, r, p.Outline, 16, 2.0f);
        }
    }
    std::string message = c.Words.Get("pin_hint");
    const std::string& key = c.State.PinMessageKey;
    if (key == "pin_wrong") {
        message =
            c.Words.Format("pin_wrong", {{"attempts", std::to_string(c.State.PinAttemptsLeft)}});
    } else if (key == "pin_locked") {
        message = c.Words.Format("pin_locked",
                                 {{"time", Duration(c.State.PinLockedUntilWallMs - c.NowWallMs)}});
    } else if (key == "pin_none") {
        message = c.Words.Get("pin_none");
    }
    DrawTextInBox(draw, c.Faces.Regular, l.Type.Body, message, l.Subtitle,
                  key.empty() ? p.MutedText : FaceColor(1));
    for (const Hit& hit : l.Targets) {
        bool pressed = IsPressed(c, hit.Tap);
        switch (hit.Tap.Kind) {
            case TargetKind::PinDigit:
                DrawButton(draw, c.Faces, l.Type.Title, hit.Area, std::to_string(hit.Tap.Index),
                           ButtonStyle::Secondary, pressed);
                break;
            case TargetKind::PinBackspace:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area, "", ButtonStyle::Secondary,
                           pressed);
                DrawBackspaceIcon(draw, hit.Area, p.Text);
                break;
            case TargetKind::PinOk:
                DrawButton(draw, c.Faces, l.Type.Body, hit.Area, c.Words.Get("ok"),
                           ButtonStyle::Primary, pressed);
                break;
            case TargetKind::PinCancel:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area, c.Words.Get("cancel"),
                           ButtonStyle::Quiet, pressed);
                break;
            default:
                break;
        }
    }
}

void DrawManager(ImDrawList* draw, const ManagerContext& c) {
    DrawControls(draw, c);
    ChartContext chart{c.Definition, c.Config, c.State, c.Layout.Type, c.Faces, c.Words};
    Rect content = c.Layout.Content;
    if (!c.Data.Error.empty()) {
        DrawTextInBox(draw, c.Faces.Regular, c.Layout.Type.Body, c.Data.Error, content,
                      FaceColor(1));
        return;
    }
    switch (c.State.Tab) {
        case ManagerTab::Summary:
            DrawSummaryTab(draw, chart, c.Data, content);
            break;
        case ManagerTab::HeatMap:
            if (c.Data.Heat) {
                DrawHeatMap(draw, chart, *c.Data.Heat, content);
            }
            break;
        case ManagerTab::Comments:
            if (c.Data.Comments) {
                DrawComments(draw, chart, *c.Data.Comments, content, c.NowWallMs);
            }
            break;
        case ManagerTab::Staff:
            if (c.Data.Gap) {
                DrawStaffGap(draw, chart, *c.Data.Gap, content);
            }
            break;
        case ManagerTab::Sync:
            DrawSyncPanel(draw, chart, c.Sync, c.Device, c.Export, content, c.NowWallMs);
            break;
        case ManagerTab::Alerts:
            DrawAlertsTab(draw, chart, c.Data.Alerts, content);
            break;
    }
}

}  // namespace doorstep
