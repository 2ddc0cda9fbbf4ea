// The PIN pad and the manager's screens, drawn from layout, flow state and the figures the window
// loaded (manager_data.hpp). Like the customer screens: no input handling, no decisions.
#pragma once

#include <optional>

#include <imgui.h>

#include "core/survey/survey.hpp"
#include "core/survey/translations.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/layout/layout.hpp"
#include "kiosk/manager/manager_data.hpp"
#include "kiosk/screens/draw.hpp"

namespace doorstep {

struct ManagerContext {
    const Survey& Definition;
    const FlowConfig& Config;
    const FlowState& State;
    const ScreenLayout& Layout;
    const Fonts& Faces;
    std::optional<Target> Pressed;
    const Translations& Words;
    const ManagerData& Data;
    const SyncStatus& Sync;
    const DeviceFacts& Device;
    const ExportState& Export;
    int64_t NowWallMs = 0;
};

void DrawPinPad(ImDrawList* draw, const ManagerContext& context);
void DrawManager(ImDrawList* draw, const ManagerContext& context);

}  // namespace doorstep
