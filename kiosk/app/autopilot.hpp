// Development and benchmark aid: picks the next tap a plausible customer would make, so the real
// window can be driven through thousands of responses by its own input path.
#pragma once

#include <optional>
#include <random>

#include "kiosk/flow/flow.hpp"
#include "kiosk/layout/layout.hpp"

namespace doorstep {

// The area to tap next on this screen, or nothing when the screen waits (Saving).
std::optional<Hit> ChooseAutopilotTap(const FlowState& state, const ScreenLayout& layout,
                                      std::mt19937& random);

// Pushes the press and release of ChooseAutopilotTap's choice as real SDL mouse events, so the
// autopilot exercises the same path as a finger.
void PushAutopilotTap(const FlowState& state, const ScreenLayout& layout, std::mt19937& random);

}  // namespace doorstep
