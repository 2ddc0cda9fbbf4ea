#include "kiosk/manager/manager_charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>

#include "core/base/clock.hpp"
#include "kiosk/screens/faces.hpp"

namespace doorstep {
namespace {

constexpr ImU32 kSuppressed = IM_COL32(205, 208, 212, 255);

std::string Fixed(double value, int decimals) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string Percent(double share) {
    return Fixed(share * 100.0, 0);
}

// A card with a title; returns the area inside it.
Rect Panel(ImDrawList* draw, const ChartContext& c, Rect area, std::string_view title) {
    const Palette& p = KioskPalette();
    draw->AddRectFilled({area.X, area.Y}, {area.Right(), area.Bottom()}, p.Surface, 12.0f);
    draw->AddRect({area.X, area.Y}, {area.Right(), area.Bottom()}, p.Outline, 12.0f, 0, 1.5f);
    float pad = c.Type.Small * 0.6f;
    Rect header{area.X + pad, area.Y + pad * 0.5f, area.W - 2 * pad, c.Type.Body * 1.3f};
    DrawTextInBox(draw, c.Faces.Bold, c.Type.Body, title, header, p.Text, Align::Left);
    return {area.X + pad, header.Bottom(), area.W - 2 * pad,
            area.Bottom() - header.Bottom() - pad * 0.5f};
}

// Mixes face colours: 1 (red) .. 5 (green), fractional scores in between.
ImU32 ScoreColor(double score) {
    double t = std::clamp(score, 1.0, 5.0);
    int low = std::clamp(static_cast<int>(std::floor(t)), 1, 5);
    int high = std::min(5, low + 1);
    float f = static_cast<float>(t - low);
    ImVec4 a = ImGui::ColorConvertU32ToFloat4(FaceColor(low));
    ImVec4 b = ImGui::ColorConvertU32ToFloat4(FaceColor(high));
    return ImGui::ColorConvertFloat4ToU32(
        ImVec4(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f, a.z + (b.z - a.z) * f, 1.0f));
}

void DrawNeedCard(ImDrawList* draw, const ChartContext& c, const NeedSummary& need, Rect area) {
    const Palette& p = KioskPalette();
    Rect inner = Panel(draw, c, area, NeedLabel(c, need.NeedId));
    float number_w = inner.W * 0.28f;
    Rect number{inner.X, inner.Y, number_w, inner.H * 0.75f};
    if (need.Mean.Value) {
        DrawTextInBox(draw, c.Faces.Bold, c.Type.Title * 1.2f, Fixed(*need.Mean.Value, 1), number,
                      ScoreColor(*need.Mean.Value));
    } else {
        DrawTextInBox(draw, c.Faces.Regular, c.Type.Small, c.Words.Get("too_few"), number,
                      p.MutedText);
    }
    Rect count{inner.X, number.Bottom(), number_w, inner.H * 0.25f};
    DrawTextInBox(draw, c.Faces.Regular, c.Type.Small * 0.85f,
                  c.Words.Format("responses", {{"count", std::to_string(need.Count)}}), count,
                  p.MutedText);
    // The distribution as one bar of five coloured parts, worst on the left.
    Rect bar{inner.X + number_w + inner.W * 0.03f, inner.Y + inner.H * 0.1f,
             inner.W - number_w - inner.W * 0.03f, inner.H * 0.38f};
    if (need.Distribution) {
        int64_t total = 0;
        for (int64_t n : *need.Distribution) {
            total += n;
        }
        float x = bar.X;
        for (int score = 1; score <= 5; ++score) {
            float w = total == 0 ? 0
                                 : bar.W * static_cast<float>((*need.Distribution)[score - 1]) /
                                       static_cast<float>(total);
            if (w >= 1.0f) {
                draw->AddRectFilled({x, bar.Y}, {x + w, bar.Bottom()}, FaceColor(score));
                if (w > c.Type.Small * 1.4f) {
                    DrawTextInBox(draw, c.Faces.Bold, c.Type.Small * 0.8f,
                                  std::to_string((*need.Distribution)[score - 1]),
                                  {x, bar.Y, w, bar.H}, IM_COL32(30, 30, 30, 255));
                }
            }
            x += w;
        }
    } else {
        draw->AddRectFilled({bar.X, bar.Y}, {bar.Right(), bar.Bottom()}, kSuppressed, 6.0f);
        DrawTextInBox(draw, c.Faces.Regular, c.Type.Small * 0.85f, c.Words.Get("too_few"), bar,
                      p.MutedText);
    }
    std::string negative =
        need.NegativeShare.Value
            ? c.Words.Format("negative_share", {{"percent", Percent(*need.NegativeShare.Value)}})
            : "";
    std::string change =
        need.Change.Value ? c.Words.Format("change", {{"sign", *need.Change.Value >= 0 ? "+" : ""},
                                                      {"delta", Fixed(*need.Change.Value, 1)}})
                          : c.Words.Get("change_none");
    Rect facts{bar.X, bar.Bottom() + inner.H * 0.06f, bar.W, inner.H * 0.4f};
    DrawTextInBox(draw, c.Faces.Regular, c.Type.Small * 0.9f,
                  negative.empty() ? change : negative + "  ·  " + change, facts, p.Text,
                  Align::Left);
}

void DrawLeastMet(ImDrawList* draw, const ChartContext& c, const LeastMetRanking& ranking,
                  Rect area) {
    const Palette& p = KioskPalette();
    Rect inner = Panel(draw, c, area, c.Words.Get("least_met"));
    size_t rows = std::max<size_t>(1, ranking.Needs.size());
    float row_h = inner.H / static_cast<float>(rows);
    for (size_t i = 0; i < ranking.Needs.size(); ++i) {
        const LeastMetEntry& entry = ranking.Needs[i];
        Rect row{inner.X, inner.Y + row_h * static_cast<float>(i), inner.W, row_h * 0.9f};
        Rect label{row.X, row.Y, row.W * 0.35f, row.H};
        DrawTextInBox(draw, c.Faces.Regular, c.Type.Small, NeedLabel(c, entry.NeedId), label,
                      p.Text, Align::Left);
        Rect bar{row.X + row.W * 0.37f, row.Y + row.H * 0.2f, row.W * 0.45f, row.H * 0.6f};
        Rect value{bar.Right() + row.W * 0.02f, row.Y, row.W * 0.16f, row.H};
        if (entry.Share.Value) {
            draw->AddRectFilled(
                {bar.X, bar.Y},
                {bar.X + bar.W * static_cast<float>(*entry.Share.Value), bar.Bottom()}, p.Primary,
                4.0f);
            DrawTextInBox(draw, c.Faces.Bold, c.Type.Small, Percent(*entry.Share.Value) + "%",
                          value, p.Text, Align::Left);
        } else {
            draw->AddRectFilled({bar.X, bar.Y}, {bar.Right(), bar.Bottom()}, kSuppressed, 4.0f);
            DrawTextInBox(draw, c.Faces.Regular, c.Type.Small * 0.8f, c.Words.Get("too_few"), value,
                          p.MutedText, Align::Left);
        }
    }
}

void DrawIntent(ImDrawList* draw, const ChartContext& c, const IntentSummary& intent, Rect area) {
    const Palette& p = KioskPalette();
    Rect inner = Panel(draw, c, area, c.Words.Get("intent"));
    Rect number{inner.X, inner.Y, inner.W * 0.3f, inner.H};
    if (!intent.Score.Value) {
        DrawTextInBox(draw, c.Faces.Regular, c.Type.Small, c.Words.Get("too_few"), inner,
                      p.MutedText);
        return;
    }
    double score = *intent.Score.Value;
    DrawTextInBox(draw, c.Faces.Bold, c.Type.Title, (score > 0 ? "+" : "") + Fixed(score, 0),
                  number, score >= 0 ? FaceColor(5) : FaceColor(1));
    Rect bar{number.Right() + inner.W * 0.03f, inner.Y + inner.H * 0.15f, inner.W * 0.67f,
             inner.H * 0.35f};
    struct Part {
        const Guarded& Share;
        ImU32 Color;
        const char* Key;
    };
    const Part parts[] = {{intent.DetractorShare, FaceColor(1), "detractors"},
                          {intent.PassiveShare, FaceColor(3), "passives"},
                          {intent.PromoterShare, FaceColor(5), "promoters"}};
    float x = bar.X;
    std::string legend;
    for (const Part& part : parts) {
        float w = bar.W * static_cast<float>(part.Share.Value.value_or(0));
        draw->AddRectFilled({x, bar.Y}, {x + w, bar.Bottom()}, part.Color);
        x += w;
        legend += (legend.empty() ? "" : "  ") + c.Words.Get(part.Key) + " " +
                  Percent(part.Share.Value.value_or(0)) + "%";
    }
    DrawTextInBox(draw, c.Faces.Regular, c.Type.Small * 0.8f, legend,
                  {bar.X, bar.Bottom(), bar.W, inner.Bottom() - bar.Bottom()}, p.Text, Align::Left);
}

void DrawCompletion(ImDrawList* draw, const ChartContext& c, const CompletionSummary& completion,
                    const SuspectSummary* suspects, Rect area) {
    const Palette& p = KioskPalette();
    Rect inner = Panel(draw, c, area, c.Words.Get("completion"));
    std::string text = c.Words.Get("completed") + ": " + std::to_string(completion.Completed) +
                       "    " + c.Words.Get("abandoned") + ": " +
                       std::to_string(completion.Abandoned);
    if (!completion.AbandonedAt.empty() && completion.AbandonedAt.front().Count > 0) {
        const std::string& step = completion.AbandonedAt.front().Step;
        std::string where = step.rfind("need:", 0) == 0 ? NeedLabel(c, step.substr(5)) : step;
        text += " (" + where + ": " + std::to_string(completion.AbandonedAt.front().Count) + ")";
    }
    if (suspects != nullptr && suspects->Flagged > 0) {
        std::string reasons;
        for (const ReasonCount& reason : suspects->ByReason) {
            if (reason.Count > 0) {
                reasons += (reasons.empty() ? "" : ", ") + c.Words.Get("reason_" + reason.Reason);
            }
        }
        text +=
            "\n" + (c.State.IncludeSuspect
                        ? c.Words.Format("flagged_included",
                                         {{"count", std::to_string(suspects->Flagged)}})
                        : c.Words.Format("flagged", {{"count", std::to_string(suspects->Flagged)},
                                                     {"reasons", reasons}}));
    }
    DrawTextInBox(draw, c.Faces.Regular, c.Type.Small, text, inner, p.Text, Align::Left);
}

}  // namespace

void DrawSummaryTab(ImDrawList* draw, const ChartContext& c, const ManagerData& data, Rect area) {
    float gap = c.Type.Small * 0.5f;
    bool portrait = area.H > area.W;
    Rect needs_area = portrait ? Rect{area.X, area.Y, area.W, area.H * 0.5f - gap * 0.5f}
                               : Rect{area.X, area.Y, area.W * 0.56f - gap * 0.5f, area.H};
    Rect side = portrait
                    ? Rect{area.X, needs_area.Bottom() + gap, area.W, area.H * 0.5f - gap * 0.5f}
                    : Rect{needs_area.Right() + gap, area.Y, area.W * 0.44f - gap * 0.5f, area.H};
    if (data.Needs) {
        size_t count = std::max<size_t>(1, data.Needs->Needs.size());
        float h = (needs_area.H - gap * static_cast<float>(count - 1)) / static_cast<float>(count);
        for (size_t i = 0; i < data.Needs->Needs.size(); ++i) {
            DrawNeedCard(
                draw, c, data.Needs->Needs[i],
                {needs_area.X, needs_area.Y + static_cast<float>(i) * (h + gap), needs_area.W, h});
        }
    }
    float third = (side.H - 2 * gap) / 3.0f;
    if (data.LeastMet) {
        DrawLeastMet(draw, c, *data.LeastMet, {side.X, side.Y, side.W, third});
    }
    if (data.Intent) {
        DrawIntent(draw, c, *data.Intent, {side.X, side.Y + third + gap, side.W, third});
    }
    if (data.Completion) {
        DrawCompletion(draw, c, *data.Completion, data.Suspects ? &*data.Suspects : nullptr,
                       {side.X, side.Y + 2 * (third + gap), side.W, third});
    }
}

void DrawHeatMap(ImDrawList* draw, const ChartContext& c, const HeatMap& heat, Rect area) {
    const Palette& p = KioskPalette();
    Rect inner = Panel(draw, c, area, NeedLabel(c, heat.NeedId));
    std::string weekdays = c.Words.Get("weekdays");  // "Mon,Tue,...,Sun"
    std::vector<std::string> names;
    for (size_t start = 0;;) {
        size_t comma = weekdays.find(',', start);
        names.push_back(weekdays.substr(start, comma - start));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    float label_w = inner.W * 0.1f;
    float hours_h = c.Type.Small * 1.2f;
    float cell_w = (inner.W - label_w) / 24.0f;
    float cell_h = (inner.H - hours_h) / 7.0f;
    for (int row = 0; row < 7; ++row) {
        int weekday = (row + 1) % 7;  // rows Monday..Sunday; the data counts 0 = Sunday
        float y = inner.Y + static_cast<float>(row) * cell_h;
        if (static_cast<size_t>(row) < names.size()) {
            DrawTextInBox(draw, c.Faces.Regular, c.Type.Small, names[static_cast<size_t>(row)],
                          {inner.X, y, label_w * 0.95f, cell_h}, p.Text, Align::Left);
        }
        for (int hour = 0; hour < 24; ++hour) {
            const HeatCell& cell =
                heat.Cells[static_cast<size_t>(weekday)][static_cast<size_t>(hour)];
            ImVec2 a(inner.X + label_w + static_cast<float>(hour) * cell_w + 1, y + 1);
            ImVec2 b(a.x + cell_w - 2, a.y + cell_h - 2);
            if (cell.Mean.Value) {
                // The fill's height tells the mean too, for cells too narrow for its number and
                // for eyes that do not tell the colours apart.
                float share = 0.25f + 0.75f * static_cast<float>((*cell.Mean.Value - 1.0) / 4.0);
                draw->AddRect(a, b, p.Outline, 3.0f);
                draw->AddRectFilled({a.x, b.y - (b.y - a.y) * share}, b,
                                    ScoreColor(*cell.Mean.Value), 3.0f);
                if (cell_w > c.Type.Small * 1.6f) {
                    DrawTextInBox(draw, c.Faces.Regular, c.Type.Small * 0.7f,
                                  Fixed(*cell.Mean.Value, 1), {a.x, a.y, b.x - a.x, b.y - a.y},
                                  IM_COL32(30, 30, 30, 255));
                }
            } else if (cell.Count > 0) {
                draw->AddRectFilled(a, b, kSuppressed, 3.0f);  // some answers, too few to show
            } else {
                draw->AddRect(a, b, p.Outline, 3.0f);
            }
        }
    }
    for (int hour = 0; hour < 24; hour += 3) {
        DrawTextInBox(draw, c.Faces.Regular, c.Type.Small * 0.8f, std::to_string(hour),
                      {inner.X + label_w + static_cast<float>(hour) * cell_w,
                       inner.Bottom() - hours_h, cell_w * 2, hours_h},
                      p.MutedText, Align::Left);
    }
}

std::string NeedLabel(const ChartContext& c, const std::string& id) {
    const Need* need = c.Definition.FindNeed(id);
    return need != nullptr ? Localized(need->Label, c.State.Language) : id;
}

void DrawComments(ImDrawList* draw, const ChartContext& c, const CommentPage& page, Rect area,
                  int64_t now_wall_ms) {
    static_cast<void>(now_wall_ms);
    const Palette& p = KioskPalette();
    if (page.Items.empty()) {
        DrawTextInBox(draw, c.Faces.Regular, c.Type.Body, c.Words.Get("no_comments"), area,
                      p.MutedText);
        return;
    }
    float gap = c.Type.Small * 0.4f;
    float h = (area.H - gap * 3) / 4.0f;
    for (size_t i = 0; i < page.Items.size(); ++i) {
        const CommentItem& item = page.Items[i];
        Rect card{area.X, area.Y + static_cast<float>(i) * (h + gap), area.W, h};
        draw->AddRectFilled({card.X, card.Y}, {card.Right(), card.Bottom()}, p.Surface, 8.0f);
        if (item.Negative) {  // the business needs these most: marked in colour and in words
            draw->AddRectFilled({card.X, card.Y}, {card.X + 8, card.Bottom()}, FaceColor(1), 8.0f);
        }
        float face_r = std::min(h * 0.32f, card.W * 0.04f);
        if (item.MeanScore) {
            DrawFace(draw, {card.X + 20 + face_r, card.CenterY()}, face_r,
                     static_cast<int>(std::lround(*item.MeanScore)), false);
        }
        time_t seconds = static_cast<time_t>(item.EndedAtMs / 1000);
        std::tm local{};
        localtime_r(&seconds, &local);
        char when[32];
        std::strftime(when, sizeof when, "%d %b %H:%M", &local);
        std::string meta = std::string(when) + "  ·  " + item.Language;
        if (!item.LeastMet.empty()) {
            meta += "  ·  " + c.Words.Get("least_met") + ": " + NeedLabel(c, item.LeastMet);
        }
        if (!item.SuspectReason.empty()) {
            meta += "  ·  " + c.Words.Get("reason_" + item.SuspectReason);
        }
        float text_x = card.X + 30 + face_r * 2;
        DrawTextInBox(draw, c.Faces.Regular, c.Type.Small * 0.9f, meta,
                      {text_x, card.Y + 4, card.Right() - text_x - 8, h * 0.3f}, p.MutedText,
                      Align::Left);
        DrawTextInBox(draw, c.Faces.Regular, c.Type.Body, item.Text,
                      {text_x, card.Y + h * 0.32f, card.Right() - text_x - 8, h * 0.64f}, p.Text,
                      Align::Left);
    }
}

void DrawStaffGap(ImDrawList* draw, const ChartContext& c, const StaffGap& gap, Rect area) {
    const Palette& p = KioskPalette();
    Rect inner = Panel(draw, c, area, c.Words.Get("staff_title"));
    size_t count = std::max<size_t>(1, gap.Needs.size());
    float row_h = inner.H / static_cast<float>(count);
    for (size_t i = 0; i < gap.Needs.size(); ++i) {
        const NeedGap& need = gap.Needs[i];
        Rect row{inner.X, inner.Y + static_cast<float>(i) * row_h, inner.W, row_h * 0.9f};
        DrawTextInBox(draw, c.Faces.Bold, c.Type.Small, NeedLabel(c, need.NeedId),
                      {row.X, row.Y, row.W * 0.22f, row.H}, p.Text, Align::Left);
        float bar_x = row.X + row.W * 0.24f;
        float bar_w = row.W * 0.56f;
        struct Side {
            const Guarded& Mean;
            const char* Key;
            int64_t Count;
        };
        const Side sides[] = {{need.CustomerMean, "customers", need.CustomerCount},
                              {need.StaffMean, "staff", need.StaffCount}};
        for (int s = 0; s < 2; ++s) {
            float y = row.Y + row.H * (0.08f + 0.46f * static_cast<float>(s));
            float h = row.H * 0.38f;
            std::string label = c.Words.Get(sides[s].Key);
            if (sides[s].Mean.Value) {
                double mean = *sides[s].Mean.Value;
                float w = bar_w * static_cast<float>((mean - 1.0) / 4.0);
                draw->AddRectFilled({bar_x, y}, {bar_x + std::max(w, 4.0f), y + h},
                                    s == 0 ? ScoreColor(mean) : p.Primary, 4.0f);
                label += " " + Fixed(mean, 1);
            } else {
                draw->AddRectFilled({bar_x, y}, {bar_x + bar_w, y + h}, kSuppressed, 4.0f);
                label += " " + c.Words.Get("too_few");
            }
            DrawTextInBox(draw, c.Faces.Regular, c.Type.Small * 0.8f, label,
                          {bar_x + bar_w + 8, y, row.Right() - bar_x - bar_w - 8, h}, p.Text,
                          Align::Left);
        }
    }
}

void DrawSyncPanel(ImDrawList* draw, const ChartContext& c, const SyncStatus& sync,
                   const DeviceFacts& device, const ExportState& export_state, Rect area,
                   int64_t now_wall_ms) {
    const Palette& p = KioskPalette();
    const Translations& w = c.Words;
    auto age = [&](int64_t then_ms) {
        int64_t minutes = std::max<int64_t>(0, (now_wall_ms - then_ms) / 60000);
        return minutes < 60 ? std::to_string(minutes) + " min"
                            : std::to_string(minutes / 60) + " h";
    };
    std::vector<std::pair<std::string, std::string>> rows = {
        {w.Get("backlog"), std::to_string(sync.Backlog)},
        {w.Get("oldest_unsent"),
         sync.OldestUnsentEndedAtMs ? age(*sync.OldestUnsentEndedAtMs) : w.Get("none")},
        {w.Get("last_success"),
         sync.LastSuccessWallMs > 0
             ? FormatUtcIso8601(sync.LastSuccessWallMs).substr(0, 16) + " UTC"
             : w.Get("never")},
        {w.Get("last_error"), sync.LastError.empty() ? w.Get("none") : sync.LastError},
        {w.Get("conflicts"), std::to_string(sync.Conflicts)},
        {w.Get("rejected"), std::to_string(sync.Rejected)},
        {w.Get("device"), device.DeviceId.empty() ? w.Get("not_enrolled") : device.DeviceId},
        {w.Get("store") + " / " + w.Get("door"), device.StoreName + " / " + device.Door},
        {w.Get("app_version") + " / " + w.Get("survey_version"),
         device.AppVersion + " / " + std::to_string(device.SurveyVersion)},
        {w.Get("free_disk"),
         device.FreeDiskBytes < 0
             ? "?"
             : Fixed(static_cast<double>(device.FreeDiskBytes) / 1e9, 1) + " GB"},
    };
    if (device.AnswersHeldInMemory > 0) {
        rows.emplace_back(
            "!", w.Format("disk_problem", {{"count", std::to_string(device.AnswersHeldInMemory)}}));
    }
    if (export_state.Running) {
        rows.emplace_back(w.Get("export"),
                          w.Format("exporting", {{"done", std::to_string(export_state.Done)},
                                                 {"total", std::to_string(export_state.Total)}}));
    } else if (!export_state.Result.empty()) {
        rows.emplace_back(w.Get("export"), export_state.Result);
    }
    float row_h = std::min(area.H / static_cast<float>(rows.size()), c.Type.Body * 1.8f);
    for (size_t i = 0; i < rows.size(); ++i) {
        float y = area.Y + static_cast<float>(i) * row_h;
        DrawTextInBox(draw, c.Faces.Regular, c.Type.Small, rows[i].first,
                      {area.X, y, area.W * 0.34f, row_h}, p.MutedText, Align::Left);
        DrawTextInBox(draw, c.Faces.Bold, c.Type.Small, rows[i].second,
                      {area.X + area.W * 0.36f, y, area.W * 0.64f, row_h}, p.Text, Align::Left);
    }
    if (export_state.Running && export_state.Total > 0) {
        float y = area.Bottom() - c.Type.Small;
        float share =
            static_cast<float>(export_state.Done) / static_cast<float>(export_state.Total);
        draw->AddRectFilled({area.X, y}, {area.Right(), area.Bottom()}, kSuppressed, 4.0f);
        draw->AddRectFilled({area.X, y}, {area.X + area.W * share, area.Bottom()}, p.Primary, 4.0f);
    }
}

}  // namespace doorstep
