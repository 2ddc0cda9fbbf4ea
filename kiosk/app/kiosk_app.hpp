// The kiosk's UI loop: input -> hit test -> Reduce() -> effects (store) -> draw. The loop sleeps
// in SDL_WaitEventTimeout whenever nothing moves.
#pragma once

#include "kiosk/app/cli.hpp"

namespace doorstep {

// Runs the customer-facing window until it is closed or receives SIGTERM/SIGINT. Returns the
// process exit code: 0 clean, 1 when it cannot start (the reason is logged).
int RunKiosk(const KioskOptions& options);

}  // namespace doorstep
