// The attract, thank-you and closed screens. From the bottom up, attract stacks the language row,
// the accessibility toggles and the start button, so all of them stay within reach; the title, the
// subtitle and the animation take what is left above.
#include <algorithm>

#include "kiosk/layout/layout_internal.hpp"

namespace doorstep::layout_detail {

namespace {

// Three toggles: one row in landscape, one above the other in portrait (the words need the width).
// In portrait the stack keeps `left` clear for the tactile spot. Returns the y of the topmost
// toggle.
float LayoutAccessToggles(const Metrics& m, float bottom, float left, ScreenLayout& layout) {
    float h = m.MinTarget;
    if (m.Portrait) {
        float room = m.W - 2 * m.Margin - left;
        float w = std::min(room, m.MinTarget * 6.0f);
        float x = std::max((m.W - w) * 0.5f, m.Margin + left);  // centred where there is room
        float y = bottom - static_cast<float>(kAccessModeCount) * (h + m.Gap) + m.Gap;
        for (int i = 0; i < kAccessModeCount; ++i) {
            AddTarget(layout, TargetKind::AccessToggle, i,
                      {x, y + static_cast<float>(i) * (h + m.Gap), w, h});
        }
        return y;
    }
    float count = static_cast<float>(kAccessModeCount);
    float w = std::min((m.W - 2 * m.Margin - m.Gap * (count - 1)) / count,
                       std::max(m.MinTarget * 4.0f, m.W * 0.26f));
    float row_w = w * count + m.Gap * (count - 1);
    float y = bottom - h;
    for (int i = 0; i < kAccessModeCount; ++i) {
        AddTarget(layout, TargetKind::AccessToggle, i,
                  {(m.W - row_w) * 0.5f + static_cast<float>(i) * (w + m.Gap), y, w, h});
    }
    return y;
}

}  // namespace

void LayoutAttract(const Metrics& m, const LayoutInput& input, ScreenLayout& layout) {
    int languages = std::max(1, input.LanguageCount);
    // The tactile spot takes the bottom left corner. In landscape it starts the language row,
    // which keeps clear of it on both sides and so stays centred; in portrait, where the row
    // has no width to spare, it sits left of the lowest toggle, just above the row.
    float spot_side = input.SpeechSpot ? m.MinTarget + m.Gap : 0.0f;
    float row_spot_side = m.Portrait ? 0.0f : spot_side;
    float lang_w = std::min(
        (m.W - 2 * (m.Margin + row_spot_side) - m.Gap * static_cast<float>(languages - 1)) /
            static_cast<float>(languages),
        std::max(m.MinTarget * 2.2f, m.W * 0.18f));
    float lang_h = m.MinTarget;
    float row_w =
        lang_w * static_cast<float>(languages) + m.Gap * static_cast<float>(languages - 1);
    float lang_y = m.H - m.Margin - lang_h;
    if (input.SpeechSpot && !m.Portrait) {
        AddTarget(layout, TargetKind::SpeechSpot, 0, {m.Margin, lang_y, m.MinTarget, lang_h});
    }
    for (int i = 0; i < languages; ++i) {
        AddTarget(layout, TargetKind::Language, i,
                  {(m.W - row_w) * 0.5f + static_cast<float>(i) * (lang_w + m.Gap), lang_y, lang_w,
                   lang_h});
    }
    float toggles_bottom = lang_y - m.Gap * 2;
    float toggles_y = LayoutAccessToggles(m, toggles_bottom, m.Portrait ? spot_side : 0.0f, layout);
    if (input.SpeechSpot && m.Portrait) {
        AddTarget(layout, TargetKind::SpeechSpot, 0,
                  {m.Margin, toggles_bottom - m.MinTarget, m.MinTarget, m.MinTarget});
    }
    float usable_h = toggles_y - m.Gap - m.Margin;
    float reach_top = ReachTopFor(m);
    float hero_h = std::max(m.MinTarget * 1.3f, usable_h * 0.2f);
    float hero_bottom = toggles_y - m.Gap * 2;
    if (input.Access.WithinReach) {
        hero_h = std::min(hero_h, hero_bottom - reach_top);
    }
    float hero_w = std::max(m.W * 0.5f, m.MinTarget * 4);
    layout.Hero = {(m.W - hero_w) * 0.5f, hero_bottom - hero_h, hero_w, hero_h};
    // The drawn start button comes first, so `layout` and the tests tap it rather than the
    // middle of the screen, where a toggle may be.
    AddTarget(layout, TargetKind::Start, 0, layout.Hero);
    layout.Title = {m.Margin, m.Margin + usable_h * 0.03f, m.W - 2 * m.Margin, usable_h * 0.28f};
    layout.Subtitle = {m.Margin, layout.Title.Bottom(), m.W - 2 * m.Margin, usable_h * 0.15f};
    layout.Decoration = {m.Margin, layout.Subtitle.Bottom() + m.Gap, m.W - 2 * m.Margin,
                         layout.Hero.Y - layout.Subtitle.Bottom() - 2 * m.Gap};
    // The manager's hidden corner: a short tap there starts the survey like anywhere else; only a
    // press held for seconds opens the PIN pad, which no customer does by chance.
    AddTarget(layout, TargetKind::ManagerCorner, 0, {0, 0, m.MinTarget, m.MinTarget});
    // Anywhere but the buttons starts the survey: a customer cannot miss it. Within reach, the
    // lower part does (the rule is about where targets are, not how big).
    if (input.Access.WithinReach) {
        AddTarget(layout, TargetKind::Start, 0, {0, reach_top, m.W, m.H - reach_top});
    } else {
        AddTarget(layout, TargetKind::Start, 0, {0, 0, m.W, m.H});
    }
}

void LayoutThankYou(const Metrics& m, const LayoutInput& input, ScreenLayout& layout) {
    float usable = m.H - 2 * m.Margin;
    if (input.Current == Screen::ThankYou && input.ContactOffer) {
        LayoutContactOffer(m, input, layout);
        return;
    }
    layout.Hero = {(m.W - usable * 0.3f) * 0.5f, m.Margin + usable * 0.12f, usable * 0.3f,
                   usable * 0.3f};
    layout.Title = {m.Margin, layout.Hero.Bottom() + m.Gap, m.W - 2 * m.Margin, usable * 0.2f};
    layout.Subtitle = {m.Margin, layout.Title.Bottom(), m.W - 2 * m.Margin, usable * 0.2f};
    if (input.Current == Screen::ThankYou) {
        float top = input.Access.WithinReach ? ReachTopFor(m) : 0.0f;
        AddTarget(layout, TargetKind::Dismiss, 0, {0, top, m.W, m.H - top});
    }
}

// A smaller face, the thanks, the offer in words, and two buttons: only they answer, so a
// stray touch neither accepts nor refuses. Within reach, the buttons sit in the lower part.
void LayoutContactOffer(const Metrics& m, const LayoutInput& input, ScreenLayout& layout) {
    float usable = m.H - 2 * m.Margin;
    float face = usable * 0.2f;
    layout.Hero = {(m.W - face) * 0.5f, m.Margin + usable * 0.03f, face, face};
    layout.Title = {m.Margin, layout.Hero.Bottom() + m.Gap, m.W - 2 * m.Margin, usable * 0.14f};
    layout.Subtitle = {m.Margin, layout.Title.Bottom(), m.W - 2 * m.Margin, usable * 0.24f};
    float button_h = m.MinTarget * 1.1f;
    float rows_h = m.Portrait ? 2 * button_h + m.Gap : button_h;
    float y = std::max(layout.Subtitle.Bottom() + m.Gap, m.H - m.Margin - rows_h - usable * 0.06f);
    if (input.Access.WithinReach) {
        y = std::max(y, ReachTopFor(m));
    }
    if (m.Portrait) {
        Rect yes{m.Margin, y, m.W - 2 * m.Margin, button_h};
        AddTarget(layout, TargetKind::ContactYes, 0, yes);
        AddTarget(layout, TargetKind::Dismiss, 0, {yes.X, yes.Bottom() + m.Gap, yes.W, button_h});
        return;
    }
    float button_w = std::min(m.W * 0.36f, (m.W - 2 * m.Margin - m.Gap * 2) * 0.5f);
    float x = m.W * 0.5f - button_w - m.Gap;
    AddTarget(layout, TargetKind::ContactYes, 0, {x, y, button_w, button_h});
    AddTarget(layout, TargetKind::Dismiss, 0, {m.W * 0.5f + m.Gap, y, button_w, button_h});
}

void LayoutClosed(const Metrics& m, ScreenLayout& layout) {
    float usable = m.H - 2 * m.Margin;
    layout.Title = {m.Margin, m.Margin + usable * 0.32f, m.W - 2 * m.Margin, usable * 0.14f};
    layout.Subtitle = {m.Margin * 4, layout.Title.Bottom(), m.W - 8 * m.Margin, usable * 0.2f};
    // Manager mode stays reachable while closed; nothing else is a target.
    AddTarget(layout, TargetKind::ManagerCorner, 0, {0, 0, m.MinTarget, m.MinTarget});
}

}  // namespace doorstep::layout_detail
