// Layout of the PIN pad and the manager screens (pure, like the customer screens' layout).
#pragma once

#include "kiosk/layout/layout.hpp"

namespace doorstep {

void LayoutPinPad(Viewport viewport, ScreenLayout& layout);
void LayoutManager(Viewport viewport, const LayoutInput& input, ScreenLayout& layout);

}  // namespace doorstep
