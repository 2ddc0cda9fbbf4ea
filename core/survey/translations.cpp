#include "core/survey/translations.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/base/text.hpp"

namespace doorstep {

Result<Translations> Translations::Load(const std::string& path, const std::string& language) {
    std::ifstream in(path);
    if (!in) {
        return Error{"cannot read " + path, 0};
    }
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json document = nlohmann::json::parse(text.str(), nullptr, false);
    if (document.is_discarded() || !document.is_object() || !document.contains("en") ||
        !document["en"].is_object()) {
        return Error{path + ": expected an object with at least an \"en\" object of texts", 0};
    }
    Translations translations;
    for (const std::string& code : {std::string("en"), language}) {
        if (!document.contains(code) || !document[code].is_object()) {
            continue;  // a language without manager texts yet: English stays
        }
        for (const auto& [key, value] : document[code].items()) {
            if (value.is_string()) {
                translations.Texts_[key] = value.get<std::string>();
            }
        }
    }
    return translations;
}

const std::string& Translations::Get(std::string_view key) const {
    auto found = Texts_.find(key);
    if (found != Texts_.end()) {
        return found->second;
    }
    return Missing_.emplace(std::string(key), std::string(key)).first->second;
}

std::string Translations::Format(
    std::string_view key,
    std::initializer_list<std::pair<std::string_view, std::string>> values) const {
    std::string text = Get(key);
    for (const auto& [name, value] : values) {
        text = ReplaceAll(std::move(text), "{" + std::string(name) + "}", value);
    }
    return text;
}

}  // namespace doorstep
