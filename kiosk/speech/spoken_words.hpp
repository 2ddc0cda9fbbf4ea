// What the terminal says in speech mode: the words of a Speak effect (kiosk/flow/flow.hpp,
// SpeechCue) for the screen the state shows, in the customer's language, from the survey's own
// words only (docs/survey-format.md, "speech"). Pure: the tests assert the exact text, and the
// speaker hands it to espeak-ng unchanged.
#pragma once

#include <string>

#include "core/survey/survey.hpp"
#include "kiosk/flow/flow.hpp"

namespace doorstep {

// The words for `cue`; empty for SpeechCue::Stop.
std::string SpokenWords(const Survey& survey, const FlowConfig& config, const FlowState& state,
                        const Effect& speak);
// The words a control is called by ("4, Good", "Back", "Large text, on").
std::string ControlWords(const Survey& survey, const FlowConfig& config, const FlowState& state,
                         const Target& control);

}  // namespace doorstep
