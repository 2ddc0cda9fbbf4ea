// The Alerts tab: one alert at a time, large enough to read at arm's length: what happened,
// where and when, the answer's low needs and comment, the pain points then, and its state. The
// controls below it (layout_manager.cpp) move between alerts, choose a short note, and
// acknowledge or resolve it.
#include <algorithm>
#include <ctime>

#include "kiosk/manager/manager_charts.hpp"
#include "kiosk/screens/faces.hpp"

namespace doorstep {
namespace {

std::string LocalTime(int64_t wall_ms) {
    time_t seconds = static_cast<time_t>(wall_ms / 1000);
    std::tm local{};
    localtime_r(&seconds, &local);
    char when[32];
    std::strftime(when, sizeof when, "%d %b %H:%M", &local);
    return when;
}

std::string Headline(const ChartContext& c, const KioskAlert& alert) {
    std::string needs;
    for (const std::string& need : alert.LowNeeds) {
        needs += (needs.empty() ? "" : ", ") + NeedLabel(c, need);
    }
    if (alert.Kind == "low_score") {
        return c.Words.Format("alert_low_score", {{"needs", needs}});
    }
    if (alert.Kind == "low_intent") {
        return c.Words.Format("alert_low_intent",
                              {{"intent", std::to_string(alert.Intent.value_or(0))}});
    }
    if (alert.Kind == "comment" || alert.Kind == "contact") {
        return c.Words.Get("alert_" + alert.Kind);  // never the contact: head office keeps it
    }
    return c.Words.Format(alert.Kind == "below_goal" ? "alert_below_goal" : "alert_trend",
                          {{"need", NeedLabel(c, alert.Need)}});
}

}  // namespace

void DrawAlertsTab(ImDrawList* draw, const ChartContext& c, const std::vector<KioskAlert>& alerts,
                   Rect area) {
    const Palette& p = KioskPalette();
    if (alerts.empty()) {
        DrawTextInBox(draw, c.Faces.Regular, c.Type.Body, c.Words.Get("alerts_none"), area,
                      p.MutedText);
        return;
    }
    size_t index =
        std::min(static_cast<size_t>(std::max(c.State.AlertIndex, 0)), alerts.size() - 1);
    const KioskAlert& alert = alerts[index];
    draw->AddRectFilled({area.X, area.Y}, {area.Right(), area.Bottom()}, p.Surface, 12.0f);
    if (alert.State == "open") {  // waiting for someone: marked in colour and in words
        draw->AddRectFilled({area.X, area.Y}, {area.X + 10, area.Bottom()}, FaceColor(1), 12.0f);
    }
    float pad = c.Type.Small;
    float x = area.X + pad * 1.5f;
    float w = area.W - pad * 2.5f;
    float line = c.Type.Body * 1.5f;
    float y = area.Y + pad * 0.6f;
    std::string state = c.Words.Get("alert_state_" + alert.State);
    if (alert.Unsynced) {
        state += "  ·  " + c.Words.Get("alert_unsynced");
    }
    std::string meta =
        c.Words.Format("alert_position", {{"n", std::to_string(index + 1)},
                                          {"count", std::to_string(alerts.size())}}) +
        "  ·  " + LocalTime(alert.AnsweredAtMs > 0 ? alert.AnsweredAtMs : alert.OpenedAtMs) +
        "  ·  " + alert.Door + "  ·  " + state;
    DrawTextInBox(draw, c.Faces.Regular, c.Type.Small, meta, {x, y, w, c.Type.Small * 1.4f},
                  p.MutedText, Align::Left);
    y += c.Type.Small * 1.6f;
    DrawTextInBox(draw, c.Faces.Bold, c.Type.Title * 0.8f, Headline(c, alert),
                  {x, y, w, c.Type.Title * 1.1f}, p.Text, Align::Left);
    y += c.Type.Title * 1.2f;
    std::vector<std::string> lines;
    if (!alert.LeastMet.empty()) {
        lines.push_back(c.Words.Get("least_met") + ": " + NeedLabel(c, alert.LeastMet));
    }
    if (alert.Intent && alert.Kind != "low_intent") {
        lines.push_back(
            c.Words.Format("alert_intent", {{"intent", std::to_string(*alert.Intent)}}));
    }
    if (!alert.PainPoints.empty()) {
        std::string points;
        for (const auto& [need, answers] : alert.PainPoints) {
            points += (points.empty() ? "" : ", ") + NeedLabel(c, need) + " (" +
                      std::to_string(answers) + ")";
        }
        lines.push_back(c.Words.Format("alert_pain_points", {{"points", points}}));
    }
    if (!alert.AcknowledgeNote.empty()) {
        lines.push_back(c.Words.Format("alert_noted", {{"note", alert.AcknowledgeNote}}));
    }
    for (const std::string& text : lines) {
        DrawTextInBox(draw, c.Faces.Regular, c.Type.Body, text, {x, y, w, line}, p.Text,
                      Align::Left);
        y += line;
    }
    if (!alert.Comment.empty() && y < area.Bottom() - line) {
        DrawTextInBox(draw, c.Faces.Regular, c.Type.Body, "\"" + alert.Comment + "\"",
                      {x, y, w, area.Bottom() - y - pad * 0.5f}, p.Text, Align::Left);
    }
}

}  // namespace doorstep
