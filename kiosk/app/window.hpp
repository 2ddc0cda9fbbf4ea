// The kiosk's window: SDL2 + an SDL renderer + Dear ImGui, set up and torn down in RAII order.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include <SDL.h>

#include "core/base/result.hpp"
#include "kiosk/app/cli.hpp"
#include "kiosk/layout/layout.hpp"
#include "kiosk/screens/fonts.hpp"

namespace doorstep {

class Window {
  public:
    // Full-screen without decorations and with the cursor hidden, unless `windowed` is set.
    static Result<std::unique_ptr<Window>> Open(std::optional<WindowSize> windowed);
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    Viewport Size() const;
    // Rebuilds the font atlas for the current size; call when the size changes.
    Status RebuildFonts(const Survey& survey);
    const Fonts& Faces() const { return Fonts_.Faces; }

    // Starts an ImGui frame and returns the draw list that covers the whole window.
    ImDrawList* BeginFrame(ImU32 background);
    void EndFrame();
    // Asks the window manager for full screen, once, unless windowed. Call after the first frame
    // is on screen, so that waiting for a window manager never delays it.
    void EnterFullScreen();

    // The SDL event type background threads push to wake the UI loop.
    uint32_t WakeEventType() const { return WakeEvent_; }

  private:
    Window() = default;
    SDL_Window* Handle_ = nullptr;
    SDL_Renderer* Renderer_ = nullptr;
    bool ImGuiReady_ = false;
    bool FrameBegun_ = false;
    bool FullScreenPending_ = false;  // until EnterFullScreen()
    FontSet Fonts_;
    float FontPixels_ = 0;
    uint32_t WakeEvent_ = 0;
};

}  // namespace doorstep
