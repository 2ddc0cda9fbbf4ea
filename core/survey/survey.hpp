// The survey definition: every word a customer reads comes from here, never from code.
// Parsed from JSON (assets/surveys/*.json) and validated as a whole; see docs/survey-format.md.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace doorstep {

// Language code ("en", "el", ...) -> text in that language.
using LocalizedText = std::map<std::string, std::string, std::less<>>;

struct Language {
    std::string Code;  // ISO 639-1, e.g. "de"
    std::string Name;  // the language's name in itself, e.g. "Deutsch"
};

struct Need {
    std::string Id;  // stable identifier stored with every answer, e.g. "trust"
    bool Enabled = true;
    LocalizedText Label;      // short, fits a button: "Trust"
    LocalizedText Statement;  // what the customer rates: "I felt I could trust what I was told."
};

struct ScalePoint {
    int Value = 0;       // 1 (worst) .. 5 (best)
    LocalizedText Word;  // shown under the face: "Very poor" .. "Excellent"
};

// On-screen keyboard for one language. Each row is a UTF-8 string; every code point is one key.
struct KeyboardLayout {
    std::vector<std::string> LetterRows;  // lower-case letters; the shift key upper-cases them
    std::vector<std::string> SymbolRows;  // digits and punctuation, shown by the "?123" key
};

// Keys of the fixed interface texts every survey must provide, for every language.
inline constexpr std::string_view kRequiredTextKeys[] = {
    "attract_title",        // big line on the attract screen
    "attract_subtitle",     // smaller line under it
    "start",                // the start button
    "back",                 // back button
    "start_over",           // start-over button
    "skip",                 // skip the comment
    "done",                 // finish the comment
    "space",                // space bar label
    "symbols",              // key that switches the keyboard to digits and punctuation
    "letters",              // key that switches back to letters
    "comment_placeholder",  // shown in the empty comment box
    "thank_you_title",
    "thank_you_body",
    "question_progress",  // "Question {current} of {total}"
    "high_contrast",      // attract: accessibility toggle, white and yellow on black
    "large_text",         // attract: accessibility toggle, bigger words
    "within_reach",       // attract: accessibility toggle, every button in the lower part
    "closed_title",       // outside opening hours: the big line
    "closed_body",        // outside opening hours: the line under it
};

// Service recovery (core/alerts/contact.hpp): after a low answer the thank-you screen may ask
// "May we contact you?". Off unless the survey's "contact_offer" says "enabled": true.
inline constexpr std::string_view kContactTextKeys[] = {
    "offer_title",         // thank-you after a low answer: "We are sorry it was not better."
    "offer_body",          // "May we contact you to put it right?"
    "yes",                 // "Yes, contact me"
    "no",                  // "No, thank you"
    "prompt",              // over the box: "Your e-mail or phone number"
    "privacy",             // under it: who sees it and when it is deleted
    "send",                // the button that leaves it
    "cancel",              // the button that leaves without it
    "thanks_title",        // after it was kept: "Thank you. We will be in touch."
    "thanks_body",         // "Only this store's team sees it ..."
    "not_kept",            // the terminal could not keep it: ask a member of staff
    "problem_empty",       // Send on an empty box
    "problem_unreadable",  // neither an e-mail address nor a phone number
    "problem_too_long",
};

struct ContactOffer {
    bool Enabled = false;
    std::map<std::string, LocalizedText, std::less<>> Texts;  // kContactTextKeys -> text
};

// Speech for customers who cannot see the screen (kiosk/speech/spoken_words.hpp): the words
// that are only heard, and the espeak-ng voice per language. Without "speech" the terminal has no
// speech mode.
inline constexpr std::string_view kSpeechTextKeys[] = {
    "help",          // how to use the keys, said by the help key and when speech starts
    "spot",          // attract: where the tactile spot is and how to start speech by it
    "chosen",        // "{choice}: chosen."
    "volume",        // "Volume {volume} of 10."
    "scale",         // a need: "From 1, {low}, to 5, {high}."
    "intent_scale",  // "From 0, {low}, to 10, {high}."
    "choices",       // the least-met question: "{count} choices."
    "keyboard",      // the comment and contact screens: how the keyboard and its keys work
    "typed",         // what is in the box so far: "Written so far: {text}."
    "shift",         // key names the screen draws as symbols
    "backspace",
    "on",  // a toggle's state, after its name
    "off",
};

struct SpeechWords {
    bool Enabled = false;
    std::map<std::string, std::string, std::less<>> Voices;   // language code -> espeak-ng voice
    std::map<std::string, LocalizedText, std::less<>> Texts;  // kSpeechTextKeys -> text
};

struct Survey {
    std::string Id;
    int Version = 0;  // increases with every published change
    std::string DefaultLanguage;
    std::vector<Language> Languages;
    std::vector<Need> Needs;         // all defined needs, enabled or not, in display order
    std::vector<ScalePoint> Scale;   // exactly five points, values 1..5 ascending
    LocalizedText LeastMetQuestion;  // "Which of these mattered most and was least met today?"
    LocalizedText IntentQuestion;    // "How likely are you to come back?"
    LocalizedText IntentLowLabel;    // under 0: "Not at all likely"
    LocalizedText IntentHighLabel;   // under 10: "Extremely likely"
    LocalizedText CommentPrompt;     // "Anything you would like to tell us?"
    int CommentMaxChars = 500;       // counted in code points
    std::map<std::string, LocalizedText, std::less<>> Texts;       // kRequiredTextKeys -> text
    std::map<std::string, KeyboardLayout, std::less<>> Keyboards;  // language code -> layout
    ContactOffer Contact;
    SpeechWords Speech;

    std::vector<const Need*> EnabledNeeds() const;
    const Need* FindNeed(std::string_view id) const;
    bool HasLanguage(std::string_view code) const;
    // Text for a fixed key in a language; validation guarantees presence for valid surveys.
    const std::string& Text(std::string_view key, std::string_view language) const;
    // The same for the contact offer's words (kContactTextKeys).
    const std::string& ContactText(std::string_view key, std::string_view language) const;
    // The same for speech (kSpeechTextKeys).
    const std::string& SpeechText(std::string_view key, std::string_view language) const;
    // The espeak-ng voice for a language: the survey's choice, else the language code.
    std::string VoiceFor(std::string_view language) const;
};

// Picks the language's entry from a validated LocalizedText. Never throws: a missing entry falls
// back to some other language, then to an empty string.
const std::string& Localized(const LocalizedText& text, std::string_view language);
// As above, but falls back to `default_language` (the survey's), then to an empty string.
const std::string& Localized(const LocalizedText& text, std::string_view language,
                             std::string_view default_language);

struct SurveyProblem {
    std::string File;              // file name as given, or "<memory>"
    std::string JsonPath;          // e.g. "$.needs[2].statement.el"
    std::string Problem;           // e.g. "missing text for language \"el\""
    std::string Describe() const;  // "default.json: $.needs[2].statement.el: missing text ..."
};

struct SurveyParse {
    Survey Definition;                    // meaningful only when Problems is empty
    std::vector<SurveyProblem> Problems;  // every problem found, in document order
    bool Ok() const { return Problems.empty(); }
};

// Parses and validates a definition. `file_name` is used only in problem reports.
SurveyParse ParseSurvey(std::string_view json_text, std::string_view file_name);
// Reads the file, then ParseSurvey. An unreadable file is reported as a problem at "$".
SurveyParse LoadSurveyFile(const std::string& path);

// Every string a customer may see, for building font glyph ranges.
std::vector<std::string_view> AllTexts(const Survey& survey);

}  // namespace doorstep
