// Shared between the customer flow (flow.cpp) and manager mode (manager_flow.cpp); not part of
// the reducer's public interface.
#pragma once

#include "kiosk/flow/flow.hpp"

namespace doorstep {

Response BuildResponse(const FlowConfig& config, const FlowState& state, const Clock& now,
                       ResponseStatus status);
// The on-screen keyboard's keys, typing into `text` (at most `max_chars` code points); false for
// any other target.
bool ApplyKeyboard(FlowState& state, std::string& text, size_t max_chars, const Target& target);
// Thank-you and contact screens (contact_flow.cpp).
Transition ReduceContactTap(const FlowConfig& config, FlowState state, const Event& event);
// Saving --CommitFinished--> ThankYou, offering the contact after a low answer.
Transition FinishSaving(const FlowConfig& config, const FlowState& state, const Event& event);
Transition ReduceManagerTap(const FlowConfig& config, FlowState state, const Event& event);
Transition ReducePinChecked(const FlowConfig& config, FlowState state, const Event& event);

}  // namespace doorstep
