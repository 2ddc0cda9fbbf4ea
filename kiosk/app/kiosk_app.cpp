#include "kiosk/app/kiosk_app.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "core/base/clock.hpp"
#include "core/base/log.hpp"
#include "core/base/paths.hpp"
#include "core/base/task_queue.hpp"
#include "core/base/uuid.hpp"
#include "core/service/service_notifier.hpp"
#include "kiosk/app/autopilot.hpp"
#include "kiosk/app/flow_config.hpp"
#include "kiosk/app/process_stats.hpp"
#include "kiosk/app/start_uploader.hpp"
#include "kiosk/app/window.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/layout/layout.hpp"
#include "kiosk/manager/manager_mode.hpp"
#include "kiosk/screens/screens.hpp"
#include "kiosk/store/recorder.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/store/survey_source.hpp"
#include "kiosk/sync/uploader.hpp"

namespace doorstep {
namespace {

// The attract animation may spend at most this share of one core. Frames cost ~1 ms on a GPU and
// ~20 ms with software rendering, so the frame interval adapts between the two bounds below.
constexpr double kAnimationCpuBudget = 0.005;
constexpr int64_t kAttractFrameMinMs = 400;
constexpr int64_t kAttractFrameMaxMs = 5000;
constexpr int64_t kMaxSleepMs = 1000;       // clocks and timeouts advance even when all is still
constexpr int64_t kRetryIntervalMs = 2000;  // how often answers held in memory retry the disk
constexpr int64_t kPressFlashMs = 150;      // a tap shorter than a frame still shows feedback
constexpr int kFramesAfterChange = 3;
constexpr int64_t kManagerFrameMs = 1000;

class KioskLoop {
  public:
    KioskLoop(const KioskOptions& options, Window& window, Store& store, Survey survey,
              std::unique_ptr<Uploader> uploader, ManagerModeOptions manager)
        : Options_(options),
          Window_(window),
          Store_(store),
          Recorder_(store),
          Survey_(std::move(survey)),
          Config_(BuildFlowConfig(Survey_, options, OfferContact(store, Survey_))),
          State_(InitialFlowState(Config_)),
          Tasks_([event = window.WakeEventType()] {
              SDL_Event wake{};
              wake.type = event;
              SDL_PushEvent(&wake);
          }),
          Uploader_(std::move(uploader)),
          Manager_(std::move(manager), store, Tasks_) {}

    int Run() {
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
            FireCornerHold();
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

  private:
    Clock Now() const { return {WallClockMs(), MonotonicClockMs()}; }

    ScreenLayout CurrentLayout() const {
        return ComputeLayout(Window_.Size(), LayoutInputFor(Survey_, Config_, State_));
    }

    int SleepMs() const {
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
        if (Held_ && Held_->Kind == TargetKind::ManagerCorner) {
            wake = std::min(wake, PressStartMs_ + Config_.ManagerHoldMs);
        }
        if (IsManagerScreen(State_.Current)) {
            wake = std::min(wake, LastFrameMs_ + kManagerFrameMs);
        }
        return static_cast<int>(std::clamp<int64_t>(wake - now, 0, kMaxSleepMs));
    }

    bool AnimationDue() const {
        return State_.Current == Screen::Attract &&
               MonotonicClockMs() - LastFrameMs_ >= AttractFrameMs();
    }

    // Manager screens redraw once a second: a lockout counts down, figures refresh.
    bool ManagerTickDue() const {
        return IsManagerScreen(State_.Current) &&
               MonotonicClockMs() - LastFrameMs_ >= kManagerFrameMs;
    }

    // The hidden corner opens the PIN pad while the finger still rests there.
    void FireCornerHold() {
        if (!Held_ || Held_->Kind != TargetKind::ManagerCorner) {
            return;
        }
        int64_t held = MonotonicClockMs() - PressStartMs_;
        if (held >= Config_.ManagerHoldMs) {
            Target corner = *Held_;
            Held_.reset();  // the release that follows is not a tap
            Event event{EventKind::Tap, corner, Now(), true};
            event.HeldMs = held;
            Dispatch(event);
        }
    }

    int64_t AttractFrameMs() const {
        auto interval = static_cast<int64_t>(FrameCpuMs_ / kAnimationCpuBudget);
        return std::clamp(interval, kAttractFrameMinMs, kAttractFrameMaxMs);
    }

    void Handle(const SDL_Event& event) {
        switch (event.type) {
            case SDL_QUIT:
                Running_ = false;
                break;  // also SIGTERM and SIGINT, via SDL
            case SDL_WINDOWEVENT:
                if (event.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
                    RebuildFonts();
                }
                FramesToRender_ = kFramesAfterChange;
                break;
            case SDL_MOUSEBUTTONDOWN:
                if (event.button.button == SDL_BUTTON_LEFT) {
                    Held_ = HitTest(CurrentLayout(), static_cast<float>(event.button.x),
                                    static_cast<float>(event.button.y));
                    PressStartMs_ = MonotonicClockMs();
                    FramesToRender_ = kFramesAfterChange;
                }
                break;
            case SDL_MOUSEBUTTONUP:
                if (event.button.button == SDL_BUTTON_LEFT) {
                    Release(static_cast<float>(event.button.x), static_cast<float>(event.button.y));
                }
                break;
            default:
                break;
        }
    }

    // A tap counts when the finger lifts on the target it went down on, as on a phone.
    void Release(float x, float y) {
        std::optional<Target> under = HitTest(CurrentLayout(), x, y);
        std::optional<Target> held = std::move(Held_);
        Held_.reset();
        FramesToRender_ = kFramesAfterChange;
        if (!held || !under || !(*held == *under)) {
            return;
        }
        Flash_ = held;
        FlashUntilMs_ = MonotonicClockMs() + kPressFlashMs;
        Event tap{EventKind::Tap, *held, Now(), true};
        tap.HeldMs = MonotonicClockMs() - PressStartMs_;
        Dispatch(tap);
    }

    void Dispatch(const Event& event) {
        Transition next = Reduce(Config_, State_, event);
        if (!(next.State == State_)) {
            if (next.State.Current != State_.Current || next.State.NeedIndex != State_.NeedIndex) {
                Flash_.reset();  // feedback belongs to the question it was given on
            }
            State_ = std::move(next.State);
            FramesToRender_ = kFramesAfterChange;
        }
        for (Effect& effect : next.Effects) {
            RunEffect(effect);
        }
    }

    void RunEffect(Effect& effect) {
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

    // Head office's contact key comes with the first alerts sync: from then on the survey's
    // offer can be made. Changed only between customers, like a new survey.
    void FollowContactKey() {
        bool offer = OfferContact(Store_, Survey_);
        if (offer != Config_.OfferContact && State_.Current == Screen::Attract) {
            Config_.OfferContact = offer;
        }
    }

    void RecordResponse(Response& record) {
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

    void RetryHeldAnswers() {
        if (Recorder_.PendingCount() == 0 || MonotonicClockMs() < NextRetryMs_) {
            return;
        }
        static_cast<void>(Recorder_.RetryPending());
        TellHeadOfficeWhatIsUnsaved();
        NextRetryMs_ = MonotonicClockMs() + kRetryIntervalMs;
    }

    // The heartbeat carries the answers held in memory, so head office sees a full disk too.
    void TellHeadOfficeWhatIsUnsaved() {
        if (Uploader_) {
            Uploader_->SetUnsavedAnswers(static_cast<int64_t>(Recorder_.PendingCount()),
                                         Recorder_.LastError());
        }
    }

    void Render() {
        int64_t now = MonotonicClockMs();
        if (FlashUntilMs_ > 0 && now >= FlashUntilMs_) {
            Flash_.reset();
            FlashUntilMs_ = 0;
        }
        double cpu_before = ProcessCpuMs();
        if (State_.Current == Screen::Attract && FramesToRender_ == 0) {
            AnimationStep_ += 1;  // only animation frames advance it; input frames hold still
        }
        ScreenLayout layout = CurrentLayout();
        if (State_.Current == Screen::Manager) {
            Manager_.Refresh(Config_, State_, now);
        }
        UseHighContrast(State_.Access.HighContrast);
        ImDrawList* draw = Window_.BeginFrame(
            State_.Current == Screen::Closed ? ClosedBackground() : KioskPalette().Background);
        std::optional<Target> pressed = Held_ ? Held_ : Flash_;
        if (State_.Current == Screen::PinEntry || State_.Current == Screen::Manager) {
            Manager_.Draw(draw, Survey_, Config_, State_, layout, Window_.Faces(), pressed, Sync_,
                          Recorder_.PendingCount());
        } else {
            ScreenContext context{Survey_,         Config_, State_,         layout,
                                  Window_.Faces(), pressed, AnimationStep_, {}};
            if (State_.Current == Screen::StaffNeed) {
                context.HeaderOverride = Manager_.Words().Get("staff_prompt");
            }
            if (State_.Current == Screen::Attract) {
                context.StaffMarker = Manager_.OpenAlertCount(now);
            }
            DrawScreen(draw, context);
        }
        Window_.EndFrame();
        // A running average of what a frame costs, to pace the attract animation.
        FrameCpuMs_ = FrameCpuMs_ * 0.8 + (ProcessCpuMs() - cpu_before) * 0.2;
        LastFrameMs_ = now;
        FramesToRender_ = std::max(0, FramesToRender_ - 1);
        if (!FirstFrameLogged_) {
            FirstFrameLogged_ = true;
            Log(LogLevel::Info, "kiosk", "first frame",
                {{"realtime_ms", std::to_string(WallClockMs())},
                 {"rss_kb", std::to_string(ResidentKilobytes())},
                 {"survey_version", std::to_string(Survey_.Version)}});
            Window_.EnterFullScreen();
            Systemd_.Ready();
        }
    }

    // The uploader stored a definition head office pushed (and checked it): read it on this
    // thread's own connection and hold it until the attract screen is quiet.
    void TakePushedSurvey() {
        Result<std::optional<std::string>> latest = Store_.LatestSurveyJson();
        if (!latest.Ok() || !latest->has_value()) {
            return;
        }
        SurveyParse parsed = ParseSurvey(**latest, "<survey from head office>");
        if (parsed.Ok()) {
            PendingSurvey_ = std::move(parsed.Definition);
        }
    }

    void ApplyPendingSurvey() {
        if (!PendingSurvey_ || !CanSwitchSurvey(State_, MonotonicClockMs())) {
            return;
        }
        Survey_ = std::move(*PendingSurvey_);
        PendingSurvey_.reset();
        Config_ = BuildFlowConfig(Survey_, Options_, OfferContact(Store_, Survey_));
        State_ = InitialFlowState(Config_);
        RebuildFonts();
        if (Uploader_) {
            Uploader_->SetActiveSurveyVersion(Survey_.Version);
        }
        Manager_.SetSurveyVersion(Survey_.Version);
        FramesToRender_ = std::max(FramesToRender_, 2);
        Log(LogLevel::Info, "survey", "now showing the survey head office published",
            {{"survey", Survey_.Id}, {"version", std::to_string(Survey_.Version)}});
    }

    void RebuildFonts() {
        Status rebuilt = Window_.RebuildFonts(Survey_);
        if (!rebuilt.Ok()) {
            Log(LogLevel::Error, "kiosk", "cannot rebuild fonts",
                {{"error", rebuilt.Err().Message}});
        }
    }

    void DriveAutopilot() {
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

    void Shutdown() {
        Systemd_.Stopping();
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

    const KioskOptions& Options_;
    Window& Window_;
    Store& Store_;
    ResponseRecorder Recorder_;
    Survey Survey_;
    std::optional<Survey> PendingSurvey_;  // pushed by head office, shown from the next attract
    FlowConfig Config_;
    FlowState State_;
    TaskQueue Tasks_;
    bool Running_ = true;
    int FramesToRender_ = kFramesAfterChange;
    int64_t LastFrameMs_ = 0;
    std::optional<Target> Held_;
    std::optional<Target> Flash_;
    int64_t FlashUntilMs_ = 0;
    int64_t NextRetryMs_ = 0;
    int CompletedCount_ = 0;
    bool FirstFrameLogged_ = false;
    int AnimationStep_ = 0;
    double FrameCpuMs_ = 2.0;
    std::mt19937 Random_{12345};
    std::unique_ptr<Uploader> Uploader_;  // null until the terminal is enrolled
    SyncStatus Sync_;                     // the latest status the uploader published
    ManagerMode Manager_;
    int64_t PressStartMs_ = 0;
    ServiceNotifier Systemd_;
};

}  // namespace

int RunKiosk(const KioskOptions& options) {
    if (Status dir = EnsurePrivateDirectory(options.DataDir); !dir.Ok()) {
        Log(LogLevel::Error, "kiosk", dir.Err().Message);
        return 1;
    }
    Result<std::unique_ptr<Store>> store = Store::Open(options.DataDir + "/kiosk.db");
    if (!store.Ok()) {
        Log(LogLevel::Error, "kiosk", "cannot open the local store",
            {{"error", store.Err().Message}});
        return 1;
    }
    Result<ActiveSurvey> survey = ResolveSurvey(**store, options.SurveyPath);
    if (!survey.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk: %s\n", survey.Err().Message.c_str());
        return 1;
    }
    if (!options.Language.empty() && !survey->Definition.HasLanguage(options.Language)) {
        std::fprintf(stderr, "doorstep-kiosk: --lang %s: the survey has no such language\n",
                     options.Language.c_str());
        return 2;
    }
    Result<std::unique_ptr<Window>> window = Window::Open(options.Windowed);
    if (!window.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk: %s\n", window.Err().Message.c_str());
        return 1;
    }
    if (Status fonts = (*window)->RebuildFonts(survey->Definition); !fonts.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk: %s\n", fonts.Err().Message.c_str());
        return 1;
    }
    Log(LogLevel::Info, "kiosk", "started",
        {{"data_dir", options.DataDir},
         {"door", options.Door},
         {"survey", survey->Definition.Id + "@" + std::to_string(survey->Definition.Version)}});
    std::unique_ptr<Uploader> uploader = StartUploader(options, survey->Definition.Version);
    ManagerModeOptions manager;
    manager.DataDir = options.DataDir;
    manager.ExportDir =
        options.ExportDir.empty() ? options.DataDir + "/exports" : options.ExportDir;
    // The manager's words ship beside the surveys: assets/surveys/x.json -> assets/translations/.
    manager.TranslationsPath =
        (std::filesystem::path(options.SurveyPath).parent_path().parent_path() / "translations" /
         "manager.json")
            .string();
    manager.Language =
        options.Language.empty() ? survey->Definition.DefaultLanguage : options.Language;
    manager.SurveyVersion = survey->Definition.Version;
    KioskLoop loop(options, **window, **store, std::move(survey->Definition), std::move(uploader),
                   std::move(manager));
    return loop.Run();
}

}  // namespace doorstep
