// Service recovery's screens: the thank-you that offers "May we contact you?" after a low
// answer, the screen where the contact is typed, and the thank-you after it.
#include "kiosk/screens/faces.hpp"
#include "kiosk/screens/screens.hpp"

namespace doorstep {
namespace {

const std::string& Words(const ScreenContext& c, std::string_view key) {
    return c.Definition.ContactText(key, c.State.Language);
}

}  // namespace

void DrawContactThankYou(ImDrawList* draw, const ScreenContext& c) {
    const ScreenLayout& l = c.Layout;
    const Palette& p = KioskPalette();
    const FlowState& s = c.State;
    if (s.ContactLeft) {
        // Kept: the happy face and the promise. Not kept: no promise, a person instead.
        DrawFace(draw, ImVec2(l.Hero.CenterX(), l.Hero.CenterY()), l.Hero.H * 0.48f,
                 s.ContactKept ? 5 : 3, false);
        DrawTextInBox(draw, c.Faces.Bold, l.Type.Title * 1.1f,
                      s.ContactKept ? Words(c, "thanks_title") : ScreenText(c, "thank_you_title"),
                      l.Title, p.Text);
        DrawTextInBox(draw, c.Faces.Regular, l.Type.Body,
                      Words(c, s.ContactKept ? "thanks_body" : "not_kept"), l.Subtitle,
                      p.MutedText);
        return;
    }
    DrawFace(draw, ImVec2(l.Hero.CenterX(), l.Hero.CenterY()), l.Hero.H * 0.48f, 3, false);
    DrawTextInBox(draw, c.Faces.Bold, l.Type.Title, ScreenText(c, "thank_you_title"), l.Title,
                  p.Text);
    DrawTextInBox(draw, c.Faces.Regular, l.Type.Body,
                  Words(c, "offer_title") + "\n" + Words(c, "offer_body"), l.Subtitle, p.Text);
    for (const Hit& hit : l.Targets) {
        bool yes = hit.Tap.Kind == TargetKind::ContactYes;
        DrawButton(draw, c.Faces, l.Type.Button, hit.Area, Words(c, yes ? "yes" : "no"),
                   yes ? ButtonStyle::Primary : ButtonStyle::Secondary, IsPressed(c, hit.Tap));
    }
}

void DrawContact(ImDrawList* draw, const ScreenContext& c) {
    const ScreenLayout& l = c.Layout;
    const Palette& p = KioskPalette();
    DrawTopBar(draw, c, Words(c, "prompt"));
    DrawTypedBox(draw, c, c.State.ContactText, Words(c, "prompt"));
    if (!c.State.ContactProblem.empty()) {  // in bold words, not by colour alone
        DrawTextInBox(draw, c.Faces.Bold, l.Type.Small, Words(c, c.State.ContactProblem),
                      l.Subtitle, p.Text, Align::Left);
    } else {
        DrawTextInBox(draw, c.Faces.Regular, l.Type.Small, Words(c, "privacy"), l.Subtitle,
                      p.MutedText, Align::Left);
    }
    DrawKeyboard(draw, c, Words(c, "cancel"), Words(c, "send"));
}

}  // namespace doorstep
