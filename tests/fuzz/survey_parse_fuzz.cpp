// Fuzz target: the survey-definition parser (ParseSurvey, core/survey/survey_reader.cpp).
//
// The input is a definition file's bytes. The target aborts unless
//   * a refused definition names every problem with the file, a JSON path starting at "$" and
//     words;
//   * an accepted one keeps every rule of docs/survey-format.md, checked here again from the
//     document: languages, needs and how many are enabled, the five-point scale, a non-blank
//     entry for exactly the declared languages in every text, the fixed text keys and their
//     placeholders, and one keyboard per language with rows of 1 to 12 distinct keys;
//   * what the kiosk then asks of it (Text, FindNeed, EnabledNeeds, AllTexts) answers.
#include <cstdint>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/survey/survey.hpp"
#include "fuzz_require.hpp"

namespace {

using doorstep::LocalizedText;
using doorstep::Survey;
using doorstep::fuzz::Require;

bool NonBlank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") != std::string_view::npos;
}

bool OnlyOf(std::string_view text, std::string_view allowed) {
    return text.find_first_not_of(allowed) == std::string_view::npos;
}

// Code points of text the parser accepted, which is valid UTF-8: the lead byte gives the length.
std::vector<std::string> CodePoints(std::string_view text) {
    std::vector<std::string> points;
    for (size_t at = 0; at < text.size();) {
        auto lead = static_cast<unsigned char>(text[at]);
        size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        points.emplace_back(text.substr(at, length));
        at += length;
    }
    return points;
}

void CheckText(const LocalizedText& text, const std::set<std::string>& codes) {
    std::set<std::string> keys;
    for (const auto& [code, words] : text) {
        keys.insert(code);
        Require(NonBlank(words), "every text entry is non-blank");
    }
    Require(keys == codes, "every text has exactly the declared languages");
}

void CheckKeyboardPage(const std::vector<std::string>& rows) {
    Require(!rows.empty(), "a keyboard page has a row");
    std::set<std::string> keys;
    for (const std::string& row : rows) {
        std::vector<std::string> points = CodePoints(row);
        Require(!points.empty() && points.size() <= 12, "a row has 1 to 12 keys");
        for (const std::string& key : points) {
            Require(NonBlank(key), "a row has no space");
            Require(keys.insert(key).second, "no key twice on a page");
        }
    }
}

void CheckAccepted(const Survey& survey) {
    Require(NonBlank(survey.Id) && survey.Version >= 1, "an id and a version of at least 1");

    std::set<std::string> codes;
    Require(!survey.Languages.empty(), "at least one language");
    for (const doorstep::Language& language : survey.Languages) {
        Require(language.Code.size() == 2 && OnlyOf(language.Code, "abcdefghijklmnopqrstuvwxyz"),
                "a language code is two lower-case letters");
        Require(codes.insert(language.Code).second, "language codes are unique");
        Require(NonBlank(language.Name), "a language has a name");
        Require(survey.HasLanguage(language.Code), "HasLanguage finds every language");
    }
    Require(codes.count(survey.DefaultLanguage) == 1, "the default language is declared");

    Require(!survey.Needs.empty() && survey.Needs.size() <= 8, "1 to 8 needs");
    size_t enabled = survey.EnabledNeeds().size();
    Require(enabled >= 1 && enabled <= 5, "1 to 5 needs enabled");
    std::set<std::string> need_ids;
    for (const doorstep::Need& need : survey.Needs) {
        Require(!need.Id.empty() && OnlyOf(need.Id, "abcdefghijklmnopqrstuvwxyz_"),
                "a need id is a-z and _");
        Require(need_ids.insert(need.Id).second, "need ids are unique");
        Require(survey.FindNeed(need.Id) == &need, "FindNeed finds every need");
        CheckText(need.Label, codes);
        CheckText(need.Statement, codes);
    }

    Require(survey.Scale.size() == 5, "five scale points");
    for (size_t i = 0; i < survey.Scale.size(); ++i) {
        Require(survey.Scale[i].Value == static_cast<int>(i) + 1, "scale values 1 to 5 in order");
        CheckText(survey.Scale[i].Word, codes);
    }
    for (const LocalizedText* text :
         {&survey.LeastMetQuestion, &survey.IntentQuestion, &survey.IntentLowLabel,
          &survey.IntentHighLabel, &survey.CommentPrompt}) {
        CheckText(*text, codes);
    }
    Require(survey.CommentMaxChars >= 1 && survey.CommentMaxChars <= 2000, "max_chars 1 to 2000");

    Require(survey.Texts.size() == std::size(doorstep::kRequiredTextKeys),
            "exactly the fixed text keys");
    for (std::string_view key : doorstep::kRequiredTextKeys) {
        auto text = survey.Texts.find(key);
        Require(text != survey.Texts.end(), "every fixed text key is there");
        CheckText(text->second, codes);
        for (const std::string& code : codes) {
            const std::string& words = survey.Text(key, code);
            Require(NonBlank(words), "Text() answers every key in every language");
            if (key == "question_progress") {
                Require(words.find("{current}") != std::string::npos &&
                            words.find("{total}") != std::string::npos,
                        "question_progress has both placeholders");
            }
        }
    }

    Require(survey.Keyboards.size() == codes.size(), "one keyboard per language");
    for (const std::string& code : codes) {
        auto keyboard = survey.Keyboards.find(code);
        Require(keyboard != survey.Keyboards.end(), "every language has a keyboard");
        CheckKeyboardPage(keyboard->second.LetterRows);
        CheckKeyboardPage(keyboard->second.SymbolRows);
    }
    Require(!doorstep::AllTexts(survey).empty(), "AllTexts lists the survey's words");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    doorstep::SurveyParse parse = doorstep::ParseSurvey(text, "fuzz.json");
    if (parse.Ok()) {
        CheckAccepted(parse.Definition);
        return 0;
    }
    for (const doorstep::SurveyProblem& problem : parse.Problems) {
        Require(problem.File == "fuzz.json", "a problem names the file");
        Require(problem.JsonPath.rfind('$', 0) == 0, "a problem's path starts at $");
        Require(!problem.Problem.empty(), "a problem is said in words");
    }
    return 0;
}
