#include "kiosk/app/kiosk_loop.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/base/log.hpp"
#include "core/base/uuid.hpp"
#include "kiosk/app/autopilot.hpp"
#include "kiosk/app/flow_config.hpp"
#include "kiosk/app/process_stats.hpp"
#include "kiosk/speech/spoken_words.hpp"
#include "kiosk/store/survey_source.hpp"

namespace doorstep {
namespace {

constexpr int64_t kMaxSleepMs = 1000;       // clocks and timeouts advance even when all is still
constexpr int64_t kRetryIntervalMs = 2000;  // how often answers held in memory retry the disk

}  // namespace

KioskLoop::KioskLoop(const KioskOptions& options, Window& window, Store& store, Survey survey,
                     std::unique_ptr<Uploader> uploader, ManagerModeOptions manager,
                     std::unique_ptr<Speaker> speaker)
    : Options_(options),
      Window_(window),
      Store_(store),
      Recorder_(store),
      Speaker_(std::move(speaker)),
      Survey_(std::move(survey)),
      Config_(ConfigFor(Survey_)),
      State_(InitialFlowState(Config_)),
      Tasks_([event = window.WakeEventType()] {
          SDL_Event wake{};
          wake.type = event;
          SDL_PushEvent(&wake);
      }),
      Uploader_(std::move(uploader)),
      Manager_(std::move(manager), store, Tasks_) {}

int KioskLoop::Run() {
    CheckVoices();
    WatchHeadphoneJack();
    if (Uploader_) {
        // The uploader's thread reports through the task queue; the UI thread owns the copy.
        Uploader_->Start(
            [this](const SyncStatus& status) {
                Tasks_.Post([this, status] {
                    Sync_ = status;
                    FollowContactKey();
                });
            },
            [this] { Tasks_.Post([this] { TakePushedSurvey(); }); });
    }
    while (Running_) {
        SDL_Event event;
        if (SDL_WaitEventTimeout(&event, SleepMs())) {
            Handle(event);
            while (SDL_PollEvent(&event)) {
                Handle(event);
            }
        }
        if (Tasks_.RunPending() > 0) {
            FramesToRender_ = std::max(FramesToRender_, 1);  // an export progressed, ...
        }
        FireHold();
        Dispatch({EventKind::Tick, {}, Now(), true});
        ApplyPendingSurvey();
        RetryHeldAnswers();
        if (FramesToRender_ > 0 || AnimationDue() || ManagerTickDue()) {
            Render();
        }
        DriveAutopilot();
        Systemd_.Alive();  // the watchdog: a loop that stops turning gets restarted
    }
    Shutdown();
    return 0;
}

ScreenLayout KioskLoop::CurrentLayout() const {
    return ComputeLayout(Window_.Size(), LayoutInputFor(Survey_, Config_, State_));
}

int KioskLoop::SleepMs() const {
    if (FramesToRender_ > 0 || Options_.Autopilot > 0) {
        return 0;
    }
    int64_t now = MonotonicClockMs();
    int64_t wake = now + kMaxSleepMs;
    if (State_.Current == Screen::Attract) {
        wake = std::min(wake, LastFrameMs_ + AttractFrameMs());
    }
    if (auto deadline = NextDeadlineMonoMs(Config_, State_)) {
        wake = std::min(wake, *deadline);
    }
    if (Recorder_.PendingCount() > 0) {
        wake = std::min(wake, NextRetryMs_);
    }
    if (FlashUntilMs_ > 0) {
        wake = std::min(wake, FlashUntilMs_);
    }
    if (std::optional<int64_t> hold = HoldNeededMs()) {
        wake = std::min(wake, PressStartMs_ + *hold);
    }
    if (IsManagerScreen(State_.Current)) {
        wake = std::min(wake, LastFrameMs_ + kManagerFrameMs);
    }
    return static_cast<int>(std::clamp<int64_t>(wake - now, 0, kMaxSleepMs));
}

void KioskLoop::Dispatch(const Event& event) {
    Transition next = Reduce(Config_, State_, event);
    if (!(next.State == State_)) {
        if (next.State.Current != State_.Current || next.State.NeedIndex != State_.NeedIndex) {
            Flash_.reset();  // feedback belongs to the question it was given on
        }
        if (State_.Current == Screen::Manager && next.State.Current == Screen::Attract) {
            Log(LogLevel::Info, "manager", "manager mode closed");
        }
        State_ = std::move(next.State);
        FramesToRender_ = kFramesAfterChange;
    }
    for (Effect& effect : next.Effects) {
        RunEffect(effect);
    }
}

void KioskLoop::RunEffect(Effect& effect) {
    switch (effect.Kind) {
        case EffectKind::RecordResponse:
            RecordResponse(effect.Record);
            break;
        case EffectKind::CheckPin:
            Dispatch(Manager_.CheckPin(effect.Pin, Now()));
            break;
        case EffectKind::SyncNow:
            if (Uploader_) {
                Uploader_->Wake();
            }
            break;
        case EffectKind::ExportCsv:
            Manager_.StartExport();
            break;
        case EffectKind::ActOnAlert:
            Manager_.ActOnAlert(effect);
            break;
        case EffectKind::Speak:
            Speak(effect);
            break;
        case EffectKind::LeaveContact: {
            // Kept before the customer reads "we will be in touch"; else they are told.
            bool kept = KeepCustomerContact(Store_, effect, WallClockMs());
            if (kept && Uploader_) {
                Uploader_->Wake();  // head office hears of it at once
            }
            Dispatch({EventKind::CommitFinished, {}, Now(), kept});
            break;
        }
    }
}

void KioskLoop::Speak(const Effect& effect) {
    if (!Speaker_) {
        return;
    }
    if (effect.Cue == SpeechCue::Stop) {
        Speaker_->Silence();
        return;
    }
    Speaker_->Say(SpokenWords(Survey_, Config_, State_, effect), Survey_.VoiceFor(State_.Language),
                  effect.Volume);
}

FlowConfig KioskLoop::ConfigFor(const Survey& survey) const {
    FlowConfig config = BuildFlowConfig(survey, Options_, OfferContact(Store_, survey));
    config.SpeechAvailable = config.SpeechAvailable && Speaker_ != nullptr;
    return config;
}

void KioskLoop::CheckVoices() {
    if (!Speaker_ || !Survey_.Speech.Enabled) {
        return;
    }
    std::vector<std::pair<std::string, std::string>> voices;
    for (const Language& language : Survey_.Languages) {
        voices.emplace_back(language.Code, Survey_.VoiceFor(language.Code));
    }
    Speaker_->ReportMissingVoices(std::move(voices));
}

void KioskLoop::FollowContactKey() {
    bool offer = OfferContact(Store_, Survey_);
    if (offer != Config_.OfferContact && State_.Current == Screen::Attract) {
        Config_.OfferContact = offer;
    }
}

void KioskLoop::RecordResponse(Response& record) {
    record.Uuid = NewUuidV7(WallClockMs());
    std::string uuid = record.Uuid;
    bool finishes = record.Status == ResponseStatus::Completed;
    RecordOutcome outcome = Recorder_.Record(std::move(record));
    TellHeadOfficeWhatIsUnsaved();
    if (!outcome.Durable) {
        NextRetryMs_ = MonotonicClockMs() + kRetryIntervalMs;
    } else if (Uploader_) {
        Uploader_->Wake();
    }
    if (finishes) {
        CompletedCount_ += 1;
        Event committed{EventKind::CommitFinished, {}, Now(), outcome.Durable};
        committed.ResponseUuid = uuid;
        Dispatch(committed);
    }
}

void KioskLoop::RetryHeldAnswers() {
    if (Recorder_.PendingCount() == 0 || MonotonicClockMs() < NextRetryMs_) {
        return;
    }
    static_cast<void>(Recorder_.RetryPending());
    TellHeadOfficeWhatIsUnsaved();
    NextRetryMs_ = MonotonicClockMs() + kRetryIntervalMs;
}

void KioskLoop::TellHeadOfficeWhatIsUnsaved() {
    if (Uploader_) {
        Uploader_->SetUnsavedAnswers(static_cast<int64_t>(Recorder_.PendingCount()),
                                     Recorder_.LastError());
    }
}

void KioskLoop::TakePushedSurvey() {
    Result<std::optional<std::string>> latest = Store_.LatestSurveyJson();
    if (!latest.Ok() || !latest->has_value()) {
        return;
    }
    SurveyParse parsed = ParseSurvey(**latest, "<survey from head office>");
    if (parsed.Ok()) {
        PendingSurvey_ = std::move(parsed.Definition);
    }
}

void KioskLoop::ApplyPendingSurvey() {
    if (!PendingSurvey_ || !CanSwitchSurvey(State_, MonotonicClockMs())) {
        return;
    }
    Survey_ = std::move(*PendingSurvey_);
    PendingSurvey_.reset();
    Config_ = ConfigFor(Survey_);
    State_ = InitialFlowState(Config_);
    CheckVoices();
    RebuildFonts();
    if (Uploader_) {
        Uploader_->SetActiveSurveyVersion(Survey_.Version);
    }
    Manager_.SetSurveyVersion(Survey_.Version);
    FramesToRender_ = std::max(FramesToRender_, 2);
    Log(LogLevel::Info, "survey", "now showing the survey head office published",
        {{"survey", Survey_.Id}, {"version", std::to_string(Survey_.Version)}});
}

void KioskLoop::DriveAutopilot() {
    if (Options_.Autopilot <= 0) {
        return;
    }
    if (CompletedCount_ >= Options_.Autopilot && State_.Current == Screen::ThankYou) {
        Log(LogLevel::Info, "kiosk", "autopilot finished",
            {{"responses", std::to_string(CompletedCount_)},
             {"rss_kb", std::to_string(ResidentKilobytes())}});
        Running_ = false;
        return;
    }
    PushAutopilotTap(State_, CurrentLayout(), Random_);
}

void KioskLoop::Shutdown() {
    Systemd_.Stopping();
    Jack_.reset();
    // A customer half way through when the terminal stops: what they answered is kept.
    if (IsQuestionScreen(State_.Current)) {
        Dispatch({EventKind::Tap, {TargetKind::StartOver, 0, {}}, Now(), true});
    }
    if (Recorder_.PendingCount() > 0 && !Recorder_.RetryPending().Ok()) {
        Log(LogLevel::Error, "kiosk", "answers could not be written before exit",
            {{"lost", std::to_string(Recorder_.PendingCount())}});
    }
    if (Uploader_) {
        Uploader_->Stop();  // a request in flight finishes or times out; rows stay pending
    }
    Log(LogLevel::Info, "kiosk", "stopped",
        {{"completed_this_run", std::to_string(CompletedCount_)}});
}

}  // namespace doorstep
