// Accessibility modes a customer switches on from the attract screen: a high-contrast theme,
// large text, and a "within reach" layout that keeps every control in the lower part of the
// screen (wheelchair users, children). They belong to one customer's pass: the reducer clears
// them with everything else when the response ends (InitialFlowState), and on an attract screen
// left untouched for the idle timeout (someone switched a mode on and walked away).
#pragma once

#include <cstdint>

namespace doorstep {

// Index of each toggle on the attract screen (TargetKind::AccessToggle), in display order.
enum class AccessMode { HighContrast = 0, LargeText = 1, WithinReach = 2 };
inline constexpr int kAccessModeCount = 3;

struct AccessModes {
    bool HighContrast = false;
    bool LargeText = false;
    bool WithinReach = false;
    bool Any() const { return HighContrast || LargeText || WithinReach; }
    bool operator==(const AccessModes&) const = default;
};

bool IsOn(const AccessModes& modes, AccessMode mode);
// The modes with `mode` flipped; an unknown index changes nothing.
AccessModes Toggled(AccessModes modes, int mode_index);

// The "within reach" rule: every customer tap target lies at or below this share of the screen
// height, i.e. in the lower 60 %. Only the manager's hidden corner (staff, not customers) is
// exempt. Text may stay above it: reading needs no reach.
inline constexpr float kReachTopShare = 0.4f;
// Text sizes in large-text mode, as a factor of the usual ones. Titles are already large, so
// they grow less than the words on buttons and under the faces.
inline constexpr float kLargeTextFactor = 1.3f;
inline constexpr float kLargeTitleFactor = 1.12f;

}  // namespace doorstep
