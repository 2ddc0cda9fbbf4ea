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
Transition ReduceTap(const FlowConfig& config, FlowState state, const Event& event);
// Keys and speech (keypad_flow.cpp).
Transition ReduceKey(const FlowConfig& config, const FlowState& state, const Event& event);
// Adds the Speak effect a transition calls for while speech is on, and clears the focus when
// the screen changed.
Transition FollowSpeech(const FlowState& before, const Event& event, Transition after);
// Whether `event` is the attract screen's tactile spot held long enough to start speech.
bool StartsSpeech(const FlowConfig& config, const FlowState& state, const Event& event);
Transition StartSpeechBySpot(const FlowConfig& config, const FlowState& state);
Transition ReduceManagerTap(const FlowConfig& config, FlowState state, const Event& event);
Transition ReducePinChecked(const FlowConfig& config, FlowState state, const Event& event);

}  // namespace doorstep
