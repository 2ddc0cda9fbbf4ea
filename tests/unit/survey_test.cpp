// The survey definition: the shipped file is complete, and every kind of bad file is reported
// with the exact place and a plain reason, all problems at once.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/base/text.hpp"
#include "core/survey/survey.hpp"

using namespace doorstep;
using Json = nlohmann::ordered_json;

namespace {

const std::string kDefaultPath = std::string(DOORSTEP_SOURCE_ASSETS_DIR) + "/surveys/default.json";

std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The shipped definition as JSON, ready to be broken in one place by a test.
Json DefaultJson() {
    return Json::parse(ReadFile(kDefaultPath));
}

SurveyParse Parse(const Json& definition) {
    return ParseSurvey(definition.dump(2), "test.json");
}

std::string Describe(const SurveyParse& parse) {
    std::string all;
    for (const SurveyProblem& problem : parse.Problems) {
        all += problem.Describe() + "\n";
    }
    return all;
}

bool Has(const SurveyParse& parse, std::string_view path, std::string_view words) {
    for (const SurveyProblem& problem : parse.Problems) {
        if (problem.JsonPath == path && problem.Problem.find(words) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// Parses `definition` and expects exactly one problem, at `path`, reading exactly `problem`.
void ExpectOnly(const Json& definition, std::string_view path, std::string_view problem) {
    SurveyParse parse = Parse(definition);
    INFO(Describe(parse));
    REQUIRE(parse.Problems.size() == 1);
    CHECK(parse.Problems[0].File == "test.json");
    CHECK(parse.Problems[0].JsonPath == path);
    CHECK(parse.Problems[0].Problem == problem);
}

}  // namespace

TEST_CASE("survey: the shipped default survey parses with zero problems") {
    SurveyParse parse = LoadSurveyFile(kDefaultPath);
    INFO(Describe(parse));
    CHECK(parse.Ok());
    CHECK(parse.Definition.Id == "default");
    CHECK(parse.Definition.Version >= 1);
    CHECK(parse.Definition.DefaultLanguage == "en");
    CHECK(parse.Definition.CommentMaxChars == 500);
}

TEST_CASE("survey: the shipped default survey enables trust, control and support in order") {
    SurveyParse parse = LoadSurveyFile(kDefaultPath);
    REQUIRE(parse.Ok());
    const Survey& survey = parse.Definition;
    std::vector<std::string> enabled;
    for (const Need* need : survey.EnabledNeeds()) {
        enabled.push_back(need->Id);
    }
    CHECK(enabled == std::vector<std::string>{"trust", "control", "support"});
    for (std::string_view off : {"flexibility", "balance"}) {
        const Need* need = survey.FindNeed(off);
        REQUIRE(need != nullptr);
        CHECK_FALSE(need->Enabled);
    }
    CHECK(survey.FindNeed("nonsense") == nullptr);
    CHECK(Localized(survey.FindNeed("trust")->Statement, "en") == "I could trust what I was told.");
}

TEST_CASE("survey: the shipped default survey has every text in every language") {
    SurveyParse parse = LoadSurveyFile(kDefaultPath);
    REQUIRE(parse.Ok());
    const Survey& survey = parse.Definition;
    std::vector<std::string> codes;
    for (const Language& language : survey.Languages) {
        codes.push_back(language.Code);
    }
    CHECK(codes == std::vector<std::string>{"en", "es", "fr", "de", "el"});
    REQUIRE(survey.Scale.size() == 5);
    for (const std::string& code : codes) {
        CAPTURE(code);
        CHECK(survey.HasLanguage(code));
        for (std::string_view key : kRequiredTextKeys) {
            CAPTURE(key);
            CHECK_FALSE(survey.Text(key, code).empty());
        }
        for (const Need& need : survey.Needs) {
            CHECK_FALSE(Localized(need.Label, code).empty());
            CHECK(need.Statement.count(code) == 1);
        }
        for (size_t i = 0; i < survey.Scale.size(); ++i) {
            CHECK(survey.Scale[i].Value == static_cast<int>(i) + 1);
            CHECK(survey.Scale[i].Word.count(code) == 1);
        }
        for (const LocalizedText* text :
             {&survey.LeastMetQuestion, &survey.IntentQuestion, &survey.IntentLowLabel,
              &survey.IntentHighLabel, &survey.CommentPrompt}) {
            CHECK(text->count(code) == 1);
        }
        std::string progress = survey.Text("question_progress", code);
        CHECK(progress.find("{current}") != std::string::npos);
        CHECK(progress.find("{total}") != std::string::npos);
        REQUIRE(survey.Keyboards.count(code) == 1);
        CHECK_FALSE(survey.Keyboards.at(code).LetterRows.empty());
        CHECK_FALSE(survey.Keyboards.at(code).SymbolRows.empty());
    }
    CHECK_FALSE(survey.HasLanguage("xx"));
}

TEST_CASE("survey: every letter key of the shipped keyboards has a shifted form") {
    SurveyParse parse = LoadSurveyFile(kDefaultPath);
    REQUIRE(parse.Ok());
    for (const auto& [code, keyboard] : parse.Definition.Keyboards) {
        for (const std::string& row : keyboard.LetterRows) {
            for (const std::string& key : SplitCodePoints(row)) {
                CAPTURE(code);
                CAPTURE(key);
                if (key == "ß" || key == "ς") {
                    CHECK(ToUpperKey(key) == key);
                } else {
                    CHECK(ToUpperKey(key) != key);  // a missing mapping would type lower case
                }
            }
        }
    }
}

TEST_CASE("survey: AllTexts covers every string a customer may see") {
    SurveyParse parse = LoadSurveyFile(kDefaultPath);
    REQUIRE(parse.Ok());
    std::vector<std::string_view> texts = AllTexts(parse.Definition);
    auto contains = [&](std::string_view wanted) {
        return std::find(texts.begin(), texts.end(), wanted) != texts.end();
    };
    CHECK(contains("Ελληνικά"));                               // language name
    CHECK(contains("Μπορούσα να εμπιστευτώ όσα μου είπαν."));  // need statement
    CHECK(contains("Ausgezeichnet"));                          // scale word
    CHECK(contains("qwertzuiopü"));                            // keyboard row
    CHECK(contains("Merci\u00a0!"));                           // fixed text
    CHECK(contains("Überhaupt nicht wahrscheinlich"));         // intent label
}

TEST_CASE("survey: a missing Greek statement is reported at its exact path") {
    Json definition = DefaultJson();
    definition["needs"][0]["statement"].erase("el");
    SurveyParse parse = Parse(definition);
    REQUIRE(parse.Problems.size() == 1);
    CHECK(parse.Problems[0].Describe() ==
          "test.json: $.needs[0].statement.el: missing text for language \"el\"");
}

TEST_CASE("survey: the accessibility toggles and the closed page need their words too") {
    for (const char* key :
         {"high_contrast", "large_text", "within_reach", "closed_title", "closed_body"}) {
        CAPTURE(key);
        Json missing = DefaultJson();
        missing["texts"].erase(key);
        ExpectOnly(missing, std::string("$.texts.") + key, "required field is missing");
        Json no_greek = DefaultJson();
        no_greek["texts"][key].erase("el");
        ExpectOnly(no_greek, std::string("$.texts.") + key + ".el",
                   "missing text for language \"el\"");
    }
}

TEST_CASE("survey: a value of the wrong type is reported with both types") {
    Json definition = DefaultJson();
    definition["version"] = "1";
    ExpectOnly(definition, "$.version", "expected an integer, got string");

    definition = DefaultJson();
    definition["needs"][3]["enabled"] = "yes";
    ExpectOnly(definition, "$.needs[3].enabled", "expected true or false, got string");

    definition = DefaultJson();
    definition["comment"]["max_chars"] = 12.5;
    ExpectOnly(definition, "$.comment.max_chars", "expected an integer, got fractional number");

    definition = DefaultJson();
    definition["scale"][2]["word"]["de"] = nullptr;
    ExpectOnly(definition, "$.scale[2].word.de", "expected a string, got null");

    definition = DefaultJson();
    definition["keyboards"] = Json::array();
    ExpectOnly(definition, "$.keyboards", "expected an object of keyboards by language, got array");
}

TEST_CASE("survey: a duplicate need id is reported where it repeats") {
    Json definition = DefaultJson();
    definition["needs"][2]["id"] = "trust";
    ExpectOnly(definition, "$.needs[2].id", "duplicate need id \"trust\"");
}

TEST_CASE("survey: a scale without exactly five points is rejected") {
    Json definition = DefaultJson();
    definition["scale"].erase(4);
    ExpectOnly(definition, "$.scale", "scale must have exactly 5 points, found 4");

    definition = DefaultJson();
    std::swap(definition["scale"][0]["value"], definition["scale"][1]["value"]);
    SurveyParse parse = Parse(definition);
    CHECK(Has(parse, "$.scale[0].value", "expected 1"));
    CHECK(Has(parse, "$.scale[1].value", "expected 2"));
}

TEST_CASE("survey: a default language that is not declared is rejected") {
    Json definition = DefaultJson();
    definition["default_language"] = "xx";
    ExpectOnly(definition, "$.default_language",
               "unknown language \"xx\" in default_language (languages are: en, es, fr, de, el)");
}

TEST_CASE("survey: a JSON syntax error names its line and column") {
    SurveyParse parse = ParseSurvey("{\n  \"id\": \"default\",\n  \"version\" 1\n}", "bad.json");
    REQUIRE(parse.Problems.size() == 1);
    CHECK(parse.Problems[0].File == "bad.json");
    CHECK(parse.Problems[0].JsonPath == "$");
    CHECK(parse.Problems[0].Problem.rfind("JSON syntax error at line 3, column 13: ", 0) == 0);

    // Columns count characters, as an editor does, not bytes.
    parse = ParseSurvey("{\n  \"αβγ\": ,\n}", "bad.json");
    REQUIRE(parse.Problems.size() == 1);
    CHECK(parse.Problems[0].Problem.rfind("JSON syntax error at line 2, column 10: ", 0) == 0);

    parse = ParseSurvey("", "empty.json");
    REQUIRE(parse.Problems.size() == 1);
    CHECK(parse.Problems[0].Problem.rfind("JSON syntax error at line 1, column 1: ", 0) == 0);

    // A number no double holds is a problem too, not an exception (found by the survey_parse
    // fuzz target).
    parse = ParseSurvey("{\"version\": 1e400}", "huge.json");
    REQUIRE(parse.Problems.size() == 1);
    CHECK(parse.Problems[0].JsonPath == "$");
    CHECK(parse.Problems[0].Problem == "JSON number out of range: number overflow parsing '1e400'");
}

TEST_CASE("survey: invalid UTF-8 is rejected with its position") {
    std::string text = DefaultJson().dump(2);
    size_t trust = text.find("I could trust");
    REQUIRE(trust != std::string::npos);
    text.insert(trust, "\xC3\x28");  // a two-byte lead followed by '('
    SurveyParse parse = ParseSurvey(text, "bytes.json");
    INFO(Describe(parse));
    REQUIRE(parse.Problems.size() == 1);
    CHECK(parse.Problems[0].JsonPath == "$");
    TextPosition where = PositionOf(text, trust);
    CHECK(parse.Problems[0].Problem.find("invalid UTF-8 at line " + std::to_string(where.Line) +
                                         ", column " + std::to_string(where.Column)) == 0);

    parse = ParseSurvey("{\"id\": \"surrogate \\ud800\"}", "escape.json");  // escaped, still bad
    CHECK_FALSE(parse.Ok());
}

TEST_CASE("survey: unknown fields are rejected so typos do not pass silently") {
    Json definition = DefaultJson();
    definition["titel"] = "x";
    ExpectOnly(definition, "$.titel", "unknown field \"titel\"");

    definition = DefaultJson();
    definition["needs"][1]["statment"] = definition["needs"][1]["statement"];
    ExpectOnly(definition, "$.needs[1].statment", "unknown field \"statment\"");

    definition = DefaultJson();
    definition["texts"]["thank you"] = definition["texts"]["thank_you_title"];
    ExpectOnly(definition, "$.texts[\"thank you\"]", "unknown field \"thank you\"");
}

TEST_CASE("survey: several problems are all reported, in document order") {
    Json definition = DefaultJson();
    definition["version"] = 0;
    definition["needs"][1]["label"].erase("fr");
    definition["needs"][4]["id"] = "Balance!";
    definition["texts"].erase("start_over");
    definition["texts"]["question_progress"]["de"] = "Frage {current}";
    definition["keyboards"]["el"]["letters"][0] = "abcdefghijklm";
    definition["keyboards"].erase("es");
    SurveyParse parse = Parse(definition);
    INFO(Describe(parse));
    std::vector<std::pair<std::string, std::string>> expected = {
        {"$.version", "must be at least 1, found 0"},
        {"$.needs[1].label.fr", "missing text for language \"fr\""},
        {"$.needs[4].id", "need id \"Balance!\" must be lower-case letters a-z and _"},
        {"$.texts.question_progress.de", "must contain the placeholder {total}"},
        {"$.texts.start_over", "required field is missing"},
        {"$.keyboards.el.letters[0]", "row has 13 keys; at most 12 fit on screen"},
        {"$.keyboards.es", "missing keyboard for language \"es\""},
    };
    REQUIRE(parse.Problems.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        CHECK(parse.Problems[i].JsonPath == expected[i].first);
        CHECK(parse.Problems[i].Problem == expected[i].second);
    }
}

TEST_CASE("survey: structural limits on languages, needs, comment and keyboards") {
    Json definition = DefaultJson();
    definition["languages"][4]["code"] = "de";
    CHECK(Has(Parse(definition), "$.languages[4].code", "duplicate language \"de\""));

    definition = DefaultJson();
    definition["languages"][0]["code"] = "eng";
    CHECK(Has(Parse(definition), "$.languages[0].code", "two lower-case letters"));

    definition = DefaultJson();
    definition["languages"] = Json::array();
    CHECK(Has(Parse(definition), "$.languages", "at least one language"));

    definition = DefaultJson();
    definition["needs"][3]["enabled"] = true;
    definition["needs"][4]["enabled"] = true;
    CHECK(Parse(definition).Ok());  // five enabled is the most the screen fits
    definition["needs"].push_back(definition["needs"][0]);
    definition["needs"][5]["id"] = "sixth";
    ExpectOnly(definition, "$.needs", "1 to 5 needs must be enabled, found 6");

    definition = DefaultJson();
    for (Json& need : definition["needs"]) {
        need["enabled"] = false;
    }
    ExpectOnly(definition, "$.needs", "1 to 5 needs must be enabled, found 0");

    definition = DefaultJson();
    definition["comment"]["max_chars"] = 5000;
    ExpectOnly(definition, "$.comment.max_chars", "must be between 1 and 2000, found 5000");

    definition = DefaultJson();
    definition["keyboards"]["fr"]["symbols"] = Json::array();
    ExpectOnly(definition, "$.keyboards.fr.symbols", "needs at least one row");

    definition = DefaultJson();
    definition["keyboards"]["en"]["letters"][1] = "asdfghjkla";
    ExpectOnly(definition, "$.keyboards.en.letters[1]", "key \"a\" appears more than once");

    definition = DefaultJson();
    definition.erase("scale");
    ExpectOnly(definition, "$.scale", "required field is missing");

    definition = DefaultJson();
    definition["texts"]["done"]["es"] = "  ";
    ExpectOnly(definition, "$.texts.done.es", "text for language \"es\" is empty");

    definition = DefaultJson();
    definition["intent"]["question"]["it"] = "Tornerai?";
    ExpectOnly(definition, "$.intent.question.it", "unknown language \"it\" (not in languages)");

    CHECK(Has(ParseSurvey("[]", "array.json"), "$", "expected an object, got array"));
}

TEST_CASE("survey: an unreadable file is reported at $ with the system's reason") {
    const std::string missing = "/nonexistent-doorstep-dir/survey.json";
    SurveyParse parse = LoadSurveyFile(missing);
    REQUIRE(parse.Problems.size() == 1);
    CHECK(parse.Problems[0].File == missing);
    CHECK(parse.Problems[0].JsonPath == "$");
    CHECK(parse.Problems[0].Problem.find("No such file or directory") != std::string::npos);
    CHECK(parse.Problems[0].Describe().rfind(missing + ": $: ", 0) == 0);

    parse = LoadSurveyFile(DOORSTEP_SOURCE_ASSETS_DIR);
    REQUIRE(parse.Problems.size() == 1);
    CHECK(parse.Problems[0].Problem.find("Is a directory") != std::string::npos);
}

TEST_CASE("survey: problems found in a file carry the file's name") {
    char path[] = "/tmp/doorstep-survey-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    Json definition = DefaultJson();
    definition["id"] = "";
    std::ofstream(path) << definition.dump(2);
    SurveyParse parse = LoadSurveyFile(path);
    std::remove(path);
    REQUIRE(parse.Problems.size() == 1);
    CHECK(parse.Problems[0].Describe() == std::string(path) + ": $.id: must not be empty");
}

TEST_CASE("survey: Text and Localized fall back to the default language, then to empty") {
    Survey survey;
    survey.DefaultLanguage = "en";
    survey.Texts["start"] = {{"en", "Start"}, {"de", "Starten"}};
    CHECK(survey.Text("start", "de") == "Starten");
    CHECK(survey.Text("start", "el") == "Start");
    CHECK(survey.Text("no_such_key", "en").empty());

    LocalizedText only_greek = {{"el", "Έναρξη"}};
    CHECK(Localized(only_greek, "el") == "Έναρξη");
    CHECK(Localized(only_greek, "en") == "Έναρξη");  // any text beats a blank button
    CHECK(Localized(only_greek, "en", "fr").empty());
    CHECK(Localized(LocalizedText{}, "en").empty());
}

TEST_CASE("survey: speech's words need their placeholders, and a voice a known language") {
    Json definition = DefaultJson();
    definition["speech"]["texts"]["chosen"]["de"] = "gewählt";
    ExpectOnly(definition, "$.speech.texts.chosen.de", "must contain the placeholder {choice}");

    definition = DefaultJson();
    definition["speech"]["voices"]["xx"] = "en";
    ExpectOnly(definition, "$.speech.voices.xx", "unknown language \"xx\" (not in languages)");
    definition = DefaultJson();
    definition["speech"]["voices"]["de"] = "De Voice";
    ExpectOnly(definition, "$.speech.voices.de",
               "a voice name is lower-case letters, digits, '-' and '+'");

    definition = DefaultJson();
    definition["speech"]["texts"].erase("help");
    CHECK(Has(Parse(definition), "$.speech.texts.help", ""));

    Survey shipped = Parse(DefaultJson()).Definition;
    CHECK(shipped.Speech.Enabled);
    CHECK(shipped.VoiceFor("en") == "en-gb");
    CHECK(shipped.VoiceFor("el") == "el");
    definition = DefaultJson();
    definition.erase("speech");
    SurveyParse without = Parse(definition);
    REQUIRE(without.Ok());
    CHECK_FALSE(without.Definition.Speech.Enabled);
}
