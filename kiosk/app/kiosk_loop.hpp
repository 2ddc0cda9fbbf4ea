// The kiosk's UI loop: input -> hit test or key -> Reduce() -> effects (store, speaker) -> draw.
// The loop sleeps in SDL_WaitEventTimeout whenever nothing moves; background threads (the
// uploader, manager exports) reach it through Tasks_ and a pushed wake event.
//
//   kiosk_loop.cpp    the loop, the reducer's effects, surveys pushed by head office
//   kiosk_input.cpp   touch, held presses, keys and the numeric keypad (docs/accessibility.md)
//   kiosk_render.cpp  frames: the screen the state shows, the focus ring, the attract pacing
#pragma once

#include <SDL.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <random>

#include "core/base/clock.hpp"
#include "core/base/task_queue.hpp"
#include "core/service/service_notifier.hpp"
#include "kiosk/app/cli.hpp"
#include "kiosk/app/speaker.hpp"
#include "kiosk/app/window.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/layout/layout.hpp"
#include "kiosk/manager/manager_mode.hpp"
#include "kiosk/speech/headphone_jack.hpp"
#include "kiosk/store/recorder.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/sync/uploader.hpp"

namespace doorstep {

inline constexpr int kFramesAfterChange = 3;
inline constexpr int64_t kManagerFrameMs = 1000;  // manager screens redraw once a second

class KioskLoop {
  public:
    // `speaker` is null where the terminal cannot speak (no audio device, no espeak-ng).
    KioskLoop(const KioskOptions& options, Window& window, Store& store, Survey survey,
              std::unique_ptr<Uploader> uploader, ManagerModeOptions manager,
              std::unique_ptr<Speaker> speaker);

    int Run();

  private:
    Clock Now() const { return {WallClockMs(), MonotonicClockMs()}; }
    ScreenLayout CurrentLayout() const;
    int SleepMs() const;

    // kiosk_input.cpp
    void Handle(const SDL_Event& event);
    // A tap counts when the finger lifts on the target it went down on, as on a phone.
    void Release(float x, float y);
    // The hidden corner opens the PIN pad, and the tactile spot starts speech, while the finger
    // still rests there.
    void FireHold();
    std::optional<int64_t> HoldNeededMs() const;
    void PressKey(const SDL_KeyboardEvent& key);
    void DispatchKey(Key key);
    // Headphones plugged into the jack press the help key: speech mode starts (where the
    // kernel reports the jack, and the terminal can speak).
    void WatchHeadphoneJack();

    void Dispatch(const Event& event);
    void RunEffect(Effect& effect);
    void Speak(const Effect& effect);
    // The reducer's configuration for the survey shown now, and for this terminal.
    FlowConfig ConfigFor(const Survey& survey) const;
    // Head office's contact key comes with the first alerts sync: from then on the survey's
    // offer can be made. Changed only between customers, like a new survey.
    void FollowContactKey();
    void RecordResponse(Response& record);
    void RetryHeldAnswers();
    // The heartbeat carries the answers held in memory, so head office sees a full disk too.
    void TellHeadOfficeWhatIsUnsaved();
    // The uploader stored a definition head office pushed (and checked it): read it on this
    // thread's own connection and hold it until the attract screen is quiet.
    void TakePushedSurvey();
    void ApplyPendingSurvey();
    // Logs the survey's languages espeak-ng has no voice for.
    void CheckVoices();
    void DriveAutopilot();
    void Shutdown();

    // kiosk_render.cpp
    void Render();
    bool AnimationDue() const;
    // Manager screens redraw once a second: a lockout counts down, figures refresh.
    bool ManagerTickDue() const;
    int64_t AttractFrameMs() const;
    void RebuildFonts();

    const KioskOptions& Options_;
    Window& Window_;
    Store& Store_;
    ResponseRecorder Recorder_;
    std::unique_ptr<Speaker> Speaker_;  // null: no speech mode
    Survey Survey_;
    std::optional<Survey> PendingSurvey_;  // pushed by head office, shown from the next attract
    FlowConfig Config_;
    FlowState State_;
    TaskQueue Tasks_;
    std::unique_ptr<HeadphoneJack> Jack_;  // after Tasks_, which its thread posts to
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

}  // namespace doorstep
