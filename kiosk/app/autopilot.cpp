#include "kiosk/app/autopilot.hpp"

#include <SDL.h>

#include <vector>

namespace doorstep {
namespace {

std::optional<Hit> Pick(const ScreenLayout& layout, TargetKind kind, std::mt19937& random) {
    std::vector<const Hit*> matches;
    for (const Hit& hit : layout.Targets) {
        if (hit.Tap.Kind == kind) {
            matches.push_back(&hit);
        }
    }
    if (matches.empty()) {
        return std::nullopt;
    }
    std::uniform_int_distribution<size_t> index(0, matches.size() - 1);
    return *matches[index(random)];
}

}  // namespace

std::optional<Hit> ChooseAutopilotTap(const FlowState& state, const ScreenLayout& layout,
                                      std::mt19937& random) {
    std::uniform_int_distribution<int> percent(0, 99);
    switch (state.Current) {
        case Screen::Attract:
            return Pick(layout, TargetKind::Start, random);
        case Screen::Need:
            return Pick(layout, TargetKind::Face, random);
        case Screen::LeastMet:
            return Pick(layout, TargetKind::LeastMetNeed, random);
        case Screen::Comment:
            // Type a few letters now and then, so the keyboard path is exercised too.
            if (state.Comment.size() < 12 && percent(random) < 70) {
                return Pick(layout, TargetKind::Key, random);
            }
            return Pick(layout, percent(random) < 50 ? TargetKind::Done : TargetKind::Skip, random);
        case Screen::Intent:
            return Pick(layout, TargetKind::IntentScore, random);
        case Screen::ThankYou:
            return Pick(layout, TargetKind::Dismiss, random);
        default:
            return std::nullopt;  // saving, and manager mode: the autopilot is a customer
    }
    return std::nullopt;
}

void PushAutopilotTap(const FlowState& state, const ScreenLayout& layout, std::mt19937& random) {
    std::optional<Hit> hit = ChooseAutopilotTap(state, layout, random);
    if (!hit) {
        return;
    }
    for (Uint32 type : {SDL_MOUSEBUTTONDOWN, SDL_MOUSEBUTTONUP}) {
        SDL_Event event{};
        event.type = type;
        event.button.button = SDL_BUTTON_LEFT;
        event.button.x = static_cast<Sint32>(hit->Area.CenterX());
        event.button.y = static_cast<Sint32>(hit->Area.CenterY());
        SDL_PushEvent(&event);
    }
}

}  // namespace doorstep
