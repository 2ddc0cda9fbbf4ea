// Shared between the customer flow (flow.cpp) and manager mode (manager_flow.cpp); not part of
// the reducer's public interface.
#pragma once

#include "kiosk/flow/flow.hpp"

namespace doorstep {

Response BuildResponse(const FlowConfig& config, const FlowState& state, const Clock& now,
                       ResponseStatus status);
Transition ReduceManagerTap(const FlowConfig& config, FlowState state, const Event& event);
Transition ReducePinChecked(const FlowConfig& config, FlowState state, const Event& event);

}  // namespace doorstep
