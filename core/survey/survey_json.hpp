// The survey reader's words for JSON: paths like `$.needs[2].label`, type names and positions,
// as its problems name them (survey_reader.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace doorstep {

// ordered_json keeps members in file order, so problems come out in document order.
using Json = nlohmann::ordered_json;

inline constexpr std::string_view kLowerLetters = "abcdefghijklmnopqrstuvwxyz";
inline constexpr std::string_view kNeedIdChars = "abcdefghijklmnopqrstuvwxyz_";

std::string Quoted(std::string_view text);
bool OnlyChars(std::string_view text, std::string_view allowed);
// `$.a.b` for plain keys, `$["two words"]` for anything else, so every path stays unambiguous.
std::string Member(const std::string& path, std::string_view key);
std::string Index(const std::string& path, size_t index);
std::string TypeName(const Json& value);
bool IsBlank(std::string_view text);
std::string LineColumn(std::string_view text, size_t offset);

}  // namespace doorstep
