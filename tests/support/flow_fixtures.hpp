// Shared by the reducer's unit tests: events at a given boot-clock time, and a run that applies
// them in order to one state, collecting every effect.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/flow/flow.hpp"

namespace doorstep::testing {

// The wall clock runs a fixed distance ahead of the boot clock.
inline Clock At(int64_t mono_ms) {
    return {1'700'000'000'000 + mono_ms, mono_ms};
}

inline Event Tap(TargetKind kind, int index, int64_t mono_ms, std::string text = {}) {
    return {EventKind::Tap, {kind, index, std::move(text)}, At(mono_ms), true};
}

inline Event Tick(int64_t mono_ms) {
    return {EventKind::Tick, {}, At(mono_ms), true};
}

// Three needs, three languages, a 10-character comment, 20 s idle and 3 s of thank-you.
inline FlowConfig ThreeNeedConfig() {
    FlowConfig config;
    config.SurveyId = "default";
    config.SurveyVersion = 3;
    config.Door = "checkout";
    config.DefaultLanguage = "en";
    config.Languages = {"en", "es", "el"};
    config.NeedIds = {"trust", "control", "support"};
    config.CommentMaxChars = 10;
    config.IdleTimeoutMs = 20000;
    config.ThankYouMs = 3000;
    return config;
}

inline Event CommitFinished(int64_t mono_ms, bool durable = true) {
    return {EventKind::CommitFinished, {}, At(mono_ms), durable};
}

struct FlowRun {
    explicit FlowRun(FlowConfig config)
        : Config(std::move(config)), State(InitialFlowState(Config)) {}

    FlowRun& Apply(const Event& event) {
        Transition next = Reduce(Config, State, event);
        State = next.State;
        Effects.insert(Effects.end(), next.Effects.begin(), next.Effects.end());
        return *this;
    }

    FlowConfig Config;
    FlowState State;
    std::vector<Effect> Effects;
};

}  // namespace doorstep::testing
