// The words of the mails in each language (assets/mail/words.json): "{name}" in a text is
// replaced by the value given for it. A language the file lacks speaks English; a key missing
// from a language is caught by tests (mail_words_test.cpp), and would fall back to English too.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace doorstep::server {

using WordValues = std::vector<std::pair<std::string_view, std::string>>;

class MailWords {
  public:
    // The shipped words.
    MailWords();
    explicit MailWords(std::string_view json);

    std::string Say(std::string_view language, std::string_view key,
                    const WordValues& values = {}) const;
    // A need's name: the shipped word for the five standard needs, else the need id.
    std::string NeedName(std::string_view language, std::string_view need) const;
    // `value` with one decimal, written as the language writes numbers ("3.5", "3,5").
    std::string Number(std::string_view language, double value) const;
    bool Has(std::string_view language) const { return Words_.count(std::string(language)) != 0; }
    std::vector<std::string> Languages() const;
    // The keys English has and `language` lacks.
    std::vector<std::string> MissingKeys(std::string_view language) const;

  private:
    std::map<std::string, std::map<std::string, std::string>> Words_;
};

}  // namespace doorstep::server
