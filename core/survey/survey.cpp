#include "core/survey/survey.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/base/text.hpp"
#include "core/survey/survey_reader.hpp"

namespace doorstep {
namespace {

const std::string kEmptyText;

}  // namespace

std::vector<const Need*> Survey::EnabledNeeds() const {
    std::vector<const Need*> enabled;
    for (const Need& need : Needs) {
        if (need.Enabled) {
            enabled.push_back(&need);
        }
    }
    return enabled;
}

const Need* Survey::FindNeed(std::string_view id) const {
    auto need = std::find_if(Needs.begin(), Needs.end(), [&](const Need& n) { return n.Id == id; });
    return need == Needs.end() ? nullptr : &*need;
}

bool Survey::HasLanguage(std::string_view code) const {
    return std::any_of(Languages.begin(), Languages.end(),
                       [&](const Language& language) { return language.Code == code; });
}

const std::string& Survey::Text(std::string_view key, std::string_view language) const {
    auto text = Texts.find(key);
    return text == Texts.end() ? kEmptyText : Localized(text->second, language, DefaultLanguage);
}

const std::string& Survey::ContactText(std::string_view key, std::string_view language) const {
    auto text = Contact.Texts.find(key);
    return text == Contact.Texts.end() ? kEmptyText
                                       : Localized(text->second, language, DefaultLanguage);
}

const std::string& Survey::SpeechText(std::string_view key, std::string_view language) const {
    auto text = Speech.Texts.find(key);
    return text == Speech.Texts.end() ? kEmptyText
                                      : Localized(text->second, language, DefaultLanguage);
}

std::string Survey::VoiceFor(std::string_view language) const {
    auto voice = Speech.Voices.find(language);
    return voice == Speech.Voices.end() ? std::string(language) : voice->second;
}

const std::string& Localized(const LocalizedText& text, std::string_view language) {
    // Without the survey at hand any language beats a blank; the map order keeps it stable.
    return Localized(text, language, text.empty() ? "" : text.begin()->first);
}

const std::string& Localized(const LocalizedText& text, std::string_view language,
                             std::string_view default_language) {
    auto entry = text.find(language);
    if (entry == text.end()) {
        entry = text.find(default_language);
    }
    return entry == text.end() ? kEmptyText : entry->second;
}

std::string SurveyProblem::Describe() const {
    return File + ": " + JsonPath + ": " + Problem;
}

SurveyParse ParseSurvey(std::string_view json_text, std::string_view file_name) {
    return ReadSurvey(json_text, file_name);
}

SurveyParse LoadSurveyFile(const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                         &std::fclose);
    std::string text;
    int error = file ? 0 : errno;
    if (file) {
        char buffer[8192];
        size_t read = 0;
        while ((read = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
            text.append(buffer, read);
        }
        error = std::ferror(file.get()) ? errno : 0;  // e.g. EISDIR when given a directory
    }
    if (error != 0) {
        SurveyParse parse;
        parse.Problems.push_back(
            {path, "$", "cannot read the survey file: " + std::string(std::strerror(error))});
        return parse;
    }
    return ParseSurvey(text, path);
}

std::vector<std::string_view> AllTexts(const Survey& survey) {
    std::vector<std::string_view> texts;
    auto add = [&](const LocalizedText& text) {
        for (const auto& [code, words] : text) {
            texts.push_back(words);
        }
    };
    for (const Language& language : survey.Languages) {
        texts.push_back(language.Name);
    }
    for (const Need& need : survey.Needs) {
        add(need.Label);
        add(need.Statement);
    }
    for (const ScalePoint& point : survey.Scale) {
        add(point.Word);
    }
    for (const LocalizedText* text :
         {&survey.LeastMetQuestion, &survey.IntentQuestion, &survey.IntentLowLabel,
          &survey.IntentHighLabel, &survey.CommentPrompt}) {
        add(*text);
    }
    for (const auto& [key, text] : survey.Texts) {
        add(text);
    }
    for (const auto& [key, text] : survey.Contact.Texts) {
        add(text);
    }
    for (const auto& [code, keyboard] : survey.Keyboards) {
        texts.insert(texts.end(), keyboard.LetterRows.begin(), keyboard.LetterRows.end());
        texts.insert(texts.end(), keyboard.SymbolRows.begin(), keyboard.SymbolRows.end());
    }
    return texts;
}

}  // namespace doorstep
