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

void DrawSummaryTab(ImDrawList* draw, const ChartContext& c, const ManagerData& data, Rect area);
void DrawHeatMap(ImDrawList* draw, const ChartContext& c, const HeatMap& heat, Rect area);
void DrawComments(ImDrawList* draw, const ChartContext& c, const CommentPage& page, Rect area,
                  int64_t now_wall_ms);
void DrawStaffGap(ImDrawList* draw, const ChartContext& c, const StaffGap& gap, Rect area);
void DrawSyncPanel(ImDrawList* draw, const ChartContext& c, const SyncStatus& sync,
                   const DeviceFacts& device, const ExportState& export_state, Rect area,
                   int64_t now_wall_ms);

}  // namespace doorstep
