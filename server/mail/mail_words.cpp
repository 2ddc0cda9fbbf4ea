#include "server/mail/mail_words.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "server/mail/mail_word_files.hpp"

namespace doorstep::server {
namespace {

std::string_view ShippedJson() {
    for (const EmbeddedFile& file : MailWordFiles()) {
        if (file.Path == "/words.json") {
            return file.Body;
        }
    }
    throw std::logic_error("assets/mail/words.json is not compiled in");
}

}  // namespace

MailWords::MailWords() : MailWords(ShippedJson()) {}

MailWords::MailWords(std::string_view json) {
    nlohmann::json document = nlohmann::json::parse(json);
    for (const auto& [language, words] : document.items()) {
        for (const auto& [key, text] : words.items()) {
            Words_[language][key] = text.get<std::string>();
        }
    }
}

std::string MailWords::Say(std::string_view language, std::string_view key,
                           const WordValues& values) const {
    std::string text;
    for (std::string_view tried : {language, std::string_view("en")}) {
        auto words = Words_.find(std::string(tried));
        if (words == Words_.end()) {
            continue;
        }
        if (auto found = words->second.find(std::string(key)); found != words->second.end()) {
            text = found->second;
            break;
        }
    }
    for (const auto& [name, value] : values) {
        std::string mark = "{" + std::string(name) + "}";
        for (size_t at = text.find(mark); at != std::string::npos;
             at = text.find(mark, at + value.size())) {
            text.replace(at, mark.size(), value);
        }
    }
    return text;
}

std::string MailWords::NeedName(std::string_view language, std::string_view need) const {
    std::string key = "need_" + std::string(need);
    auto english = Words_.find("en");
    if (english == Words_.end() || english->second.count(key) == 0) {
        return std::string(need);
    }
    return Say(language, key);
}

std::string MailWords::Number(std::string_view language, double value) const {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    std::string number = text;
    if (language != "en") {
        for (char& c : number) {
            if (c == '.') {
                c = ',';  // es, fr, de and el write a decimal comma
            }
        }
    }
    return number;
}

std::vector<std::string> MailWords::Languages() const {
    std::vector<std::string> languages;
    for (const auto& [language, words] : Words_) {
        languages.push_back(language);
    }
    return languages;
}

std::vector<std::string> MailWords::MissingKeys(std::string_view language) const {
    std::vector<std::string> missing;
    auto english = Words_.find("en");
    auto words = Words_.find(std::string(language));
    if (english == Words_.end()) {
        return missing;
    }
    for (const auto& [key, text] : english->second) {
        if (words == Words_.end() || words->second.count(key) == 0) {
            missing.push_back(key);
        }
    }
    return missing;
}

}  // namespace doorstep::server
