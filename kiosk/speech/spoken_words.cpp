#include "kiosk/speech/spoken_words.hpp"

#include <array>
#include <initializer_list>

#include "core/base/text.hpp"

namespace doorstep {
namespace {

// The survey text naming each accessibility mode, by AccessMode.
constexpr std::array<std::string_view, kAccessModeCount> kAccessModeWords = {
    "high_contrast", "large_text", "within_reach"};

// Ends `text` as a sentence, so joined parts are read with a pause between them.
std::string Sentence(std::string text) {
    while (!text.empty() && text.back() == ' ') {
        text.pop_back();
    }
    if (!text.empty() && std::string_view(".!?;:").find(text.back()) == std::string_view::npos) {
        text += '.';
    }
    return text;
}

std::string Sentences(std::initializer_list<std::string> parts) {
    std::string joined;
    for (const std::string& part : parts) {
        std::string sentence = Sentence(part);
        if (!sentence.empty()) {
            joined += (joined.empty() ? "" : " ") + sentence;
        }
    }
    return joined;
}

struct Words {
    const Survey& S;
    const FlowConfig& Config;
    const FlowState& State;

    const std::string& Text(std::string_view key) const { return S.Text(key, State.Language); }
    const std::string& Speech(std::string_view key) const {
        return S.SpeechText(key, State.Language);
    }
    const std::string& Contact(std::string_view key) const {
        return S.ContactText(key, State.Language);
    }
    std::string Fill(std::string_view key, std::string_view placeholder,
                     std::string_view value) const {
        return ReplaceAll(Speech(key), placeholder, value);
    }

    std::string Progress() const {
        std::string text = ReplaceAll(Text("question_progress"), "{current}",
                                      std::to_string(QuestionNumber(Config, State)));
        return ReplaceAll(std::move(text), "{total}", std::to_string(QuestionCount(Config)));
    }
    std::string ScaleWord(int value) const {
        for (const ScalePoint& point : S.Scale) {
            if (point.Value == value) {
                return Localized(point.Word, State.Language, S.DefaultLanguage);
            }
        }
        return {};
    }
    std::string NeedWords(size_t index, bool statement) const {
        if (index >= Config.NeedIds.size()) {
            return {};
        }
        const Need* need = S.FindNeed(Config.NeedIds[index]);
        if (need == nullptr) {
            return {};
        }
        return Localized(statement ? need->Statement : need->Label, State.Language,
                         S.DefaultLanguage);
    }
    std::string Typed(const std::string& text) const {
        return text.empty() ? std::string() : Fill("typed", "{text}", text);
    }

    std::string Screen() const {
        switch (State.Current) {
            case Screen::Attract:
                return Sentences({Text("attract_title"), Text("attract_subtitle")});
            case Screen::Need: {
                std::string scale = ReplaceAll(Speech("scale"), "{low}", ScaleWord(1));
                scale = ReplaceAll(std::move(scale), "{high}", ScaleWord(5));
                return Sentences(
                    {Progress(), NeedWords(static_cast<size_t>(State.NeedIndex), true), scale});
            }
            case Screen::LeastMet:
                return Sentences(
                    {Progress(), Localized(S.LeastMetQuestion, State.Language, S.DefaultLanguage),
                     Fill("choices", "{count}", std::to_string(Config.NeedIds.size()))});
            case Screen::Comment:
                return Sentences({Progress(),
                                  Localized(S.CommentPrompt, State.Language, S.DefaultLanguage),
                                  Speech("keyboard"), Typed(State.Comment)});
            case Screen::Intent: {
                std::string scale =
                    ReplaceAll(Speech("intent_scale"), "{low}",
                               Localized(S.IntentLowLabel, State.Language, S.DefaultLanguage));
                scale = ReplaceAll(std::move(scale), "{high}",
                                   Localized(S.IntentHighLabel, State.Language, S.DefaultLanguage));
                return Sentences({Progress(),
                                  Localized(S.IntentQuestion, State.Language, S.DefaultLanguage),
                                  scale});
            }
            case Screen::ThankYou:
                if (State.ContactKept) {
                    return Sentences({Contact("thanks_title"), Contact("thanks_body")});
                }
                if (State.ContactOffered) {
                    return Sentences({Contact("offer_title"), Contact("offer_body")});
                }
                return Sentences({Text("thank_you_title"), Text("thank_you_body")});
            case Screen::Contact:
                return Sentences({Contact("prompt"), Contact("privacy"), Speech("keyboard"),
                                  Typed(State.ContactText)});
            case Screen::Closed:
                return Sentences({Text("closed_title"), Text("closed_body")});
            default:
                return {};  // saving takes a moment; manager mode is not spoken
        }
    }
};

}  // namespace

std::string ControlWords(const Survey& survey, const FlowConfig& config, const FlowState& state,
                         const Target& control) {
    Words w{survey, config, state};
    bool contact = state.Current == Screen::Contact;
    switch (control.Kind) {
        case TargetKind::Start:
            return w.Text("start");
        case TargetKind::Language:
            for (const Language& language : survey.Languages) {
                if (control.Index >= 0 &&
                    control.Index < static_cast<int>(config.Languages.size()) &&
                    language.Code == config.Languages[static_cast<size_t>(control.Index)]) {
                    return language.Name;
                }
            }
            return {};
        case TargetKind::Face:
            return std::to_string(control.Index) + ", " + w.ScaleWord(control.Index);
        case TargetKind::LeastMetNeed:
            return w.NeedWords(static_cast<size_t>(control.Index), false);
        case TargetKind::IntentScore:
            return std::to_string(control.Index);
        case TargetKind::Back:
            return contact ? w.Contact("cancel") : w.Text("back");
        case TargetKind::StartOver:
            return w.Text("start_over");
        case TargetKind::Key:
            return state.ShiftOn ? ToUpperKey(control.Text) : control.Text;
        case TargetKind::Shift:
            return w.Speech("shift") + ", " + w.Speech(state.ShiftOn ? "on" : "off");
        case TargetKind::SymbolsToggle:
            return w.Text(state.SymbolsOn ? "letters" : "symbols");
        case TargetKind::Backspace:
            return w.Speech("backspace");
        case TargetKind::Space:
            return w.Text("space");
        case TargetKind::Skip:
            return w.Text("skip");
        case TargetKind::Done:
            return contact ? w.Contact("send") : w.Text("done");
        case TargetKind::Dismiss:
            return state.ContactOffered ? w.Contact("no") : w.Text("thank_you_title");
        case TargetKind::ContactYes:
            return w.Contact("yes");
        case TargetKind::AccessToggle: {
            if (control.Index < 0 || control.Index >= kAccessModeCount) {
                return {};
            }
            bool on = IsOn(state.Access, static_cast<AccessMode>(control.Index));
            return w.Text(kAccessModeWords[static_cast<size_t>(control.Index)]) + ", " +
                   w.Speech(on ? "on" : "off");
        }
        case TargetKind::SpeechSpot:
            return w.Speech("spot");
        default:
            return {};  // manager mode's controls are not spoken
    }
}

std::string SpokenWords(const Survey& survey, const FlowConfig& config, const FlowState& state,
                        const Effect& speak) {
    Words w{survey, config, state};
    auto chosen = [&](const Target& control) {
        return ReplaceAll(w.Speech("chosen"), "{choice}",
                          ControlWords(survey, config, state, control));
    };
    switch (speak.Cue) {
        case SpeechCue::Screen:
            if (speak.Chosen.Kind == TargetKind::None) {
                return w.Screen();
            }
            return Sentences({chosen(speak.Chosen), w.Screen()});
        case SpeechCue::Focus:
            return Sentence(ControlWords(survey, config, state, state.Focus));
        case SpeechCue::Chosen:
            return Sentences(
                {ControlWords(survey, config, state, speak.Chosen),
                 w.Typed(state.Current == Screen::Contact ? state.ContactText : state.Comment)});
        case SpeechCue::Help:
            return Sentences({w.Speech("help"), w.Screen()});
        case SpeechCue::Volume:
            return w.Fill("volume", "{volume}", std::to_string(speak.Volume));
        case SpeechCue::Problem:
            return Sentence(w.Contact(state.ContactProblem));
        case SpeechCue::Stop:
            return {};
    }
    return {};
}

}  // namespace doorstep
