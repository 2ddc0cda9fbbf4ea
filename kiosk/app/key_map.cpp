#include "kiosk/app/key_map.hpp"

namespace doorstep {

std::optional<Key> KeyFor(const SDL_Keysym& key) {
    bool shift = (key.mod & KMOD_SHIFT) != 0;
    // The keypad by position, so Num Lock on or off (and any keyboard layout) is the same.
    switch (key.scancode) {
        case SDL_SCANCODE_KP_8:
            return Key::Up;
        case SDL_SCANCODE_KP_2:
            return Key::Down;
        case SDL_SCANCODE_KP_4:
            return Key::Left;
        case SDL_SCANCODE_KP_6:
            return Key::Right;
        case SDL_SCANCODE_KP_9:
            return Key::Next;
        case SDL_SCANCODE_KP_7:
            return Key::Previous;
        case SDL_SCANCODE_KP_5:
        case SDL_SCANCODE_KP_ENTER:
            return Key::Choose;
        case SDL_SCANCODE_KP_0:
            return Key::Back;
        case SDL_SCANCODE_KP_MULTIPLY:
        case SDL_SCANCODE_KP_PERIOD:
            return Key::Repeat;
        case SDL_SCANCODE_KP_DIVIDE:
            return Key::Help;
        case SDL_SCANCODE_KP_PLUS:
            return Key::VolumeUp;
        case SDL_SCANCODE_KP_MINUS:
            return Key::VolumeDown;
        default:
            break;
    }
    switch (key.sym) {
        case SDLK_UP:
            return Key::Up;
        case SDLK_DOWN:
            return Key::Down;
        case SDLK_LEFT:
            return Key::Left;
        case SDLK_RIGHT:
            return Key::Right;
        case SDLK_TAB:
            return shift ? Key::Previous : Key::Next;
        case SDLK_RETURN:
        case SDLK_SPACE:
            return Key::Choose;
        case SDLK_ESCAPE:
        case SDLK_BACKSPACE:
        case SDLK_AC_BACK:
            return Key::Back;
        case SDLK_F1:
        case SDLK_HELP:
        case SDLK_SLASH:
            return Key::Help;
        case SDLK_F5:
        case SDLK_ASTERISK:
            return Key::Repeat;
        case SDLK_VOLUMEUP:
        case SDLK_PLUS:
        case SDLK_EQUALS:
            return Key::VolumeUp;
        case SDLK_VOLUMEDOWN:
        case SDLK_MINUS:
            return Key::VolumeDown;
        default:
            return std::nullopt;
    }
}

}  // namespace doorstep
