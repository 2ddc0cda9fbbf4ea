// The customer flow.
//
//                 Start                 last face           pick need
//   +---------+  ------>  +--------+  ----------->  +----------+  ----->  +---------+
//   | Attract |           |  Need  | (one per need) | LeastMet |          | Comment |
//   +---------+  <------  +--------+  <-----------  +----------+  <-----  +---------+
//     ^   ^ ^   Back on       Back                      Back         Back  | Skip/Done
//     |   | |   first need                                                 v
//     |   | |                                                        +---------+
//     |   | +--- StartOver / idle timeout (abandon) ---------------- |  Intent |
//     |   |                                                          +---------+
//     |   |  ThankYouMs elapsed or Dismiss  +----------+  commit   +--------+ | score
//     |   +-------------------------------- | ThankYou | <-------- | Saving | <
//     |                                     +----------+  returned +--------+
//     |                         low answer:  |ContactYes        ^ Send, readable (LeaveContact)
//     |   Cancel / Start over / idle    +---------+             |
//     +-------------------------------- | Contact | ------------+     (contact_flow.cpp)
//                                       +---------+
//
//   Opening hours and accessibility, around the attract screen:
//
//   +--------+  Tick, outside hours  +---------+  AccessToggle: flip a mode
//   | Closed | <-------------------  | Attract | -----------------------+
//   +--------+  ------------------>  +---------+ <----------------------+
//       |       Tick, inside hours        ^      Tick, idle with a mode on: modes off
//       +-- corner held 3 s --> PinEntry -+-- manager mode ends (InitialFlowState)
//
//   Keys and speech mode, on every screen: keypad_flow.cpp.
//
// Transitions, all in Reduce():
//   Attract  --Start-->            Need(0)           (stamps StartedAt)
//   Need(i)  --Face-->             Need(i+1) | LeastMet
//   Intent   --IntentScore-->      Saving            (effect: RecordResponse, completed)
//   Saving   --CommitFinished-->   ThankYou          (effect runner reports the commit returned)
//   question --StartOver | Tick past IdleTimeoutMs--> Attract
//                                                    (effect: RecordResponse, abandoned, if any
//                                                     answer was given)
//   ThankYou --Tick past ThankYouMs | Dismiss-->  Attract
//   Attract  --Tick outside opening hours-->  Closed   (opening_hours.hpp; a customer already
//                                                    answering finishes, or the idle timeout
//                                                    abandons as usual, then Attract closes)
//   Closed   --Tick inside opening hours-->   Attract
//   Closed   --ManagerCorner held ManagerHoldMs--> PinEntry (every other tap is ignored)
//   Attract  --AccessToggle-->     Attract           (flips one accessibility mode, access.hpp)
//   Attract  --Tick past IdleTimeoutMs with a mode on--> Attract, modes off
//
// Invariants:
//   * Every move to Attract goes through InitialFlowState(): nothing one customer chose, typed or
//     switched (language, shift, comment, accessibility modes) is visible to the next. The
//     modes survive a language switch and the whole pass, and end with it.
//   * "Thank you" is shown only after CommitFinished, i.e. after the store's commit returned (the
//     answer is durable, or held in memory by the recorder for retry when the disk refused it).
//   * Exactly one RecordResponse per customer pass: completed from Intent, or abandoned from a
//     question screen. Saving ignores taps and timeouts, so nothing is recorded twice.
//   * Reduce() is pure: no clock, no I/O, no randomness. Time arrives inside events (the local
//     weekday and time of day for opening hours are read from the event's wall clock and the
//     process's time zone).
//   * Closed starts no response: nothing tapped there is ever recorded.
//   * A contact is offered only on the thank-you of a completed, durable, low answer
//     (IsLowAnswer) when config.OfferContact, at most once per pass; what is typed leaves the
//     state only in LeaveContact, and only once the customer taps Send with a readable contact.
//   * A recorded comment is scrubbed of e-mail addresses and phone and card numbers
//     (scrub.hpp); what the customer typed lives only in the state, in memory.
#include "kiosk/flow/flow.hpp"

#include <algorithm>
#include <utility>

#include "core/base/text.hpp"
#include "kiosk/flow/flow_internal.hpp"
#include "kiosk/flow/scrub.hpp"

namespace doorstep {
namespace {

bool AnyAnswer(const FlowState& state) {
    bool any_score =
        std::any_of(state.Scores.begin(), state.Scores.end(), [](int score) { return score != 0; });
    return any_score || !state.LeastMet.empty() || state.Intent.has_value() ||
           !state.Comment.empty();
}

}  // namespace

Response BuildResponse(const FlowConfig& config, const FlowState& state, const Clock& now,
                       ResponseStatus status) {
    Response response;
    response.SurveyId = config.SurveyId;
    response.SurveyVersion = config.SurveyVersion;
    response.Door = config.Door;
    response.Language = state.Language;
    response.Kind = config.Kind;
    response.Status = status;
    if (status == ResponseStatus::Abandoned) {
        response.AbandonedAt = StepId(config, state);
    }
    response.StartedAtMs = state.StartedAt.WallMs;
    response.EndedAtMs = now.WallMs;
    response.DurationMs = std::max<int64_t>(0, now.MonoMs - state.StartedAt.MonoMs);
    for (size_t i = 0; i < config.NeedIds.size() && i < state.Scores.size(); ++i) {
        if (state.Scores[i] != 0) {
            response.Scores.push_back({config.NeedIds[i], state.Scores[i]});
        }
    }
    response.LeastMet = state.LeastMet;
    response.Intent = state.Intent;
    // Only the scrubbed comment leaves the screen's state: the original never reaches the disk.
    response.Comment = ScrubPersonalData(state.Comment);
    return response;
}

namespace {

// Leaves the question screens without finishing: what was answered is data too.
Transition Abandon(const FlowConfig& config, const FlowState& state, const Clock& now) {
    Transition result{InitialFlowState(config), {}};
    if (AnyAnswer(state)) {
        result.Effects.push_back({EffectKind::RecordResponse,
                                  BuildResponse(config, state, now, ResponseStatus::Abandoned),
                                  {}});
    }
    return result;
}

std::string TrimSpaces(const std::string& text) {
    size_t first = text.find_first_not_of(' ');
    if (first == std::string::npos) {
        return {};
    }
    size_t last = text.find_last_not_of(' ');
    return text.substr(first, last - first + 1);
}

}  // namespace

bool ApplyKeyboard(FlowState& state, std::string& text, size_t max_chars, const Target& target) {
    auto type = [&](const std::string& typed) {
        if (CountCodePoints(text) + CountCodePoints(typed) <= max_chars) {
            text += typed;
        }
    };
    switch (target.Kind) {
        case TargetKind::Key:
            type(state.ShiftOn ? ToUpperKey(target.Text) : target.Text);
            state.ShiftOn = false;  // one-shot shift, as on phones
            return true;
        case TargetKind::Space:
            if (!text.empty() && text.back() != ' ') {
                type(" ");
            }
            return true;
        case TargetKind::Backspace:
            PopLastCodePoint(text);
            return true;
        case TargetKind::Shift:
            state.ShiftOn = !state.ShiftOn;
            return true;
        case TargetKind::SymbolsToggle:
            state.SymbolsOn = !state.SymbolsOn;
            state.ShiftOn = false;
            return true;
        default:
            return false;
    }
}

namespace {

Transition ReduceComment(const FlowConfig& config, FlowState state, const Target& target) {
    std::string comment = std::move(state.Comment);
    bool typed = ApplyKeyboard(state, comment, static_cast<size_t>(config.CommentMaxChars), target);
    state.Comment = std::move(comment);
    if (typed) {
        return {std::move(state), {}};
    }
    switch (target.Kind) {
        case TargetKind::Skip:
            state.Comment.clear();
            state.Current = Screen::Intent;
            break;
        case TargetKind::Done:
            state.Comment = TrimSpaces(state.Comment);
            state.Current = Screen::Intent;
            break;
        case TargetKind::Back:
            state.Current = Screen::LeastMet;
            break;
        default:
            break;
    }
    return {std::move(state), {}};
}

}  // namespace

Transition ReduceTap(const FlowConfig& config, FlowState state, const Event& event) {
    const Target& target = event.Tapped;
    const int need_count = static_cast<int>(config.NeedIds.size());
    if (IsQuestionScreen(state.Current)) {
        if (target.Kind == TargetKind::StartOver ||
            (target.Kind == TargetKind::Back && state.Current == Screen::Need &&
             state.NeedIndex == 0)) {
            return Abandon(config, state, event.Now);
        }
        state.LastInputMonoMs = event.Now.MonoMs;
    }
    switch (state.Current) {
        case Screen::Attract:
            if (target.Kind == TargetKind::ManagerCorner && event.HeldMs >= config.ManagerHoldMs) {
                state.Current = Screen::PinEntry;
                state.LastInputMonoMs = event.Now.MonoMs;
            } else if (target.Kind == TargetKind::AccessToggle) {
                state.Access = Toggled(state.Access, target.Index);
                state.LastInputMonoMs = event.Now.MonoMs;
            } else if (target.Kind == TargetKind::Language && target.Index >= 0 &&
                       target.Index < static_cast<int>(config.Languages.size())) {
                state.Language = config.Languages[target.Index];
                state.LastInputMonoMs = event.Now.MonoMs;  // someone is here: hold any new survey
            } else if ((target.Kind == TargetKind::Start ||
                        target.Kind == TargetKind::ManagerCorner ||
                        target.Kind == TargetKind::SpeechSpot) &&
                       need_count > 0) {  // a short tap in a corner is just a tap
                state.Current = Screen::Need;
                state.NeedIndex = 0;
                state.Scores.assign(config.NeedIds.size(), 0);
                state.StartedAt = event.Now;
                state.LastInputMonoMs = event.Now.MonoMs;
            }
            break;
        case Screen::Need:
            if (target.Kind == TargetKind::Face && target.Index >= 1 && target.Index <= 5) {
                state.Scores[state.NeedIndex] = target.Index;
                if (state.NeedIndex + 1 < need_count) {
                    state.NeedIndex += 1;
                } else {
                    state.Current = Screen::LeastMet;
                }
            } else if (target.Kind == TargetKind::Back) {
                state.NeedIndex -= 1;
            }
            break;
        case Screen::LeastMet:
            if (target.Kind == TargetKind::LeastMetNeed && target.Index >= 0 &&
                target.Index < need_count) {
                state.LeastMet = config.NeedIds[target.Index];
                state.Current = Screen::Comment;
            } else if (target.Kind == TargetKind::Back) {
                state.Current = Screen::Need;
                state.NeedIndex = need_count - 1;
            }
            break;
        case Screen::Comment:
            return ReduceComment(config, std::move(state), target);
        case Screen::Intent:
            if (target.Kind == TargetKind::IntentScore && target.Index >= 0 && target.Index <= 10) {
                state.Intent = target.Index;
                state.Current = Screen::Saving;
                Response record =
                    BuildResponse(config, state, event.Now, ResponseStatus::Completed);
                return {std::move(state), {{EffectKind::RecordResponse, std::move(record), {}}}};
            }
            if (target.Kind == TargetKind::Back) {
                state.Current = Screen::Comment;
            }
            break;
        case Screen::Saving:
            break;  // the commit is under way; nothing may record twice
        case Screen::ThankYou:
        case Screen::Contact:
            return ReduceContactTap(config, std::move(state), event);
        case Screen::Closed:
            if (target.Kind == TargetKind::ManagerCorner && event.HeldMs >= config.ManagerHoldMs) {
                state.Current = Screen::PinEntry;
                state.LastInputMonoMs = event.Now.MonoMs;
            }
            break;  // no customer is taken outside opening hours
        default:
            return ReduceManagerTap(config, std::move(state), event);
    }
    return {std::move(state), {}};
}

namespace {

Transition ReduceTick(const FlowConfig& config, const FlowState& state, const Event& event) {
    if (IsQuestionScreen(state.Current) &&
        event.Now.MonoMs - state.LastInputMonoMs >= config.IdleTimeoutMs) {
        return Abandon(config, state, event.Now);
    }
    if (state.Current == Screen::Attract && state.Access.Any() &&
        event.Now.MonoMs - state.LastInputMonoMs >= config.IdleTimeoutMs) {
        FlowState next = state;
        next.Access = {};  // switched on, then nobody started: not for the next customer
        return {std::move(next), {}};
    }
    if (state.Current == Screen::ThankYou && event.Now.MonoMs >= state.ThankYouUntilMonoMs) {
        return {InitialFlowState(config), {}};
    }
    if (state.Current == Screen::Contact &&
        event.Now.MonoMs - state.LastInputMonoMs >= config.IdleTimeoutMs) {
        return {InitialFlowState(config), {}};  // walked away: what was typed is forgotten
    }
    if (IsManagerScreen(state.Current) && state.Current != Screen::StaffSaving &&
        event.Now.MonoMs - state.LastInputMonoMs >= config.ManagerIdleTimeoutMs) {
        return {InitialFlowState(config), {}};  // nothing of manager mode stays visible
    }
    return {state, {}};
}

// Closes an attract screen outside opening hours and opens a closed one inside them. Only these
// two: a customer answering is never cut short, and manager mode stays usable.
Transition FollowOpeningHours(const FlowConfig& config, Transition result, const Clock& now) {
    if (!config.Hours) {
        return result;
    }
    bool open = IsOpen(config, now);
    if (result.State.Current == Screen::Attract && !open) {
        result.State = InitialFlowState(config);
        result.State.Current = Screen::Closed;
    } else if (result.State.Current == Screen::Closed && open) {
        result.State = InitialFlowState(config);
    }
    return result;
}

}  // namespace

bool IsOpen(const FlowConfig& config, const Clock& now) {
    return !config.Hours || IsOpenAt(*config.Hours, LocalClockOf(now.WallMs));
}

bool IsQuestionScreen(Screen screen) {
    return screen == Screen::Need || screen == Screen::LeastMet || screen == Screen::Comment ||
           screen == Screen::Intent;
}

bool CanSwitchSurvey(const FlowState& state, int64_t now_mono_ms) {
    return (state.Current == Screen::Attract || state.Current == Screen::Closed) &&
           now_mono_ms - state.LastInputMonoMs >= kSurveySwitchQuietMs;
}

FlowState InitialFlowState(const FlowConfig& config) {
    FlowState state;
    state.Language = config.DefaultLanguage;
    return state;
}

namespace {

Transition ReduceEvent(const FlowConfig& config, const FlowState& state, const Event& event) {
    switch (event.Kind) {
        case EventKind::Tap:
            if (StartsSpeech(config, state, event)) {
                return StartSpeechBySpot(config, state);
            }
            return ReduceTap(config, state, event);
        case EventKind::Key:
            return ReduceKey(config, state, event);
        case EventKind::Tick:
            return FollowOpeningHours(config, ReduceTick(config, state, event), event.Now);
        case EventKind::PinChecked:
            return ReducePinChecked(config, state, event);
        case EventKind::CommitFinished:
            if (state.Current == Screen::StaffSaving) {
                FlowState next = state;
                next.Current = Screen::Manager;
                next.Tab = ManagerTab::Staff;
                next.Scores.clear();
                next.NeedIndex = 0;
                next.LastInputMonoMs = event.Now.MonoMs;
                return {std::move(next), {}};
            }
            if (state.Current == Screen::Saving) {
                return FinishSaving(config, state, event);
            }
            return {state, {}};  // an abandoned response's commit: the screen has moved on
    }
    return {state, {}};
}

}  // namespace

Transition Reduce(const FlowConfig& config, const FlowState& state, const Event& event) {
    return FollowSpeech(state, event, ReduceEvent(config, state, event));
}

std::optional<int64_t> NextDeadlineMonoMs(const FlowConfig& config, const FlowState& state) {
    if (IsQuestionScreen(state.Current)) {
        return state.LastInputMonoMs + config.IdleTimeoutMs;
    }
    if (state.Current == Screen::ThankYou) {
        return state.ThankYouUntilMonoMs;
    }
    if (state.Current == Screen::Contact) {
        return state.LastInputMonoMs + config.IdleTimeoutMs;
    }
    if (state.Current == Screen::Attract && state.Access.Any()) {
        return state.LastInputMonoMs + config.IdleTimeoutMs;
    }
    if (IsManagerScreen(state.Current) && state.Current != Screen::StaffSaving) {
        return state.LastInputMonoMs + config.ManagerIdleTimeoutMs;
    }
    return std::nullopt;
}

int QuestionCount(const FlowConfig& config) {
    return static_cast<int>(config.NeedIds.size()) + 3;  // needs, least met, comment, intent
}

int QuestionNumber(const FlowConfig& config, const FlowState& state) {
    const int needs = static_cast<int>(config.NeedIds.size());
    switch (state.Current) {
        case Screen::Need:
            return state.NeedIndex + 1;
        case Screen::LeastMet:
            return needs + 1;
        case Screen::Comment:
            return needs + 2;
        case Screen::Intent:
            return needs + 3;
        default:
            return 0;
    }
}

std::string StepId(const FlowConfig& config, const FlowState& state) {
    switch (state.Current) {
        case Screen::Need:
            if (state.NeedIndex >= 0 && state.NeedIndex < static_cast<int>(config.NeedIds.size())) {
                return "need:" + config.NeedIds[state.NeedIndex];
            }
            return "need";
        case Screen::LeastMet:
            return "least_met";
        case Screen::Comment:
            return "comment";
        case Screen::Intent:
            return "intent";
        case Screen::Saving:
            return "saving";
        default:
            return "attract";
    }
}

}  // namespace doorstep
