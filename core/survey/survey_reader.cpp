// Reads and validates a survey definition, collecting every problem with its JSON path.
#include "core/survey/survey_reader.hpp"

#include <algorithm>
#include <climits>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "core/base/text.hpp"
#include "core/survey/survey_json.hpp"

namespace doorstep {
namespace {

constexpr size_t kMaxNeeds = 8;
constexpr size_t kMaxEnabledNeeds = 5;
constexpr size_t kScalePoints = 5;
constexpr int kMaxCommentChars = 2000;
constexpr size_t kMaxKeysPerRow = 12;  // wider rows make keys too small to hit reliably

// The placeholders a text must hold in every language, by its key.
constexpr std::pair<std::string_view, std::string_view> kNeededPlaceholders[] = {
    {"question_progress", "{current}"},
    {"question_progress", "{total}"},
    {"chosen", "{choice}"},
    {"volume", "{volume}"},
    {"scale", "{low}"},
    {"scale", "{high}"},
    {"intent_scale", "{low}"},
    {"intent_scale", "{high}"},
    {"choices", "{count}"},
    {"typed", "{text}"}};

// Reads one member's value, given the value and its path.
using Reader = std::function<void(const Json&, const std::string&)>;

struct Field {
    std::string_view Name;
    bool Required = true;
    Reader Read;
};

class SurveyReader {
  public:
    explicit SurveyReader(std::string_view file_name) : File(file_name) {}

    SurveyParse Read(std::string_view json_text) {
        size_t invalid = FindInvalidUtf8(json_text);
        if (invalid != std::string_view::npos) {
            Report("$", "invalid UTF-8 at " + LineColumn(json_text, invalid) + " (byte offset " +
                            std::to_string(invalid) + "); save the file as UTF-8");
            return Finish();
        }
        Json root;
        try {
            root = Json::parse(json_text);
        } catch (const Json::parse_error& error) {
            // parse_error is the only way nlohmann reports where the syntax broke.
            size_t offset = error.byte > 0 ? error.byte - 1 : 0;  // `byte` counts from 1
            Report("$", "JSON syntax error at " + LineColumn(json_text, offset) + ": " +
                            SyntaxReason(error.what()));
            return Finish();
        } catch (const Json::out_of_range& error) {
            // A number beyond a double (1e400) is refused this way, with no position: uncaught,
            // it ended the kiosk instead of falling back to the last valid definition.
            std::string_view what = error.what();
            size_t bracket = what.find("] ");
            Report("$", "JSON number out of range: " + std::string(bracket == std::string_view::npos
                                                                       ? what
                                                                       : what.substr(bracket + 2)));
            return Finish();
        }
        CollectLanguageCodes(root);
        ReadRoot(root);
        return Finish();
    }

  private:
    std::string File;
    Survey Definition;
    std::vector<SurveyProblem> Problems;
    std::vector<std::string> Codes;  // declared language codes, for coverage checks

    SurveyParse Finish() { return {std::move(Definition), std::move(Problems)}; }

    void Report(std::string path, std::string problem) {
        Problems.push_back({File, std::move(path), std::move(problem)});
    }

    // "[json.exception.parse_error.101] parse error at ...: ... - invalid literal" -> "invalid
    // literal". Its own line/column are unreliable.
    static std::string SyntaxReason(std::string_view what) {
        size_t bracket = what.find(']');
        size_t colon = what.find(": ", bracket == std::string_view::npos ? 0 : bracket);
        std::string_view reason = colon == std::string_view::npos ? what : what.substr(colon + 2);
        size_t dash = reason.find(" - ");
        return std::string(dash == std::string_view::npos ? reason : reason.substr(dash + 3));
    }

    bool Declared(std::string_view code) const {
        return std::find(Codes.begin(), Codes.end(), code) != Codes.end();
    }
    // With no usable language list every entry would look foreign; "languages" reports that.
    bool Foreign(std::string_view code) const { return !Codes.empty() && !Declared(code); }

    // Language coverage is checked against every string code in "languages", read up front
    // because the file may define texts before it declares its languages. Malformed entries
    // are reported where "languages" is read.
    void CollectLanguageCodes(const Json& root) {
        if (!root.is_object() || !root.contains("languages") || !root["languages"].is_array()) {
            return;
        }
        for (const Json& language : root["languages"]) {
            if (language.is_object() && language.contains("code") && language["code"].is_string()) {
                std::string code = language["code"].get<std::string>();
                if (!code.empty() && !Declared(code)) {
                    Codes.push_back(code);
                }
            }
        }
    }

    bool Expect(bool ok, const Json& value, const std::string& path, std::string_view what) {
        if (!ok) {
            Report(path, "expected " + std::string(what) + ", got " + TypeName(value));
        }
        return ok;
    }

    // Reads each member in file order, flags unknown ones, then reports missing required ones.
    void ReadObject(const Json& object, const std::string& path, const std::vector<Field>& fields) {
        if (!Expect(object.is_object(), object, path, "an object")) {
            return;
        }
        for (const auto& [key, value] : object.items()) {
            const std::string& name = key;  // clang before 16 cannot capture a structured binding
            auto field = std::find_if(fields.begin(), fields.end(),
                                      [&](const Field& f) { return f.Name == name; });
            if (field != fields.end()) {
                field->Read(value, Member(path, key));
                continue;
            }
            Report(Member(path, key), "unknown field " + Quoted(key));
        }
        for (const Field& field : fields) {
            if (field.Required && !object.contains(field.Name)) {
                Report(Member(path, field.Name), "required field is missing");
            }
        }
    }

    std::optional<std::string> String(const Json& value, const std::string& path) {
        if (!Expect(value.is_string(), value, path, "a string")) {
            return std::nullopt;
        }
        return value.get<std::string>();
    }

    std::optional<int> Integer(const Json& value, const std::string& path, int low, int high) {
        if (!Expect(value.is_number_integer(), value, path, "an integer")) {
            return std::nullopt;
        }
        // Compare as the widest type so huge values are reported, not wrapped.
        bool fits = value.is_number_unsigned()
                        ? value.get<uint64_t>() <= uint64_t(high) &&
                              (low <= 0 || value.get<uint64_t>() >= uint64_t(low))
                        : value.get<int64_t>() >= low && value.get<int64_t>() <= high;
        if (!fits) {
            std::string range =
                high == INT_MAX ? "at least " + std::to_string(low)
                                : "between " + std::to_string(low) + " and " + std::to_string(high);
            Report(path, "must be " + range + ", found " + value.dump());
            return std::nullopt;
        }
        return static_cast<int>(value.get<int64_t>());
    }

    LocalizedText Text(const Json& value, const std::string& path) {
        LocalizedText text;
        if (!Expect(value.is_object(), value, path, "an object of texts by language")) {
            return text;
        }
        for (const auto& [code, entry] : value.items()) {
            std::string entry_path = Member(path, code);
            if (Foreign(code)) {
                Report(entry_path, "unknown language " + Quoted(code) + " (not in languages)");
            }
            if (std::optional<std::string> words = String(entry, entry_path)) {
                if (IsBlank(*words)) {
                    Report(entry_path, "text for language " + Quoted(code) + " is empty");
                }
                text[code] = std::move(*words);
            }
        }
        for (const std::string& code : Codes) {
            if (!value.contains(code)) {
                Report(Member(path, code), "missing text for language " + Quoted(code));
            }
        }
        return text;
    }

    Reader TextInto(LocalizedText& target) {
        return [this, &target](auto& v, auto& p) { target = Text(v, p); };
    }
    Reader BoolInto(bool& target) {
        return [this, &target](const Json& v, const std::string& p) {
            if (Expect(v.is_boolean(), v, p, "true or false")) {
                target = v.get<bool>();
            }
        };
    }
    Reader Call(void (SurveyReader::*read)(const Json&, const std::string&)) {
        return [this, read](auto& v, auto& p) { (this->*read)(v, p); };
    }

    void ReadRoot(const Json& root) {
        Survey& s = Definition;
        ReadObject(
            root, "$",
            {{"id", true, [&](auto& v, auto& p) { s.Id = NonBlank(v, p); }},
             {"version", true,
              [&](auto& v, auto& p) { s.Version = Integer(v, p, 1, INT_MAX).value_or(0); }},
             {"default_language", true, Call(&SurveyReader::ReadDefaultLanguage)},
             {"languages", true, Call(&SurveyReader::ReadLanguages)},
             {"needs", true, Call(&SurveyReader::ReadNeeds)},
             {"scale", true, Call(&SurveyReader::ReadScale)},
             {"least_met_question", true, TextInto(s.LeastMetQuestion)},
             {"intent", true,
              [&](auto& v, auto& p) {
                  ReadObject(v, p,
                             {{"question", true, TextInto(s.IntentQuestion)},
                              {"low_label", true, TextInto(s.IntentLowLabel)},
                              {"high_label", true, TextInto(s.IntentHighLabel)}});
              }},
             {"comment", true,
              [&](auto& v, auto& p) {
                  ReadObject(v, p,
                             {{"prompt", true, TextInto(s.CommentPrompt)},
                              {"max_chars", true, [&](auto& n, auto& np) {
                                   s.CommentMaxChars =
                                       Integer(n, np, 1, kMaxCommentChars).value_or(0);
                               }}});
              }},
             {"texts", true, Call(&SurveyReader::ReadTexts)},
             // Off unless "enabled"; its words are required whenever it is there.
             {"contact_offer", false,
              [&](auto& v, auto& p) {
                  ReadObject(v, p,
                             {{"enabled", false, BoolInto(s.Contact.Enabled)},
                              {"texts", true, [&](auto& t, auto& tp) {
                                   ReadObject(t, tp, TextFields(kContactTextKeys, s.Contact.Texts));
                               }}});
              }},
             {"speech", false,
              [&](auto& v, auto& p) {
                  s.Speech.Enabled = true;
                  ReadObject(v, p,
                             {{"voices", false, Call(&SurveyReader::ReadVoices)},
                              {"texts", true, [&](auto& t, auto& tp) {
                                   ReadObject(t, tp, TextFields(kSpeechTextKeys, s.Speech.Texts));
                               }}});
              }},
             {"keyboards", true, Call(&SurveyReader::ReadKeyboards)}});
    }

    std::string NonBlank(const Json& value, const std::string& path) {
        std::string text = String(value, path).value_or("");
        if (value.is_string() && IsBlank(text)) {
            Report(path, "must not be empty");
        }
        return text;
    }

    // Checks an identifier against its rule and against the ones seen before it.
    void CheckId(const std::string& id, const std::string& path, bool well_formed,
                 std::string_view rule, std::string_view noun, std::set<std::string>& seen) {
        if (!well_formed) {
            Report(path, std::string(noun) + " " + Quoted(id) + " must be " + std::string(rule));
        } else if (!seen.insert(id).second) {
            Report(path, "duplicate " + std::string(noun) + " " + Quoted(id));
        }
    }

    void ReadDefaultLanguage(const Json& value, const std::string& path) {
        Definition.DefaultLanguage = String(value, path).value_or("");
        if (value.is_string() && Foreign(Definition.DefaultLanguage)) {
            std::string declared;
            for (const std::string& code : Codes) {
                declared += (declared.empty() ? "" : ", ") + code;
            }
            Report(path, "unknown language " + Quoted(Definition.DefaultLanguage) +
                             " in default_language (languages are: " + declared + ")");
        }
    }

    void ReadLanguages(const Json& value, const std::string& path) {
        if (!Expect(value.is_array(), value, path, "an array")) {
            return;
        }
        if (value.empty()) {
            Report(path, "at least one language is required");
        }
        std::set<std::string> seen;
        for (size_t i = 0; i < value.size(); ++i) {
            Language language;
            auto read_code = [&](auto& v, auto& p) {
                if (auto code = String(v, p)) {
                    language.Code = *code;
                    CheckId(*code, p, code->size() == 2 && OnlyChars(*code, kLowerLetters),
                            "two lower-case letters (ISO 639-1)", "language", seen);
                }
            };
            ReadObject(value[i], Index(path, i),
                       {{"code", true, read_code},
                        {"name", true, [&](auto& v, auto& p) { language.Name = NonBlank(v, p); }}});
            Definition.Languages.push_back(std::move(language));
        }
    }

    void ReadNeeds(const Json& value, const std::string& path) {
        if (!Expect(value.is_array(), value, path, "an array")) {
            return;
        }
        if (value.empty() || value.size() > kMaxNeeds) {
            Report(path, "must define 1 to " + std::to_string(kMaxNeeds) + " needs, found " +
                             std::to_string(value.size()));
        }
        std::set<std::string> seen;
        size_t enabled = 0;
        for (size_t i = 0; i < value.size(); ++i) {
            Need need;
            auto read_id = [&](auto& v, auto& p) {
                if (auto id = String(v, p)) {
                    need.Id = *id;
                    bool well_formed = !id->empty() && OnlyChars(*id, kNeedIdChars);
                    CheckId(*id, p, well_formed, "lower-case letters a-z and _", "need id", seen);
                }
            };
            ReadObject(value[i], Index(path, i),
                       {{"id", true, read_id},
                        {"enabled", false, BoolInto(need.Enabled)},
                        {"label", true, TextInto(need.Label)},
                        {"statement", true, TextInto(need.Statement)}});
            enabled += need.Enabled ? 1 : 0;
            Definition.Needs.push_back(std::move(need));
        }
        if (!value.empty() && (enabled == 0 || enabled > kMaxEnabledNeeds)) {
            Report(path, "1 to " + std::to_string(kMaxEnabledNeeds) +
                             " needs must be enabled, found " + std::to_string(enabled));
        }
    }

    void ReadScale(const Json& value, const std::string& path) {
        if (!Expect(value.is_array(), value, path, "an array")) {
            return;
        }
        if (value.size() != kScalePoints) {
            Report(path, "scale must have exactly " + std::to_string(kScalePoints) +
                             " points, found " + std::to_string(value.size()));
        }
        for (size_t i = 0; i < value.size(); ++i) {
            ScalePoint point;
            ReadObject(value[i], Index(path, i),
                       {{"value", true,
                         [&](auto& v, auto& p) {
                             auto number = Integer(v, p, 1, int(kScalePoints));
                             point.Value = number.value_or(0);
                             if (number && i < kScalePoints && point.Value != int(i) + 1) {
                                 Report(p, "expected " + std::to_string(i + 1) +
                                               ": points go from 1 (worst) to 5 (best) in "
                                               "order, found " +
                                               std::to_string(point.Value));
                             }
                         }},
                        {"word", true, [&](auto& v, auto& p) { point.Word = Text(v, p); }}});
            Definition.Scale.push_back(std::move(point));
        }
    }

    // One required member per key, each a text in every language, gathered into `target`.
    using Texts = std::map<std::string, LocalizedText, std::less<>>;
    template <size_t N>
    std::vector<Field> TextFields(const std::string_view (&keys)[N], Texts& target) {
        std::vector<Field> fields;
        for (std::string_view key : keys) {
            fields.push_back({key, true, [this, key, &target](auto& v, auto& p) {
                                  LocalizedText text = Text(v, p);
                                  CheckPlaceholders(key, text, p);
                                  target.emplace(std::string(key), std::move(text));
                              }});
        }
        return fields;
    }

    void ReadTexts(const Json& value, const std::string& path) {
        ReadObject(value, path, TextFields(kRequiredTextKeys, Definition.Texts));
    }

    void CheckPlaceholders(std::string_view key, const LocalizedText& text,
                           const std::string& path) {
        for (const auto& [code, words] : text) {
            for (const auto& [needed_by, placeholder] : kNeededPlaceholders) {
                if (needed_by == key && words.find(placeholder) == std::string::npos) {
                    Report(Member(path, code),
                           "must contain the placeholder " + std::string(placeholder));
                }
            }
        }
    }

    // Language code -> espeak-ng voice name ("en-gb", "de"): letters, digits, '-' and '+'.
    void ReadVoices(const Json& value, const std::string& path) {
        if (!Expect(value.is_object(), value, path, "an object of voices by language")) {
            return;
        }
        for (const auto& [code, voice] : value.items()) {
            std::string voice_path = Member(path, code);
            std::string name = NonBlank(voice, voice_path);
            if (Foreign(code)) {
                Report(voice_path, "unknown language " + Quoted(code) + " (not in languages)");
            } else if (!OnlyChars(name, "abcdefghijklmnopqrstuvwxyz0123456789-+")) {
                Report(voice_path, "a voice name is lower-case letters, digits, '-' and '+'");
            } else if (!name.empty()) {
                Definition.Speech.Voices.emplace(code, name);
            }
        }
    }

    std::vector<std::string> ReadRows(const Json& value, const std::string& path) {
        std::vector<std::string> rows;
        if (!Expect(value.is_array(), value, path, "an array of rows")) {
            return rows;
        }
        if (value.empty()) {
            Report(path, "needs at least one row");
        }
        std::set<std::string, std::less<>> keys;
        for (size_t i = 0; i < value.size(); ++i) {
            std::string row_path = Index(path, i);
            std::optional<std::string> row = String(value[i], row_path);
            if (!row) {
                continue;
            }
            size_t count = CountCodePoints(*row);
            if (count == 0) {
                Report(row_path, "row is empty");
            } else if (count > kMaxKeysPerRow) {
                Report(row_path, "row has " + std::to_string(count) + " keys; at most " +
                                     std::to_string(kMaxKeysPerRow) + " fit on screen");
            }
            for (const std::string& key : SplitCodePoints(*row)) {
                if (IsBlank(key)) {
                    Report(row_path, "row contains a space; the space bar is added separately");
                } else if (!keys.insert(key).second) {
                    Report(row_path, "key " + Quoted(key) + " appears more than once");
                }
            }
            rows.push_back(std::move(*row));
        }
        return rows;
    }

    void ReadKeyboards(const Json& value, const std::string& path) {
        if (!Expect(value.is_object(), value, path, "an object of keyboards by language")) {
            return;
        }
        for (const auto& [code, keyboard] : value.items()) {
            std::string keyboard_path = Member(path, code);
            if (Foreign(code)) {
                Report(keyboard_path, "unknown language " + Quoted(code) + " (not in languages)");
            }
            KeyboardLayout layout;
            ReadObject(
                keyboard, keyboard_path,
                {{"letters", true, [&](auto& v, auto& p) { layout.LetterRows = ReadRows(v, p); }},
                 {"symbols", true, [&](auto& v, auto& p) { layout.SymbolRows = ReadRows(v, p); }}});
            Definition.Keyboards.emplace(code, std::move(layout));
        }
        for (const std::string& code : Codes) {
            if (!value.contains(code)) {
                Report(Member(path, code), "missing keyboard for language " + Quoted(code));
            }
        }
    }
};

}  // namespace

SurveyParse ReadSurvey(std::string_view json_text, std::string_view file_name) {
    return SurveyReader(file_name.empty() ? "<memory>" : file_name).Read(json_text);
}

}  // namespace doorstep
