#include "kiosk/flow/access.hpp"

namespace doorstep {

bool IsOn(const AccessModes& modes, AccessMode mode) {
    switch (mode) {
        case AccessMode::HighContrast:
            return modes.HighContrast;
        case AccessMode::LargeText:
            return modes.LargeText;
        case AccessMode::WithinReach:
            return modes.WithinReach;
    }
    return false;
}

AccessModes Toggled(AccessModes modes, int mode_index) {
    switch (static_cast<AccessMode>(mode_index)) {
        case AccessMode::HighContrast:
            modes.HighContrast = !modes.HighContrast;
            break;
        case AccessMode::LargeText:
            modes.LargeText = !modes.LargeText;
            break;
        case AccessMode::WithinReach:
            modes.WithinReach = !modes.WithinReach;
            break;
    }
    return modes;
}

}  // namespace doorstep
