// Synthetic responses are plausible, reproducible and marked synthetic.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/survey/survey.hpp"
#include "kiosk/store/simulate.hpp"

using namespace doorstep;

namespace {

constexpr int64_t kNow = 1'795'000'000'000;  // a fixed "now" keeps the test reproducible

Survey DefaultSurvey() {
    SurveyParse parsed =
        LoadSurveyFile(std::string(DOORSTEP_SOURCE_ASSETS_DIR) + "/surveys/default.json");
    REQUIRE(parsed.Ok());
    return parsed.Definition;
}

SimulateOptions Options() {
    SimulateOptions options;
    options.NowWallMs = kNow;
    options.Door = "checkout";
    options.SampleComments = {"Great staff.", "Long queue."};
    return options;
}

}  // namespace

TEST_CASE("simulate: responses are valid answers to the survey") {
    Survey survey = DefaultSurvey();
    ResponseSimulator simulator(survey, Options(), 7);
    std::set<std::string> enabled;
    for (const Need* need : survey.EnabledNeeds()) {
        enabled.insert(need->Id);
    }
    int abandoned = 0;
    int comments = 0;
    for (int i = 0; i < 2000; ++i) {
        Response r = simulator.Next();
        CHECK(r.Synthetic);
        CHECK(r.Door == "checkout");
        CHECK(r.SurveyVersion == survey.Version);
        CHECK(survey.HasLanguage(r.Language));
        CHECK(r.StartedAtMs < kNow);
        CHECK(r.StartedAtMs > kNow - 29LL * 24 * 3600 * 1000);
        CHECK(r.EndedAtMs == r.StartedAtMs + r.DurationMs);
        REQUIRE_FALSE(r.Scores.empty());
        for (const NeedScore& score : r.Scores) {
            CHECK(enabled.count(score.NeedId) == 1);
            CHECK(score.Score >= 1);
            CHECK(score.Score <= 5);
        }
        if (r.Status == ResponseStatus::Abandoned) {
            ++abandoned;
            CHECK_FALSE(r.AbandonedAt.empty());
            CHECK_FALSE(r.Intent.has_value());
        } else {
            CHECK(r.Scores.size() == enabled.size());
            CHECK(enabled.count(r.LeastMet) == 1);
            REQUIRE(r.Intent.has_value());
            CHECK(*r.Intent >= 0);
            CHECK(*r.Intent <= 10);
            comments += r.Comment.empty() ? 0 : 1;
        }
    }
    CHECK(abandoned > 100);  // about 12% of 2000
    CHECK(abandoned < 400);
    CHECK(comments > 200);  // about 25% of the completed
}

TEST_CASE("simulate: the same seed gives the same responses") {
    Survey survey = DefaultSurvey();
    ResponseSimulator first(survey, Options(), 42);
    ResponseSimulator second(survey, Options(), 42);
    ResponseSimulator other(survey, Options(), 43);
    bool any_difference = false;
    for (int i = 0; i < 50; ++i) {
        Response a = first.Next();
        CHECK(a == second.Next());
        any_difference = any_difference || !(a == other.Next());
    }
    CHECK(any_difference);
}

TEST_CASE("simulate: planned responses come in time order, as a terminal records them") {
    Survey survey = DefaultSurvey();
    ResponseSimulator simulator(survey, Options(), 7);
    simulator.PlanInTimeOrder(200);
    int64_t previous = 0;
    std::set<int64_t> days;
    for (int i = 0; i < 200; ++i) {
        Response r = simulator.Next();
        CHECK(r.StartedAtMs >= previous);
        CHECK(r.EndedAtMs == r.StartedAtMs + r.DurationMs);
        previous = r.StartedAtMs;
        days.insert(r.StartedAtMs / (24LL * 3600 * 1000));
    }
    CHECK(days.size() > 5);  // still spread over the simulated weeks
    // Past the plan, start times are drawn one by one again.
    CHECK(simulator.Next().StartedAtMs < kNow);
}

TEST_CASE("simulate: sample comments load per language and missing files give none") {
    std::string path = std::string(DOORSTEP_SOURCE_ASSETS_DIR) + "/simulate/comments.json";
    CHECK(LoadSampleComments(path, "el").size() >= 3);
    CHECK(LoadSampleComments(path, "xx").empty());
    CHECK(LoadSampleComments("/nonexistent/comments.json", "en").empty());
}
