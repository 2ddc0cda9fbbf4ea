// Service recovery in the customer flow: the thank-you after a low answer, and the contact
// screen behind its "Yes, contact me".
//
//   Saving --CommitFinished--> ThankYou (offers when config.OfferContact, the answer is low,
//                              durable and has its id, and no contact was left this pass)
//   ThankYou --ContactYes (offered)--> Contact        --Dismiss--> Attract
//   Contact  --keys--> Contact (typing into ContactText, which clears the problem shown)
//   Contact  --Done, unreadable--> Contact (ContactProblem names why, in the survey's words)
//   Contact  --Done, readable--> Saving (effect: LeaveContact) --CommitFinished--> ThankYou,
//                                saying "we will be in touch" or, when the store could not
//                                keep it, to ask a member of staff; it offers nothing again
//   Contact  --Back--> ThankYou, offering again (what was typed is dropped)
//   Contact  --Skip (Cancel) | StartOver | idle timeout--> Attract, nothing kept
//
// Invariants:
//   * The answer is already stored when the contact is offered: leaving, cancelling or timing
//     out changes nothing of it.
//   * ContactText is the only copy of what is typed, in memory; LeaveContact carries the contact
//     to the store, which seals it before it writes it (core/alerts/contact.hpp).
#include "core/alerts/contact.hpp"
#include "kiosk/flow/flow_internal.hpp"

namespace doorstep {
namespace {

// ReadContact's reason -> the survey's words key for it.
std::string ProblemKey(const std::string& reason) {
    if (reason == "contact_empty") {
        return "problem_empty";
    }
    return reason == "contact_too_long" ? "problem_too_long" : "problem_unreadable";
}

Transition ReduceContactScreen(const FlowConfig& config, FlowState state, const Event& event) {
    const Target& target = event.Tapped;
    state.LastInputMonoMs = event.Now.MonoMs;
    std::string typed = std::move(state.ContactText);
    // A little room over the limit, so the customer sees "too long" rather than dead keys.
    bool keyed = ApplyKeyboard(state, typed, kMaxContactBytes + 8, target);
    state.ContactText = std::move(typed);
    if (keyed) {
        state.ContactProblem.clear();
        return {std::move(state), {}};
    }
    switch (target.Kind) {
        case TargetKind::Done: {
            Result<Contact> contact = ReadContact(state.ContactText);
            if (!contact.Ok()) {
                state.ContactProblem = ProblemKey(contact.Err().Message);
                return {std::move(state), {}};
            }
            Effect leave;
            leave.Kind = EffectKind::LeaveContact;
            leave.Contact = contact->Text;
            leave.ResponseUuid = state.RecordedUuid;
            state.ContactText.clear();
            state.ContactProblem.clear();
            state.ContactLeft = true;
            state.Current = Screen::Saving;
            return {std::move(state), {std::move(leave)}};
        }
        case TargetKind::Back:  // to the offer, which waits as long as it did at first
            state.Current = Screen::ThankYou;
            state.ContactText.clear();
            state.ContactProblem.clear();
            state.ThankYouUntilMonoMs = event.Now.MonoMs + config.ContactOfferMs;
            return {std::move(state), {}};
        case TargetKind::Skip:
        case TargetKind::StartOver:
            return {InitialFlowState(config), {}};
        default:
            return {std::move(state), {}};
    }
}

}  // namespace

Transition ReduceContactTap(const FlowConfig& config, FlowState state, const Event& event) {
    if (state.Current == Screen::Contact) {
        return ReduceContactScreen(config, std::move(state), event);
    }
    if (event.Tapped.Kind == TargetKind::ContactYes && state.ContactOffered && !state.ContactLeft) {
        state.Current = Screen::Contact;
        state.ContactText.clear();
        state.ContactProblem.clear();
        state.ShiftOn = false;
        state.SymbolsOn = false;
        state.LastInputMonoMs = event.Now.MonoMs;
        return {std::move(state), {}};
    }
    if (event.Tapped.Kind == TargetKind::Dismiss) {
        return {InitialFlowState(config), {}};
    }
    return {std::move(state), {}};
}

Transition FinishSaving(const FlowConfig& config, const FlowState& state, const Event& event) {
    FlowState next = state;
    next.Current = Screen::ThankYou;
    next.ThankYouUntilMonoMs = event.Now.MonoMs + config.ThankYouMs;
    if (state.ContactLeft) {
        next.ContactKept = event.CommitDurable;
        next.ContactOffered = false;
        return {std::move(next), {}};
    }
    next.LastCommitDurable = event.CommitDurable;
    next.RecordedUuid = event.ResponseUuid;
    next.ContactOffered =
        config.OfferContact && event.CommitDurable && !event.ResponseUuid.empty() &&
        IsLowAnswer(BuildResponse(config, state, event.Now, ResponseStatus::Completed));
    if (next.ContactOffered) {
        next.ThankYouUntilMonoMs = event.Now.MonoMs + config.ContactOfferMs;
    }
    return {std::move(next), {}};
}

}  // namespace doorstep
