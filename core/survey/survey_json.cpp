#include "core/survey/survey_json.hpp"

#include "core/base/text.hpp"

namespace doorstep {

std::string Quoted(std::string_view text) {
    return Json(std::string(text)).dump();
}

bool OnlyChars(std::string_view text, std::string_view allowed) {
    return text.find_first_not_of(allowed) == std::string_view::npos;
}

std::string Member(const std::string& path, std::string_view key) {
    static const std::string kPlain = std::string(kLowerLetters) + "ABCDEFGHIJKLMNOPQRSTUVWXYZ_";
    bool plain = !key.empty() && OnlyChars(key, kPlain);
    return plain ? path + "." + std::string(key) : path + "[" + Quoted(key) + "]";
}

std::string Index(const std::string& path, size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

std::string TypeName(const Json& value) {
    if (value.is_number_float()) {
        return "fractional number";
    }
    if (value.is_number()) {
        return "integer";
    }
    return value.type_name();  // "string", "boolean", "null", "object", "array"
}

bool IsBlank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string LineColumn(std::string_view text, size_t offset) {
    TextPosition at = PositionOf(text, offset);
    return "line " + std::to_string(at.Line) + ", column " + std::to_string(at.Column);
}

}  // namespace doorstep
