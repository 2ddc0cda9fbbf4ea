// Internal to the layout module: the measures every screen's layout is built from.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "kiosk/layout/layout.hpp"

namespace doorstep::layout_detail {

// Proportions of the short side, tuned by looking at screenshots from 800x480 to 1920x1080.
constexpr float kMinTargetShare = 0.12f;
constexpr float kMarginShare = 0.02f;
constexpr float kGapShare = 0.012f;
constexpr float kReachMinTargetShare = 0.09f;

struct Metrics {
    float W, H, Short, Margin, Gap, MinTarget;
    bool Portrait;
};

inline Metrics MetricsFor(Viewport viewport) {
    float short_side = std::min(viewport.Width, viewport.Height);
    return {viewport.Width,
            viewport.Height,
            short_side,
            std::round(short_side * kMarginShare),
            std::round(short_side * kGapShare),
            std::ceil(short_side * kMinTargetShare),
            viewport.Height > viewport.Width * 1.15f};
}

// Attract, thank-you and closed (layout_attract.cpp).
void LayoutAttract(const Metrics& m, const LayoutInput& input, ScreenLayout& layout);
void LayoutThankYou(const Metrics& m, const LayoutInput& input, ScreenLayout& layout);
void LayoutContactOffer(const Metrics& m, const LayoutInput& input, ScreenLayout& layout);
void LayoutClosed(const Metrics& m, ScreenLayout& layout);

inline float ReachTopFor(const Metrics& m) {
    return std::round(m.H * kReachTopShare);
}

inline void AddTarget(ScreenLayout& layout, TargetKind kind, int index, Rect area,
                      std::string text = {}) {
    layout.Targets.push_back({{kind, index, std::move(text)}, area});
}

}  // namespace doorstep::layout_detail
