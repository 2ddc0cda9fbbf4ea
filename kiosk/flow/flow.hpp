// The customer flow as a pure reducer: Reduce(config, state, event) -> state + effects.
// The window draws FlowState and turns input into Events; it decides nothing itself.
// (State diagram and invariants: see the header comment of flow.cpp.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/response/response.hpp"
#include "kiosk/flow/access.hpp"
#include "kiosk/flow/opening_hours.hpp"

namespace doorstep {

enum class Screen {
    Attract,
    Need,
    LeastMet,
    Comment,
    Intent,
    Saving,
    ThankYou,
    Contact,  // after a low answer, the customer chose to leave a way to reach them
    Closed,   // outside opening hours: calm and dimmed; only the manager's corner answers
    // Manager mode (manager_flow.cpp): reached by a long press in the attract screen's corner.
    PinEntry,
    Manager,
    StaffNeed,
    StaffSaving,
};

// Manager mode's tabs, in display order.
enum class ManagerTab { Summary, HeatMap, Comments, Staff, Sync, Alerts };
inline constexpr int kManagerTabCount = 6;
// The short notes a manager can give an alert they act on, in display order (manager.json
// "alert_note_0" ..): typing is slow at a terminal, and these say what usually happened.
inline constexpr int kAlertNoteCount = 3;
// The periods a summary can cover, in display order.
enum class SummaryPeriod { Today, Last7Days, Last28Days };
inline constexpr int kSummaryPeriodCount = 3;
enum class PinAnswer { Accepted, Rejected, LockedOut, NoPin };

// What the reducer needs to know about the survey and the terminal. Built once per survey.
struct FlowConfig {
    std::string SurveyId;
    int SurveyVersion = 0;
    std::string Door;
    std::string DefaultLanguage;
    std::vector<std::string> Languages;  // codes, in display order
    std::vector<std::string> NeedIds;    // enabled needs, in display order
    int CommentMaxChars = 500;
    ResponseKind Kind = ResponseKind::Customer;
    int64_t IdleTimeoutMs = 20000;  // silence on a question screen before the response is abandoned
    int64_t ThankYouMs = 3000;      // how long "thank you" stays up
    int64_t ManagerIdleTimeoutMs = 60000;  // manager mode leaves by itself after this
    int64_t ManagerHoldMs = 3000;          // how long the hidden corner must be held
    std::optional<OpeningHours> Hours;     // none: always open
    // Service recovery: the survey offers "May we contact you?" after a low answer and the
    // terminal holds head office's key to seal what is typed (core/alerts/contact.hpp).
    bool OfferContact = false;
    int64_t ContactOfferMs = 15000;  // how long a thank-you that offers it stays up
    // Speech (keypad_flow.cpp): whether the terminal can speak (the survey has "speech" and the
    // synthesizer started), the volume speech mode starts at, 0..kMaxSpeechVolume, and how long
    // the attract screen's tactile spot must be held to start it.
    bool SpeechAvailable = false;
    int SpeechVolume = 7;
    int64_t SpeechHoldMs = 2000;
};

inline constexpr int kMaxSpeechVolume = 10;

enum class TargetKind {
    None,
    Start,         // attract: begin
    Language,      // attract: Index = position in FlowConfig::Languages
    Face,          // need: Index = score 1..5
    LeastMetNeed,  // least-met: Index = position in FlowConfig::NeedIds
    IntentScore,   // intent: Index = 0..10
    Back,
    StartOver,
    Key,  // comment: Text = the key's code point as shown (before shift)
    Shift,
    SymbolsToggle,
    Backspace,
    Space,
    Skip,
    Done,
    Dismiss,       // thank-you: any tap returns to attract early
    ContactYes,    // thank-you after a low answer: "Yes, contact me"
    AccessToggle,  // attract: Index = AccessMode
    SpeechSpot,    // attract: the tactile-marked spot; a press held SpeechHoldMs starts speech
    // Manager mode.
    ManagerCorner,  // attract: the hidden corner; a press held 3 s opens the PIN pad
    PinDigit,       // Index = 0..9
    PinBackspace,
    PinOk,
    PinCancel,
    ManagerTabChoice,  // Index = ManagerTab
    PeriodChoice,      // Index = SummaryPeriod
    ToggleSuspect,     // show suspect responses in the figures too
    ToggleNegative,    // comments: negative ones only
    PageNext,
    PagePrevious,
    HeatMapNeed,  // Index = position in FlowConfig::NeedIds
    StartStaffRating,
    SyncNow,
    ExportCsv,
    ExitManager,
    AlertPrevious,    // alerts: the newer alert
    AlertNext,        // alerts: the older alert
    AlertNoteChoice,  // alerts: Index = which short note (0 .. kAlertNoteCount - 1)
    AcknowledgeAlert,
    ResolveAlert,
};

struct Target {
    TargetKind Kind = TargetKind::None;
    int Index = 0;
    std::string Text;
    bool operator==(const Target&) const = default;
};

struct Clock {
    int64_t WallMs = 0;  // UTC ms since epoch: dates the response
    int64_t MonoMs = 0;  // monotonic ms: durations and timeouts
    bool operator==(const Clock&) const = default;
};

enum class EventKind { Tap, Tick, CommitFinished, PinChecked, Key };

// A key of a keyboard or a USB numeric keypad, as the window maps it (docs/accessibility.md has
// the key map). Help and Repeat also start speech mode.
enum class Key {
    Next,      // Tab: the next control in reading order
    Previous,  // Shift+Tab
    Up,
    Down,
    Left,
    Right,
    Choose,  // Enter, Space: what a tap on the focused control does
    Back,    // Escape, Backspace: the screen's Back, Cancel or Close
    Repeat,  // say the screen again
    Help,    // say how to use the keys
    VolumeUp,
    VolumeDown,
};

// A control and where the layout placed it. The window hands over the current screen's with each
// key, so focus can move by position while the reducer stays pure.
struct FocusSpot {
    Target Tap;
    float X = 0;
    float Y = 0;
    float W = 0;
    float H = 0;
    bool operator==(const FocusSpot&) const = default;
};

struct Event {
    EventKind Kind = EventKind::Tick;
    Target Tapped;  // for Tap
    Clock Now;
    bool CommitDurable = true;   // for CommitFinished: false when the store held it in memory
                                 // (a contact: false when the store could not keep it)
    std::string ResponseUuid{};  // for CommitFinished of a completed answer: the id it was given
    int64_t HeldMs = 0;          // for Tap: how long the finger rested before lifting
    PinAnswer Pin = PinAnswer::Rejected;  // for PinChecked
    int PinAttemptsLeft = 0;              // for PinChecked, Rejected: before the next lockout
    int64_t PinLockedUntilWallMs = 0;     // for PinChecked, LockedOut
    Key Pressed = Key::Next;              // for Key
    std::vector<FocusSpot> Spots{};       // for Key: the screen's controls in reading order
};

struct FlowState {
    Screen Current = Screen::Attract;
    std::string Language;
    int NeedIndex = 0;          // on Screen::Need: which enabled need is asked
    std::vector<int> Scores;    // per enabled need: 1..5, 0 = not answered
    std::string LeastMet;       // need id or empty
    std::optional<int> Intent;  // 0..10
    std::string Comment;
    bool ShiftOn = false;
    bool SymbolsOn = false;
    Clock StartedAt;  // when Start was tapped
    int64_t LastInputMonoMs = 0;
    int64_t ThankYouUntilMonoMs = 0;
    bool LastCommitDurable = true;
    AccessModes Access;  // one customer's accessibility choices (access.hpp)
    // Keypad and speech (keypad_flow.cpp): the control a key press acts on (Kind None: none
    // yet on this screen), whether the screen is read aloud, and how loud.
    Target Focus;
    bool Speech = false;
    int Volume = 0;
    // Service recovery, after the answer was stored (contact_flow.cpp).
    std::string RecordedUuid;     // the completed answer's id, for the contact to name
    bool ContactOffered = false;  // this thank-you asks "May we contact you?"
    std::string ContactText;      // what is typed on the contact screen, in memory only
    std::string ContactProblem;   // words key ("problem_unreadable", ...) or empty
    bool ContactLeft = false;     // Send was tapped with a readable contact
    bool ContactKept = false;     // ... and the store kept it, sealed
    // Manager mode. Cleared, like everything else, by InitialFlowState() on the way out.
    std::string PinDigits;
    std::string PinMessageKey;  // "pin_wrong", "pin_locked": which words the pad shows
    int PinAttemptsLeft = 0;
    int64_t PinLockedUntilWallMs = 0;
    ManagerTab Tab = ManagerTab::Summary;
    SummaryPeriod Period = SummaryPeriod::Today;
    bool IncludeSuspect = false;
    bool NegativeOnly = false;
    int CommentsPage = 0;
    int HeatMapNeedIndex = 0;
    int AlertIndex = 0;       // alerts: which one is shown, 0 = the first listed
    int AlertNoteIndex = -1;  // alerts: the short note chosen, -1 none
    bool operator==(const FlowState&) const = default;
};

enum class EffectKind {
    RecordResponse,
    CheckPin,
    SyncNow,
    ExportCsv,
    ActOnAlert,
    LeaveContact,
    Speak,
};

// What to say (kiosk/speech/spoken_words.hpp turns it into words); each one interrupts what is
// being said.
enum class SpeechCue {
    Screen,   // the screen from the top: its title or question, and how many choices
    Focus,    // the focused control
    Chosen,   // what the focused control did, when the screen stayed (a key typed, a toggle)
    Help,     // how to use the keys
    Volume,   // the new volume, said at that volume
    Problem,  // the screen's problem (the contact screen's refusal)
    Stop,     // silence: speech mode ended
};

struct Effect {
    EffectKind Kind = EffectKind::RecordResponse;
    Response Record;     // RecordResponse: complete except Uuid, which the effect runner assigns
    std::string Pin;     // CheckPin: the digits entered; ActOnAlert: "acknowledge" | "resolve"
    int AlertIndex = 0;  // ActOnAlert: the alert as listed on the screen
    int AlertNoteIndex = -1;     // ActOnAlert: the short note, -1 none
    std::string Contact{};       // LeaveContact: the contact as read (ReadContact), to be sealed
    std::string ResponseUuid{};  // LeaveContact: the answer it belongs to
    SpeechCue Cue = SpeechCue::Screen;  // Speak
    Target Chosen{};  // Speak, Screen: the control chosen to get here, said first (none: Kind None)
    int Volume = 0;   // Speak: 0..kMaxSpeechVolume
};

struct Transition {
    FlowState State;
    std::vector<Effect> Effects;
};

// The state a new customer meets: attract screen, default language, nothing answered.
FlowState InitialFlowState(const FlowConfig& config);
Transition Reduce(const FlowConfig& config, const FlowState& state, const Event& event);

// Whether the terminal asks customers at this instant (always, without opening hours).
bool IsOpen(const FlowConfig& config, const Clock& now);
// Whether the screen is one of the question screens (where the idle timeout applies).
bool IsQuestionScreen(Screen screen);
// PIN pad, manager screens and the staff rating: the manager idle timeout applies.
bool IsManagerScreen(Screen screen);
// Nobody is answering, no manager is in, and nobody touched the attract screen (choosing a
// language, say) for a few seconds: a new survey definition may take over now, and only now, so
// a customer never sees the questions change under their finger.
inline constexpr int64_t kSurveySwitchQuietMs = 5000;
bool CanSwitchSurvey(const FlowState& state, int64_t now_mono_ms);
// Monotonic time at which the next Tick changes something, if any (for the UI loop's sleep).
std::optional<int64_t> NextDeadlineMonoMs(const FlowConfig& config, const FlowState& state);
// 1-based position of the current question and the number of questions, for "Question 2 of 6".
int QuestionNumber(const FlowConfig& config, const FlowState& state);
int QuestionCount(const FlowConfig& config);
// Step id stored with an abandoned response: "need:trust", "least_met", "comment", "intent".
std::string StepId(const FlowConfig& config, const FlowState& state);

}  // namespace doorstep
