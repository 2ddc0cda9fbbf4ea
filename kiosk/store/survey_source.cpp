#include "kiosk/store/survey_source.hpp"

#include <fstream>
#include <sstream>

#include "core/base/log.hpp"

namespace doorstep {
namespace {

std::string ReadWholeFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

Result<ActiveSurvey> ResolveSurvey(Store& store, const std::string& survey_path) {
    // Once head office pushed a definition, the pushed ones rule: the installed file is only
    // the first definition a terminal runs.
    Result<std::optional<std::string>> pushed = store.PushedSurveyEtag();
    if (pushed.Ok() && pushed->has_value()) {
        Result<std::optional<std::string>> latest = store.LatestSurveyJson();
        if (latest.Ok() && latest->has_value()) {
            SurveyParse stored = ParseSurvey(**latest, "<survey from head office>");
            if (stored.Ok()) {
                Log(LogLevel::Info, "survey", "running the survey head office published",
                    {{"survey", stored.Definition.Id},
                     {"version", std::to_string(stored.Definition.Version)}});
                return ActiveSurvey{std::move(stored.Definition), false, {}, true};
            }
        }
    }
    SurveyParse from_file = LoadSurveyFile(survey_path);
    if (from_file.Ok()) {
        std::string text = ReadWholeFile(survey_path);
        Result<std::optional<std::string>> latest = store.LatestSurveyJson();
        if (!latest.Ok() || !latest->has_value() || **latest != text) {
            Status saved =
                store.SaveSurvey(from_file.Definition.Id, from_file.Definition.Version, text);
            if (!saved.Ok()) {
                // Still usable now; it just will not serve as a fallback later.
                Log(LogLevel::Warning, "survey", "could not remember the survey definition",
                    {{"error", saved.Err().Message}});
            }
        }
        return ActiveSurvey{std::move(from_file.Definition), true, {}, false};
    }
    for (const SurveyProblem& problem : from_file.Problems) {
        Log(LogLevel::Error, "survey", "invalid survey definition",
            {{"problem", problem.Describe()}});
    }
    Result<std::optional<std::string>> latest = store.LatestSurveyJson();
    if (latest.Ok() && latest->has_value()) {
        SurveyParse stored =
            ParseSurvey(**latest, "<last valid definition in " + store.Path() + ">");
        if (stored.Ok()) {
            Log(LogLevel::Warning, "survey", "running on the last valid survey definition",
                {{"version", std::to_string(stored.Definition.Version)}, {"file", survey_path}});
            return ActiveSurvey{std::move(stored.Definition), false, std::move(from_file.Problems),
                                false};
        }
    }
    std::string message =
        "cannot start: the survey definition is invalid and no valid one was "
        "ever stored in " +
        store.Path() + ":";
    for (const SurveyProblem& problem : from_file.Problems) {
        message += "\n  " + problem.Describe();
    }
    return Error{message, 0};
}

}  // namespace doorstep
