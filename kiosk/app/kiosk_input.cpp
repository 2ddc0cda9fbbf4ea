// Input: touch (SDL's mouse events, which touch screens produce too), presses held on the
// hidden corner or the tactile spot, and keys from a keyboard or a USB numeric keypad. The key
// map is docs/accessibility.md's; the reducer decides what every key does.
#include <optional>

#include "core/base/log.hpp"
#include "kiosk/app/key_map.hpp"
#include "kiosk/app/kiosk_loop.hpp"

namespace doorstep {
namespace {

constexpr int64_t kPressFlashMs = 150;  // a tap shorter than a frame still shows feedback
constexpr const char* kInputDevices = "/dev/input";

}  // namespace

std::optional<int64_t> KioskLoop::HoldNeededMs() const {
    if (!Held_) {
        return std::nullopt;
    }
    if (Held_->Kind == TargetKind::ManagerCorner) {
        return Config_.ManagerHoldMs;
    }
    if (Held_->Kind == TargetKind::SpeechSpot && Config_.SpeechAvailable) {
        return Config_.SpeechHoldMs;
    }
    return std::nullopt;
}

void KioskLoop::FireHold() {
    std::optional<int64_t> needed = HoldNeededMs();
    if (!needed) {
        return;
    }
    int64_t held = MonotonicClockMs() - PressStartMs_;
    if (held >= *needed) {
        Target spot = *Held_;
        Held_.reset();  // the release that follows is not a tap
        Event event{EventKind::Tap, spot, Now(), true};
        event.HeldMs = held;
        Dispatch(event);
    }
}

void KioskLoop::Handle(const SDL_Event& event) {
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
        case SDL_KEYDOWN:
            PressKey(event.key);
            break;
        default:
            break;
    }
}

void KioskLoop::Release(float x, float y) {
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

// A key held down repeats in SDL; here it counts once, so a customer who cannot see the screen
// never skips past an answer by holding an arrow a moment too long.
void KioskLoop::PressKey(const SDL_KeyboardEvent& key) {
    if (key.repeat != 0) {
        return;
    }
    if (std::optional<Key> pressed = KeyFor(key.keysym)) {
        DispatchKey(*pressed);
    }
}

void KioskLoop::DispatchKey(Key key) {
    Event event{EventKind::Key, {}, Now(), true};
    event.Pressed = key;
    event.Spots = FocusSpots(CurrentLayout());
    FramesToRender_ = kFramesAfterChange;
    if (key == Key::Choose && State_.Focus.Kind != TargetKind::None) {
        Flash_ = State_.Focus;  // the same feedback a tap gets
        FlashUntilMs_ = MonotonicClockMs() + kPressFlashMs;
    }
    Dispatch(event);
}

void KioskLoop::WatchHeadphoneJack() {
    if (!Speaker_) {
        return;
    }
    Jack_ = HeadphoneJack::Watch(OpenHeadphoneJacks(kInputDevices),
                                 [this] { Tasks_.Post([this] { DispatchKey(Key::Help); }); });
    if (Jack_) {
        Log(LogLevel::Info, "speech", "plugging headphones in starts speech mode");
    }
}

}  // namespace doorstep
