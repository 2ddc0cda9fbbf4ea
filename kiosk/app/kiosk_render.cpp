#include <algorithm>
#include <string>

#include "core/base/log.hpp"
#include "kiosk/app/kiosk_loop.hpp"
#include "kiosk/app/process_stats.hpp"
#include "kiosk/screens/screens.hpp"

namespace doorstep {
namespace {

// The attract animation may spend at most this share of one core. Frames cost ~1 ms on a GPU and
// ~20 ms with software rendering, so the frame interval adapts between the two bounds below.
constexpr double kAnimationCpuBudget = 0.005;
constexpr int64_t kAttractFrameMinMs = 400;
constexpr int64_t kAttractFrameMaxMs = 5000;

}  // namespace

bool KioskLoop::AnimationDue() const {
    return State_.Current == Screen::Attract &&
           MonotonicClockMs() - LastFrameMs_ >= AttractFrameMs();
}

bool KioskLoop::ManagerTickDue() const {
    return IsManagerScreen(State_.Current) && MonotonicClockMs() - LastFrameMs_ >= kManagerFrameMs;
}

int64_t KioskLoop::AttractFrameMs() const {
    auto interval = static_cast<int64_t>(FrameCpuMs_ / kAnimationCpuBudget);
    return std::clamp(interval, kAttractFrameMinMs, kAttractFrameMaxMs);
}

void KioskLoop::Render() {
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
    if (const Hit* focused = FindHit(layout, State_.Focus)) {
        DrawFocusRing(draw, focused->Area, Window_.Size());
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

void KioskLoop::RebuildFonts() {
    Status rebuilt = Window_.RebuildFonts(Survey_);
    if (!rebuilt.Ok()) {
        Log(LogLevel::Error, "kiosk", "cannot rebuild fonts", {{"error", rebuilt.Err().Message}});
    }
}

}  // namespace doorstep
