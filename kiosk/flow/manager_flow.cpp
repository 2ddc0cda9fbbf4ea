// Manager mode, the part of the flow a store manager sees.
//
//   Attract --ManagerCorner held >= ManagerHoldMs--> PinEntry --PinOk--> (effect CheckPin)
//   PinEntry --PinChecked Accepted--> Manager
//   PinEntry --PinChecked Rejected | LockedOut--> PinEntry (digits cleared, message shown)
//   PinEntry --PinCancel-->                       Attract
//   Manager  --tabs, period, toggles, pages-->    Manager
//   Manager  --Alerts tab: previous/next, a short note-->  Manager
//   Manager  --AcknowledgeAlert | ResolveAlert--> Manager (effects ActOnAlert, then SyncNow)
//   Manager  --StartStaffRating-->                StaffNeed(0) --Face...--> StaffSaving
//   StaffSaving --CommitFinished-->               Manager (Staff tab: the gap chart)
//   StaffNeed --StartOver, or Back on the first need--> Manager (nothing recorded)
//   Manager  --ExitManager-->                     Attract
//   any manager screen --Tick past ManagerIdleTimeoutMs--> Attract
//
// Transitions: ReduceManagerTap() for taps, ReducePinChecked() for the vault's answer; Reduce()
// in flow.cpp routes to them and handles the idle timeout.
//
// Invariants:
//   * Leaving manager mode always goes through InitialFlowState(): no PIN digit, figure, tab or
//     toggle stays for the next person at the terminal.
//   * The PIN never leaves the state except inside one CheckPin effect, and the digits are
//     cleared in the same transition.
//   * A staff rating records at most one response, kind staff, only from its last need.
//   * Reduce() stays pure: the vault check, sync and export are effects the window carries out.
#include <utility>

#include "kiosk/flow/flow_internal.hpp"

namespace doorstep {
namespace {

constexpr size_t kMaxPinDigits = 8;
constexpr size_t kMinPinDigits = 4;

Transition ReducePinEntry(const FlowConfig& config, FlowState state, const Target& target) {
    switch (target.Kind) {
        case TargetKind::PinDigit:
            if (state.PinDigits.size() < kMaxPinDigits && target.Index >= 0 && target.Index <= 9) {
                state.PinDigits.push_back(static_cast<char>('0' + target.Index));
            }
            break;
        case TargetKind::PinBackspace:
            if (!state.PinDigits.empty()) {
                state.PinDigits.pop_back();
            }
            break;
        case TargetKind::PinOk:
            if (state.PinDigits.size() >= kMinPinDigits) {
                Effect check{EffectKind::CheckPin, {}, std::move(state.PinDigits)};
                state.PinDigits.clear();
                return {std::move(state), {std::move(check)}};
            }
            break;
        case TargetKind::PinCancel:
            return {InitialFlowState(config), {}};
        default:
            break;
    }
    return {std::move(state), {}};
}

Transition ReduceManagerHome(const FlowConfig& config, FlowState state, const Event& event) {
    const Target& target = event.Tapped;
    switch (target.Kind) {
        case TargetKind::ManagerTabChoice:
            if (target.Index >= 0 && target.Index < kManagerTabCount) {
                state.Tab = static_cast<ManagerTab>(target.Index);
                state.AlertIndex = 0;
                state.AlertNoteIndex = -1;
            }
            break;
        case TargetKind::AlertPrevious:
            state.AlertIndex = state.AlertIndex > 0 ? state.AlertIndex - 1 : 0;
            state.AlertNoteIndex = -1;
            break;
        case TargetKind::AlertNext:
            state.AlertIndex += 1;  // the screen clamps it to the alerts there are
            state.AlertNoteIndex = -1;
            break;
        case TargetKind::AlertNoteChoice:
            if (target.Index >= 0 && target.Index < kAlertNoteCount) {
                state.AlertNoteIndex = state.AlertNoteIndex == target.Index ? -1 : target.Index;
            }
            break;
        case TargetKind::AcknowledgeAlert:
        case TargetKind::ResolveAlert: {
            Effect act{EffectKind::ActOnAlert,
                       {},
                       target.Kind == TargetKind::AcknowledgeAlert ? "acknowledge" : "resolve",
                       state.AlertIndex,
                       state.AlertNoteIndex};
            state.AlertNoteIndex = -1;
            return {std::move(state), {std::move(act), {EffectKind::SyncNow, {}, {}}}};
        }
        case TargetKind::PeriodChoice:
            if (target.Index >= 0 && target.Index < kSummaryPeriodCount) {
                state.Period = static_cast<SummaryPeriod>(target.Index);
                state.CommentsPage = 0;
            }
            break;
        case TargetKind::ToggleSuspect:
            state.IncludeSuspect = !state.IncludeSuspect;
            break;
        case TargetKind::ToggleNegative:
            state.NegativeOnly = !state.NegativeOnly;
            state.CommentsPage = 0;
            break;
        case TargetKind::PageNext:
            state.CommentsPage += 1;
            break;
        case TargetKind::PagePrevious:
            state.CommentsPage = state.CommentsPage > 0 ? state.CommentsPage - 1 : 0;
            break;
        case TargetKind::HeatMapNeed:
            if (target.Index >= 0 && target.Index < static_cast<int>(config.NeedIds.size())) {
                state.HeatMapNeedIndex = target.Index;
            }
            break;
        case TargetKind::StartStaffRating:
            if (!config.NeedIds.empty()) {
                state.Current = Screen::StaffNeed;
                state.NeedIndex = 0;
                state.Scores.assign(config.NeedIds.size(), 0);
                state.StartedAt = event.Now;
            }
            break;
        case TargetKind::SyncNow:
            return {std::move(state), {{EffectKind::SyncNow, {}, {}}}};
        case TargetKind::ExportCsv:
            return {std::move(state), {{EffectKind::ExportCsv, {}, {}}}};
        case TargetKind::ExitManager:
            return {InitialFlowState(config), {}};
        default:
            break;
    }
    return {std::move(state), {}};
}

Transition ReduceStaffNeed(const FlowConfig& config, FlowState state, const Event& event) {
    const Target& target = event.Tapped;
    const int need_count = static_cast<int>(config.NeedIds.size());
    auto back_to_manager = [&] {
        state.Current = Screen::Manager;
        state.Tab = ManagerTab::Staff;
        state.Scores.clear();
        state.NeedIndex = 0;
    };
    if (target.Kind == TargetKind::StartOver ||
        (target.Kind == TargetKind::Back && state.NeedIndex == 0)) {
        back_to_manager();
    } else if (target.Kind == TargetKind::Back) {
        state.NeedIndex -= 1;
    } else if (target.Kind == TargetKind::Face && target.Index >= 1 && target.Index <= 5) {
        state.Scores[static_cast<size_t>(state.NeedIndex)] = target.Index;
        if (state.NeedIndex + 1 < need_count) {
            state.NeedIndex += 1;
        } else {
            FlowConfig staff = config;
            staff.Kind = ResponseKind::Staff;
            Response record = BuildResponse(staff, state, event.Now, ResponseStatus::Completed);
            state.Current = Screen::StaffSaving;
            return {std::move(state), {{EffectKind::RecordResponse, std::move(record), {}}}};
        }
    }
    return {std::move(state), {}};
}

}  // namespace

bool IsManagerScreen(Screen screen) {
    return screen == Screen::PinEntry || screen == Screen::Manager || screen == Screen::StaffNeed ||
           screen == Screen::StaffSaving;
}

Transition ReduceManagerTap(const FlowConfig& config, FlowState state, const Event& event) {
    if (state.Current != Screen::StaffSaving) {
        state.LastInputMonoMs = event.Now.MonoMs;
    }
    switch (state.Current) {
        case Screen::PinEntry:
            return ReducePinEntry(config, std::move(state), event.Tapped);
        case Screen::Manager:
            return ReduceManagerHome(config, std::move(state), event);
        case Screen::StaffNeed:
            return ReduceStaffNeed(config, std::move(state), event);
        default:
            return {std::move(state), {}};  // StaffSaving: the commit is under way
    }
}

Transition ReducePinChecked(const FlowConfig& config, FlowState state, const Event& event) {
    static_cast<void>(config);
    if (state.Current != Screen::PinEntry) {
        return {std::move(state), {}};  // the pad timed out while the vault was checking
    }
    state.PinDigits.clear();
    switch (event.Pin) {
        case PinAnswer::Accepted:
            state.Current = Screen::Manager;
            state.Tab = ManagerTab::Summary;
            state.PinMessageKey.clear();
            break;
        case PinAnswer::Rejected:
            state.PinMessageKey = "pin_wrong";
            state.PinAttemptsLeft = event.PinAttemptsLeft;
            break;
        case PinAnswer::LockedOut:
            state.PinMessageKey = "pin_locked";
            state.PinLockedUntilWallMs = event.PinLockedUntilWallMs;
            break;
        case PinAnswer::NoPin:
            state.PinMessageKey = "pin_none";
            break;
    }
    return {std::move(state), {}};
}

}  // namespace doorstep
