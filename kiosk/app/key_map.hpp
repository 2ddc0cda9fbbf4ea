// The keys a customer or a manager navigates with: a keyboard's, or a common USB numeric
// keypad's with Num Lock on or off. docs/accessibility.md prints the same map for technicians.
#pragma once

#include <SDL.h>

#include <optional>

#include "kiosk/flow/flow.hpp"

namespace doorstep {

// What the key does, if anything (letters and digits of a keyboard do nothing: answers are
// chosen on the screen's own controls).
std::optional<Key> KeyFor(const SDL_Keysym& key);

}  // namespace doorstep
