#include "kiosk/screens/screens.hpp"

#include <cmath>
#include <string>

#include "core/base/text.hpp"
#include "kiosk/screens/faces.hpp"

namespace doorstep {
namespace {

const std::string& T(const ScreenContext& c, std::string_view key) {
    return ScreenText(c, key);
}

}  // namespace

void DrawTopBar(ImDrawList* draw, const ScreenContext& c, std::string_view header) {
    const ScreenLayout& l = c.Layout;
    for (const Hit& hit : l.Targets) {
        if (hit.Tap.Kind == TargetKind::Back || hit.Tap.Kind == TargetKind::StartOver) {
            DrawButton(draw, c.Faces, l.Type.Small, hit.Area,
                       T(c, hit.Tap.Kind == TargetKind::Back ? "back" : "start_over"),
                       ButtonStyle::Quiet, IsPressed(c, hit.Tap));
        }
    }
    DrawTextInBox(draw, c.Faces.Regular, l.Type.Small, header, l.Header, KioskPalette().MutedText);
}

void DrawTypedBox(ImDrawList* draw, const ScreenContext& c, const std::string& typed,
                  std::string_view placeholder) {
    const ScreenLayout& l = c.Layout;
    const Palette& p = KioskPalette();
    Rect box = l.TextBox;
    draw->AddRectFilled(ImVec2(box.X, box.Y), ImVec2(box.Right(), box.Bottom()), p.Surface, 10.0f);
    draw->AddRect(ImVec2(box.X, box.Y), ImVec2(box.Right(), box.Bottom()), p.Primary, 10.0f, 0,
                  2.5f);
    float pad = box.H * 0.15f;
    Rect inner{box.X + pad, box.Y + pad * 0.5f, box.W - 2 * pad, box.H - pad};
    if (typed.empty()) {
        DrawTextInBox(draw, c.Faces.Regular, l.Type.Body, placeholder, inner, p.MutedText,
                      Align::Left);
    } else {
        // Show the end of a long text: the customer is typing there. The caret shows where.
        DrawTextInBox(draw, c.Faces.Regular, l.Type.Body, typed + "|", inner, p.Text, Align::Left);
    }
}

void DrawKeyboard(ImDrawList* draw, const ScreenContext& c, std::string_view skip_label,
                  std::string_view done_label) {
    const ScreenLayout& l = c.Layout;
    const Palette& p = KioskPalette();
    for (const Hit& hit : l.Targets) {
        bool pressed = IsPressed(c, hit.Tap);
        switch (hit.Tap.Kind) {
            case TargetKind::Key:
                DrawButton(draw, c.Faces, l.Type.Body, hit.Area,
                           c.State.ShiftOn ? ToUpperKey(hit.Tap.Text) : hit.Tap.Text,
                           ButtonStyle::Secondary, pressed);
                break;
            case TargetKind::Space:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area, T(c, "space"),
                           ButtonStyle::Secondary, pressed);
                break;
            case TargetKind::SymbolsToggle:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area,
                           T(c, c.State.SymbolsOn ? "letters" : "symbols"), ButtonStyle::Secondary,
                           pressed);
                break;
            case TargetKind::Shift:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area, "", ButtonStyle::Secondary,
                           pressed, c.State.ShiftOn);
                DrawShiftIcon(draw, hit.Area, p.Text, c.State.ShiftOn);
                break;
            case TargetKind::Backspace:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area, "", ButtonStyle::Secondary,
                           pressed);
                DrawBackspaceIcon(draw, hit.Area, p.Text);
                break;
            case TargetKind::Skip:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area, skip_label,
                           ButtonStyle::Secondary, pressed);
                break;
            case TargetKind::Done:
                DrawButton(draw, c.Faces, l.Type.Small, hit.Area, done_label, ButtonStyle::Primary,
                           pressed);
                break;
            default:
                break;
        }
    }
}

namespace {

std::string Progress(const ScreenContext& c) {
    std::string text = ReplaceAll(T(c, "question_progress"), "{current}",
                                  std::to_string(QuestionNumber(c.Config, c.State)));
    return ReplaceAll(std::move(text), "{total}", std::to_string(QuestionCount(c.Config)));
}

void DrawNeed(ImDrawList* draw, const ScreenContext& c) {
    const ScreenLayout& l = c.Layout;
    const Palette& p = KioskPalette();
    const Need* need =
        c.Definition.FindNeed(c.Config.NeedIds[static_cast<size_t>(c.State.NeedIndex)]);
    DrawTopBar(draw, c, c.HeaderOverride.empty() ? Progress(c) : c.HeaderOverride);
    if (need != nullptr) {
        DrawTextInBox(draw, c.Faces.Bold, l.Type.Title,
                      Localized(need->Statement, c.State.Language), l.Title, p.Text);
    }
    int previous = c.State.Scores[static_cast<size_t>(c.State.NeedIndex)];
    for (const Hit& hit : l.Targets) {
        if (hit.Tap.Kind != TargetKind::Face) {
            continue;
        }
        const Rect& a = hit.Area;
        bool pressed = IsPressed(c, hit.Tap);
        bool selected = previous == hit.Tap.Index;
        if (pressed || selected) {
            draw->AddRectFilled(ImVec2(a.X, a.Y), ImVec2(a.Right(), a.Bottom()),
                                pressed ? p.SurfacePressed : p.Selected, a.H * 0.12f);
        }
        if (selected) {  // the answer given before coming Back: a border and a tick, not a tint
            draw->AddRect(ImVec2(a.X, a.Y), ImVec2(a.Right(), a.Bottom()), p.Primary, a.H * 0.12f,
                          0, std::max(3.0f, l.Type.Small * 0.15f));
            float tick = std::min(a.W, a.H) * 0.22f;
            DrawCheckMark(draw, {a.Right() - tick * 1.2f, a.Y + tick * 0.2f, tick, tick}, p.Text);
        }
        const std::string& word = Localized(
            c.Definition.Scale[static_cast<size_t>(hit.Tap.Index - 1)].Word, c.State.Language);
        if (l.Portrait) {
            float radius = a.H * 0.4f;
            DrawFace(draw, ImVec2(a.X + a.H * 0.55f, a.CenterY()), radius, hit.Tap.Index, pressed);
            Rect label{a.X + a.H * 1.15f, a.Y, a.W - a.H * 1.2f, a.H};
            DrawTextInBox(draw, c.Faces.Regular, l.Type.Body, word, label, p.Text, Align::Left);
        } else {
            float radius = std::min(a.W * 0.42f, a.H * 0.32f);
            ImVec2 center(a.CenterX(), a.Y + a.H * 0.42f);
            DrawFace(draw, center, radius, hit.Tap.Index, pressed);
            Rect label{a.X, center.y + radius + a.H * 0.04f, a.W,
                       a.Bottom() - center.y - radius - a.H * 0.04f};
            DrawTextInBox(draw, c.Faces.Regular, l.Type.Small, word, label, p.Text);
        }
    }
}

void DrawLeastMet(ImDrawList* draw, const ScreenContext& c) {
    const ScreenLayout& l = c.Layout;
    DrawTopBar(draw, c, Progress(c));
    DrawTextInBox(draw, c.Faces.Bold, l.Type.Title,
                  Localized(c.Definition.LeastMetQuestion, c.State.Language), l.Title,
                  KioskPalette().Text);
    for (const Hit& hit : l.Targets) {
        if (hit.Tap.Kind != TargetKind::LeastMetNeed) {
            continue;
        }
        const std::string& id = c.Config.NeedIds[static_cast<size_t>(hit.Tap.Index)];
        const Need* need = c.Definition.FindNeed(id);
        DrawButton(draw, c.Faces, l.Type.Body, hit.Area,
                   need != nullptr ? Localized(need->Label, c.State.Language) : id,
                   ButtonStyle::Secondary, IsPressed(c, hit.Tap), c.State.LeastMet == id);
    }
}

void DrawComment(ImDrawList* draw, const ScreenContext& c) {
    DrawTopBar(draw, c, Localized(c.Definition.CommentPrompt, c.State.Language));
    DrawTypedBox(draw, c, c.State.Comment, T(c, "comment_placeholder"));
    DrawKeyboard(draw, c, T(c, "skip"), T(c, "done"));
}

void DrawIntent(ImDrawList* draw, const ScreenContext& c) {
    const ScreenLayout& l = c.Layout;
    const Palette& p = KioskPalette();
    DrawTopBar(draw, c, Progress(c));
    DrawTextInBox(draw, c.Faces.Bold, l.Type.Title,
                  Localized(c.Definition.IntentQuestion, c.State.Language), l.Title, p.Text);
    for (const Hit& hit : l.Targets) {
        if (hit.Tap.Kind == TargetKind::IntentScore) {
            DrawButton(draw, c.Faces, l.Type.Title * 0.8f, hit.Area, std::to_string(hit.Tap.Index),
                       ButtonStyle::Secondary, IsPressed(c, hit.Tap),
                       c.State.Intent == hit.Tap.Index);
        }
    }
    Rect half_left{l.Subtitle.X, l.Subtitle.Y, l.Subtitle.W * 0.48f, l.Subtitle.H};
    Rect half_right{l.Subtitle.X + l.Subtitle.W * 0.52f, l.Subtitle.Y, l.Subtitle.W * 0.48f,
                    l.Subtitle.H};
    DrawTextInBox(draw, c.Faces.Regular, l.Type.Small,
                  "0 = " + Localized(c.Definition.IntentLowLabel, c.State.Language), half_left,
                  p.MutedText, Align::Left);
    DrawTextInBox(draw, c.Faces.Regular, l.Type.Small,
                  "10 = " + Localized(c.Definition.IntentHighLabel, c.State.Language), half_right,
                  p.MutedText, Align::Right);
}

void DrawThankYou(ImDrawList* draw, const ScreenContext& c) {
    if (c.State.ContactOffered || c.State.ContactLeft) {
        DrawContactThankYou(draw, c);
        return;
    }
    const ScreenLayout& l = c.Layout;
    const Palette& p = KioskPalette();
    DrawFace(draw, ImVec2(l.Hero.CenterX(), l.Hero.CenterY()), l.Hero.H * 0.48f, 5, false);
    DrawTextInBox(draw, c.Faces.Bold, l.Type.Title * 1.2f, T(c, "thank_you_title"), l.Title,
                  p.Text);
    DrawTextInBox(draw, c.Faces.Regular, l.Type.Body, T(c, "thank_you_body"), l.Subtitle,
                  p.MutedText);
}

}  // namespace

void DrawScreen(ImDrawList* draw, const ScreenContext& context) {
    switch (context.State.Current) {
        case Screen::Attract:
            DrawAttract(draw, context);
            break;
        case Screen::Need:
        case Screen::StaffNeed:
            DrawNeed(draw, context);
            break;
        case Screen::LeastMet:
            DrawLeastMet(draw, context);
            break;
        case Screen::Comment:
            DrawComment(draw, context);
            break;
        case Screen::Contact:
            DrawContact(draw, context);
            break;
        case Screen::Intent:
            DrawIntent(draw, context);
            break;
        case Screen::Saving:
            break;  // lasts one commit: a calm empty page, never a spinner
        case Screen::ThankYou:
            DrawThankYou(draw, context);
            break;
        case Screen::Closed:
            DrawClosed(draw, context);
            break;
        default:
            break;  // PIN pad and manager screens: manager_screens.cpp
    }
}

}  // namespace doorstep
