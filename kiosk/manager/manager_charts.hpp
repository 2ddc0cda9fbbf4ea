// The manager's charts, drawn with ImGui draw lists: big numbers where a person needs them, bars
// and a heat map where shape says more, and "too few" wherever a number could point at a person.
#pragma once

#include <imgui.h>

#include "core/survey/survey.hpp"
#include "core/survey/translations.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/layout/layout.hpp"
#include "kiosk/manager/manager_data.hpp"
#include "kiosk/screens/draw.hpp"

namespace doorstep {

struct ChartContext {
    const Survey& Definition;
    const FlowConfig& Config;
    const FlowState& State;
    const Typography& Type;
    const Fonts& Faces;
    const Translations& Words;
};

// A need's name in the survey's words, or its id.
std::string NeedLabel(const ChartContext& c, const std::string& id);

void DrawSummaryTab(ImDrawList* draw, const ChartContext& c, const ManagerData& data, Rect area);
void DrawHeatMap(ImDrawList* draw, const ChartContext& c, const HeatMap& heat, Rect area);
void DrawComments(ImDrawList* draw, const ChartContext& c, const CommentPage& page, Rect area,
                  int64_t now_wall_ms);
void DrawStaffGap(ImDrawList* draw, const ChartContext& c, const StaffGap& gap, Rect area);
void DrawSyncPanel(ImDrawList* draw, const ChartContext& c, const SyncStatus& sync,
                   const DeviceFacts& device, const ExportState& export_state, Rect area,
                   int64_t now_wall_ms);
// The Alerts tab (manager_alerts.cpp): the alert at state.AlertIndex, with the short notes and
// the acts drawn by the controls.
void DrawAlertsTab(ImDrawList* draw, const ChartContext& c, const std::vector<KioskAlert>& alerts,
                   Rect area);

}  // namespace doorstep
