#include "kiosk/app/window.hpp"

#include <backends/imgui_impl_sdl.h>
#include <backends/imgui_impl_sdlrenderer.h>
#include <imgui.h>

#include <string>

namespace doorstep {

Result<std::unique_ptr<Window>> Window::Open(std::optional<WindowSize> windowed) {
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");  // the first tap counts, focused or not
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
        std::string message = std::string("cannot open a display: ") + SDL_GetError() +
                              ". Set DISPLAY or WAYLAND_DISPLAY, or run under a virtual X server: "
                              "xvfb-run -s '-screen 0 1280x800x24' doorstep-kiosk --windowed "
                              "1280x800";
        return Error{message, 0};
    }
    // SDL falls back to an invisible offscreen driver when it finds no display; a kiosk that
    // nobody can see must say so instead, unless that driver was asked for on purpose.
    std::string driver = SDL_GetCurrentVideoDriver() != nullptr ? SDL_GetCurrentVideoDriver() : "";
    const char* requested = SDL_getenv("SDL_VIDEODRIVER");
    if ((driver == "offscreen" || driver == "dummy") &&
        (requested == nullptr || driver != requested)) {
        SDL_Quit();
        return Error{
            "cannot open a display: no X11 or Wayland display was found (DISPLAY and "
            "WAYLAND_DISPLAY are unset). Run under a virtual X server: xvfb-run -s "
            "'-screen 0 1280x800x24' doorstep-kiosk --windowed 1280x800",
            0};
    }
    std::unique_ptr<Window> window(new Window());
    window->WakeEvent_ = SDL_RegisterEvents(1);

    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    SDL_Rect bounds{SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 800};
    if (windowed) {
        bounds.w = windowed->Width;
        bounds.h = windowed->Height;
        flags |= SDL_WINDOW_RESIZABLE;
    } else {
        // Cover the whole display from the start: without a window manager (cage, bare X) a
        // full-screen request alone may keep the default size and position.
        // Full screen is asked of the window manager only once the first frame is on screen
        // (EnterFullScreen): without one (bare X) SDL waits 100 ms for an answer that never
        // comes, and the window already covers the display.
        SDL_GetDisplayBounds(0, &bounds);
        flags |= SDL_WINDOW_BORDERLESS;
        window->FullScreenPending_ = true;
    }
    window->Handle_ = SDL_CreateWindow("Doorstep", bounds.x, bounds.y, bounds.w, bounds.h, flags);
    if (window->Handle_ == nullptr) {
        return Error{std::string("cannot create the window: ") + SDL_GetError(), 0};
    }
    // SDL's software renderer unless the technician names another (SDL_RENDER_DRIVER=opengles2
    // on a terminal with a GPU): the screens are flat shapes and text, drawn a few times a
    // second at most, and a software OpenGL stack would cost more memory and start time than
    // all the rest of the kiosk.
    SDL_SetHintWithPriority(SDL_HINT_RENDER_DRIVER, "software", SDL_HINT_DEFAULT);
    SDL_SetHintWithPriority(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0", SDL_HINT_DEFAULT);
    window->Renderer_ = SDL_CreateRenderer(window->Handle_, -1, 0);
    if (window->Renderer_ == nullptr) {
        return Error{std::string("cannot create a renderer for the window: ") + SDL_GetError(), 0};
    }
    if (!windowed) {
        SDL_ShowCursor(SDL_DISABLE);  // a touch terminal has no pointer to show
    }

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk keeps no window layout between runs
    io.LogFilename = nullptr;
    ImGui_ImplSDL2_InitForSDLRenderer(window->Handle_);
    ImGui_ImplSDLRenderer_Init(window->Renderer_);
    window->ImGuiReady_ = true;
    return window;
}

Window::~Window() {
    if (ImGuiReady_) {
        ImGui_ImplSDLRenderer_Shutdown();
        ImGui_ImplSDL2_Shutdown();
        ImGui::DestroyContext();
    }
    if (Renderer_ != nullptr) {
        SDL_DestroyRenderer(Renderer_);
    }
    if (Handle_ != nullptr) {
        SDL_DestroyWindow(Handle_);
    }
    SDL_Quit();
}

Viewport Window::Size() const {
    int width = 0;
    int height = 0;
    SDL_GetWindowSize(Handle_, &width, &height);
    return {static_cast<float>(width), static_cast<float>(height)};
}

Status Window::RebuildFonts(const Survey& survey) {
    // The largest size any screen draws: the attract title in large-text mode.
    float pixels = TypographyFor(Size(), true).Title * 1.2f;
    if (pixels == FontPixels_) {
        return Success();
    }
    ImGuiIO& io = ImGui::GetIO();
    Status loaded = LoadFonts(*io.Fonts, survey, pixels, Fonts_);
    if (!loaded.Ok()) {
        return loaded;
    }
    if (FrameBegun_) {  // before the first frame, NewFrame creates the texture itself
        ImGui_ImplSDLRenderer_DestroyFontsTexture();
        ImGui_ImplSDLRenderer_CreateFontsTexture();
    }
    FontPixels_ = pixels;
    return Success();
}

ImDrawList* Window::BeginFrame(ImU32 background) {
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    FrameBegun_ = true;
    ImDrawList* draw = ImGui::GetBackgroundDrawList();
    const ImGuiIO& io = ImGui::GetIO();
    draw->AddRectFilled(ImVec2(0, 0), io.DisplaySize, background);
    return draw;
}

void Window::EndFrame() {
    ImGui::Render();
    const ImGuiIO& io = ImGui::GetIO();
    SDL_RenderSetScale(Renderer_, io.DisplayFramebufferScale.x, io.DisplayFramebufferScale.y);
    SDL_SetRenderDrawColor(Renderer_, 0, 0, 0, 255);
    SDL_RenderClear(Renderer_);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    SDL_RenderPresent(Renderer_);
    // The atlas's pixels live in the texture now; ImGui's copies (one byte and four bytes a
    // pixel, megabytes at kiosk sizes) would only be read again to rebuild it, and
    // RebuildFonts() builds them anew for that.
    if (io.Fonts->TexPixelsAlpha8 != nullptr || io.Fonts->TexPixelsRGBA32 != nullptr) {
        io.Fonts->ClearTexData();
    }
}

void Window::EnterFullScreen() {
    if (FullScreenPending_) {
        FullScreenPending_ = false;
        SDL_SetWindowFullscreen(Handle_, SDL_WINDOW_FULLSCREEN_DESKTOP);
    }
}

}  // namespace doorstep
