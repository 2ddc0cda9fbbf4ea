// Keys and speech: a customer who cannot see the screen answers with a keypad and hears it.
//
//   speech off --Help | Repeat | Volume key on a customer's screen, SpeechSpot held SpeechHoldMs
//                on attract or a question, or chosen by key--> on (only if SpeechAvailable)
//   speech on  --the pass ends (InitialFlowState: answered, abandoned, idle)--> off (Speak Stop)
//
//   focus: none --Next | arrow | Choose--> the screen's first answer, else its first control
//                (Previous: the last control)
//          spot --Next | Previous--> the next or previous in reading order, wrapping
//          spot --arrow--> the nearest control that way (none that way: stays)
//          spot --Choose--> the transition a tap on it makes
//          (any) --the screen changes--> none
//
// Invariants:
//   * A key does what a tap does and nothing more: Choose reduces a Tap of the focused control,
//     Back a Tap of the screen's own Back, Cancel or Close. Every rule of the flow (Saving
//     ignores input, one RecordResponse per pass, the idle timeout) holds for keys as for taps.
//   * The manager's hidden corner is never focusable: staff reach manager mode by hand only.
//   * While speech is on, every transition that changes what the screen says ends in exactly one
//     Speak effect, which interrupts whatever is being said; speech mode ending says Stop.
//   * Like the rest of the reducer: pure. Where the controls sit arrives inside the Key event.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <limits>
#include <optional>

#include "kiosk/flow/flow_internal.hpp"

namespace doorstep {
namespace {

// The controls a key may focus, every tap target but the hidden corner, once, in reading order:
// rows from the top (a control whose middle is within half a height of the row's first is in that
// row), each from the left.
std::vector<FocusSpot> Focusable(const std::vector<FocusSpot>& spots) {
    std::vector<FocusSpot> focusable;
    for (const FocusSpot& spot : spots) {
        bool seen = std::any_of(focusable.begin(), focusable.end(),
                                [&](const FocusSpot& kept) { return kept.Tap == spot.Tap; });
        // A control with two areas (the drawn start button, then the rest of the screen) is
        // one stop, where it is drawn: the first in priority order.
        if (!seen && spot.Tap.Kind != TargetKind::None &&
            spot.Tap.Kind != TargetKind::ManagerCorner) {
            focusable.push_back(spot);
        }
    }
    auto middle = [](const FocusSpot& spot) { return spot.Y + spot.H / 2; };
    std::stable_sort(focusable.begin(), focusable.end(),
                     [&](const FocusSpot& a, const FocusSpot& b) { return middle(a) < middle(b); });
    for (size_t row = 0; row < focusable.size();) {
        size_t end = row + 1;
        while (end < focusable.size() &&
               middle(focusable[end]) - middle(focusable[row]) < focusable[row].H / 2) {
            ++end;
        }
        std::stable_sort(focusable.begin() + static_cast<std::ptrdiff_t>(row),
                         focusable.begin() + static_cast<std::ptrdiff_t>(end),
                         [](const FocusSpot& a, const FocusSpot& b) { return a.X < b.X; });
        row = end;
    }
    return focusable;
}

// Where focus lands first on a screen: its first answer, not the Back button above it.
bool IsAnswer(TargetKind kind) {
    switch (kind) {
        case TargetKind::Start:
        case TargetKind::Face:
        case TargetKind::LeastMetNeed:
        case TargetKind::IntentScore:
        case TargetKind::Key:
        case TargetKind::ContactYes:
        case TargetKind::PinDigit:
            return true;
        default:
            return false;
    }
}

std::optional<size_t> IndexOf(const std::vector<FocusSpot>& spots, const Target& target) {
    for (size_t i = 0; i < spots.size(); ++i) {
        if (spots[i].Tap == target) {
            return i;
        }
    }
    return std::nullopt;
}

// The nearest control from `from` in the arrow's direction: along the arrow counts once,
// across it twice, so Down from a face goes to the row below rather than to a far neighbour.
std::optional<size_t> Nearest(const std::vector<FocusSpot>& spots, size_t from, Key arrow) {
    const FocusSpot& here = spots[from];
    float x = here.X + here.W / 2;
    float y = here.Y + here.H / 2;
    std::optional<size_t> best;
    float best_cost = std::numeric_limits<float>::max();
    for (size_t i = 0; i < spots.size(); ++i) {
        float dx = spots[i].X + spots[i].W / 2 - x;
        float dy = spots[i].Y + spots[i].H / 2 - y;
        float along = arrow == Key::Right  ? dx
                      : arrow == Key::Left ? -dx
                      : arrow == Key::Down ? dy
                                           : -dy;
        float across = arrow == Key::Left || arrow == Key::Right ? std::fabs(dy) : std::fabs(dx);
        if (i == from || along <= 0.5f) {
            continue;
        }
        float cost = along + 2 * across;
        if (cost < best_cost) {
            best_cost = cost;
            best = i;
        }
    }
    return best;
}

Target MoveFocus(const std::vector<FocusSpot>& spots, const Target& focus, Key key) {
    if (spots.empty()) {
        return {};
    }
    std::optional<size_t> at = IndexOf(spots, focus);
    if (!at) {
        if (key == Key::Previous) {
            return spots.back().Tap;
        }
        auto answer = std::find_if(spots.begin(), spots.end(),
                                   [](const FocusSpot& spot) { return IsAnswer(spot.Tap.Kind); });
        return answer != spots.end() ? answer->Tap : spots.front().Tap;
    }
    size_t count = spots.size();
    switch (key) {
        case Key::Next:
            return spots[(*at + 1) % count].Tap;
        case Key::Previous:
            return spots[(*at + count - 1) % count].Tap;
        default:
            break;
    }
    std::optional<size_t> nearest = Nearest(spots, *at, key);
    return nearest ? spots[*nearest].Tap : focus;
}

// The control Back stands for on this screen, if it has one.
std::optional<Target> BackTarget(const std::vector<FocusSpot>& spots) {
    for (TargetKind kind :
         {TargetKind::Back, TargetKind::PinCancel, TargetKind::Dismiss, TargetKind::ExitManager}) {
        for (const FocusSpot& spot : spots) {
            if (spot.Tap.Kind == kind) {
                return spot.Tap;
            }
        }
    }
    return std::nullopt;
}

Effect Say(SpeechCue cue, const FlowState& state, Target chosen = {}) {
    Effect effect;
    effect.Kind = EffectKind::Speak;
    effect.Cue = cue;
    effect.Chosen = std::move(chosen);
    effect.Volume = state.Volume;
    return effect;
}

Transition Saying(FlowState state, SpeechCue cue) {
    Effect said = Say(cue, state);
    return {std::move(state), {std::move(said)}};
}

void StartSpeech(const FlowConfig& config, FlowState& state) {
    if (!state.Speech) {
        state.Speech = true;
        state.Volume = std::clamp(config.SpeechVolume, 0, kMaxSpeechVolume);
    }
}

// What the screen says, as far as speech is concerned: a change here reads the screen anew.
bool SameScreen(const FlowState& a, const FlowState& b) {
    return a.Current == b.Current && a.NeedIndex == b.NeedIndex && a.Language == b.Language &&
           a.ContactOffered == b.ContactOffered && a.ContactKept == b.ContactKept && a.Tab == b.Tab;
}

}  // namespace

Transition ReduceKey(const FlowConfig& config, const FlowState& state, const Event& event) {
    if (state.Current == Screen::Saving || state.Current == Screen::StaffSaving) {
        return {state, {}};  // the commit is under way: a key may not act twice either
    }
    FlowState next = state;
    std::vector<FocusSpot> spots = Focusable(event.Spots);
    // Speech is for customers' screens, on a terminal that can speak.
    bool speaks = config.SpeechAvailable && !IsManagerScreen(state.Current);
    bool speech_key = event.Pressed == Key::Help || event.Pressed == Key::Repeat ||
                      event.Pressed == Key::VolumeUp || event.Pressed == Key::VolumeDown;
    if (speech_key && !speaks) {
        return {std::move(next), {}};
    }
    switch (event.Pressed) {
        case Key::Help:
            StartSpeech(config, next);
            return Saying(std::move(next), SpeechCue::Help);
        case Key::Repeat:
            StartSpeech(config, next);
            return Saying(std::move(next), SpeechCue::Screen);
        case Key::VolumeUp:
        case Key::VolumeDown:
            StartSpeech(config, next);
            next.Volume = std::clamp(next.Volume + (event.Pressed == Key::VolumeUp ? 1 : -1), 0,
                                     kMaxSpeechVolume);
            return Saying(std::move(next), SpeechCue::Volume);
        case Key::Back: {
            std::optional<Target> back = BackTarget(spots);
            if (!back) {
                return {std::move(next), {}};
            }
            Event tap{EventKind::Tap, *back, event.Now};
            return ReduceTap(config, std::move(next), tap);
        }
        case Key::Choose:
            if (state.Focus.Kind == TargetKind::SpeechSpot && speaks &&
                IndexOf(spots, state.Focus)) {
                return StartSpeechBySpot(config, state);  // the spot, found by keys, speaks
            }
            if (IndexOf(spots, state.Focus)) {
                Event tap{EventKind::Tap, state.Focus, event.Now};
                return ReduceTap(config, std::move(next), tap);
            }
            break;  // nothing focused yet: the first control is
        default:
            break;
    }
    next.Focus = MoveFocus(spots, state.Focus, event.Pressed);
    if (IsQuestionScreen(next.Current) || IsManagerScreen(next.Current)) {
        next.LastInputMonoMs = event.Now.MonoMs;  // someone is here: the idle timeout restarts
    }
    return {std::move(next), {}};
}

Transition FollowSpeech(const FlowState& before, const Event& event, Transition after) {
    FlowState& now = after.State;
    bool screen_changed = !SameScreen(before, now);
    if (screen_changed) {
        now.Focus = {};
    }
    bool spoken = std::any_of(after.Effects.begin(), after.Effects.end(),
                              [](const Effect& e) { return e.Kind == EffectKind::Speak; });
    if (before.Speech && !now.Speech) {
        after.Effects.push_back(Say(SpeechCue::Stop, now));
        return after;
    }
    if (!now.Speech || spoken) {
        return after;
    }
    Target chosen = event.Kind == EventKind::Key   ? before.Focus
                    : event.Kind == EventKind::Tap ? event.Tapped
                                                   : Target{};
    if (screen_changed) {
        after.Effects.push_back(Say(SpeechCue::Screen, now, chosen));
    } else if (!now.ContactProblem.empty() && now.ContactProblem != before.ContactProblem) {
        after.Effects.push_back(Say(SpeechCue::Problem, now));
    } else if (now.Focus != before.Focus && now.Focus.Kind != TargetKind::None) {
        after.Effects.push_back(Say(SpeechCue::Focus, now));
    } else if (event.Kind == EventKind::Key && event.Pressed == Key::Choose && now != before) {
        after.Effects.push_back(Say(SpeechCue::Chosen, now, chosen));
    }
    return after;
}

bool StartsSpeech(const FlowConfig& config, const FlowState& state, const Event& event) {
    return config.SpeechAvailable && event.Kind == EventKind::Tap &&
           event.Tapped.Kind == TargetKind::SpeechSpot && event.HeldMs >= config.SpeechHoldMs &&
           (state.Current == Screen::Attract || IsQuestionScreen(state.Current));
}

Transition StartSpeechBySpot(const FlowConfig& config, const FlowState& state) {
    FlowState next = state;
    StartSpeech(config, next);
    return Saying(std::move(next), SpeechCue::Help);
}

}  // namespace doorstep
