// One draw function per customer screen. Each is a plain function of the layout and the flow
// state: no input handling, no decisions.
#pragma once

#include <optional>
#include <string>

#include <imgui.h>

#include "draw.hpp"
#include "flow.hpp"
#include "layout.hpp"
#include "survey.hpp"

namespace doorstep {

struct ScreenContext {
    const Survey& Definition;
    const FlowConfig& Config;
    const FlowState& State;
    const ScreenLayout& Layout;
    const Fonts& Faces;
    std::optional<Target> Pressed;  // the target under a finger right now, for press feedback
    int AnimationStep = 0;          // attract animation: which face is lifted
    std::string HeaderOverride;     // staff rating: the staff prompt instead of the progress
};

void DrawScreen(ImDrawList* draw, const ScreenContext& context);

}  // namespace doorstep
