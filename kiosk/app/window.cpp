#include "window.hpp"

#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
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

    SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);

    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI;
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
    window->Context_ = SDL_GL_CreateContext(window->Handle_);
    if (window->Context_ == nullptr) {
        return Error{std::string("cannot create an OpenGL 3 context: ") + SDL_GetError(), 0};
    }
    SDL_GL_MakeCurrent(window->Handle_, window->Context_);
    SDL_GL_SetSwapInterval(1);
    if (!windowed) {
        SDL_ShowCursor(SDL_DISABLE);  // a touch terminal has no pointer to show
    }

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk keeps no window layout between runs
    io.LogFilename = nullptr;
    ImGui_ImplSDL2_InitForOpenGL(window->Handle_, window->Context_);
    ImGui_ImplOpenGL3_Init("#version 130");
    window->ImGuiReady_ = true;
    return window;
}

Window::~Window() {
    if (ImGuiReady_) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplSDL2_Shutdown();
        ImGui::DestroyContext();
    }
    if (Context_ != nullptr) {
        SDL_GL_DeleteContext(Context_);
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
    float pixels = TypographyFor(Size()).Title * 1.2f;  // the largest size any screen draws
    if (pixels == FontPixels_) {
        return Success();
    }
    ImGuiIO& io = ImGui::GetIO();
    Status loaded = LoadFonts(*io.Fonts, survey, pixels, Fonts_);
    if (!loaded.Ok()) {
        return loaded;
    }
    if (FrameBegun_) {  // before the first frame, NewFrame creates the texture itself
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    FontPixels_ = pixels;
    return Success();
}

ImDrawList* Window::BeginFrame(ImU32 background) {
    ImGui_ImplOpenGL3_NewFrame();
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
    glViewport(0, 0, static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x),
               static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y));
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    SDL_GL_SwapWindow(Handle_);
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
