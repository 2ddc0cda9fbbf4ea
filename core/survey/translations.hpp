// Words of the manager's screens, from assets/translations/manager.json: one object per language,
// key -> text, with English as the fallback. (Customers' words come from the survey definition.)
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/result.hpp"

namespace doorstep {

class Translations {
  public:
    // Loads `language`, falling back key by key to English. Errors name the file and the problem.
    static Result<Translations> Load(const std::string& path, const std::string& language);

    // The text for `key`; the key itself when no language has it, so a gap shows, never crashes.
    const std::string& Get(std::string_view key) const;
    // Get(key) with each "{name}" replaced by its value.
    std::string Format(
        std::string_view key,
        std::initializer_list<std::pair<std::string_view, std::string>> values) const;

  private:
    std::map<std::string, std::string, std::less<>> Texts_;
    mutable std::map<std::string, std::string, std::less<>> Missing_;
};

}  // namespace doorstep
