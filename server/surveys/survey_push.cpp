#include "server/surveys/survey_push.hpp"

#include <algorithm>

#include "core/wire/signing.hpp"

namespace doorstep::server {
namespace {

// The definition as published: the uploaded JSON with its "version" set to the new number.
std::string WithVersion(const nlohmann::json& document, int version) {
    nlohmann::json numbered = document;
    numbered["version"] = version;
    return numbered.dump(2);
}

nlohmann::json AssignmentJson(const SurveyAssignment& a) {
    return {{"store", a.Store},           {"door", a.Door}, {"survey_id", a.SurveyId},
            {"version", a.Version},       {"etag", a.Etag}, {"assigned_at_ms", a.AssignedAtMs},
            {"assigned_by", a.AssignedBy}};
}

}  // namespace

std::string SurveyEtag(std::string_view definition) {
    return "\"" + Sha256Hex(definition).substr(0, 32) + "\"";
}

std::string ScopeText(const SurveyScope& scope) {
    return (scope.Store.empty() ? std::string("every store") : "store " + scope.Store) + ", " +
           (scope.Door.empty() ? std::string("every door") : "door " + scope.Door);
}

Result<std::variant<SurveyVersionRecord, SurveyProblems>> PublishSurveyText(
    ServerStore& store, std::string_view text, std::string_view source_name,
    const SurveyScope& scope, std::string_view by, int64_t now_ms) {
    nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        // Not JSON at all: the kiosk's parser says where and why.
        SurveyParse parsed = ParseSurvey(text, source_name);
        if (parsed.Problems.empty()) {
            parsed.Problems.push_back({std::string(source_name), "$", "must be a JSON object"});
        }
        return std::variant<SurveyVersionRecord, SurveyProblems>(parsed.Problems);
    }
    // Head office numbers the versions; whatever the file said is replaced, so check it as the
    // kiosk will see it.
    SurveyParse parsed = ParseSurvey(WithVersion(document, 1), source_name);
    if (!parsed.Ok()) {
        return std::variant<SurveyVersionRecord, SurveyProblems>(parsed.Problems);
    }
    // Above the file's own number too: kiosks may run that file as installed, and an answer's
    // version must name one definition only.
    int stated = document.contains("version") && document["version"].is_number_integer()
                     ? document["version"].get<int>()
                     : 0;
    Result<SurveyVersionRecord> published = store.PublishSurvey(
        parsed.Definition.Id, std::max(stated, 0) + 1,
        [&document](int version) {
            std::string definition = WithVersion(document, version);
            std::string etag = SurveyEtag(definition);
            return std::make_pair(std::move(definition), std::move(etag));
        },
        scope.Store, scope.Door, by, now_ms);
    if (!published.Ok()) {
        return published.Err();
    }
    return std::variant<SurveyVersionRecord, SurveyProblems>(std::move(*published));
}

Result<std::variant<SurveyAssignment, std::string>> RollBackSurvey(ServerStore& store,
                                                                   const SurveyScope& scope,
                                                                   std::optional<int> to_version,
                                                                   std::string_view by,
                                                                   int64_t now_ms) {
    using Outcome = std::variant<SurveyAssignment, std::string>;
    Result<std::vector<SurveyAssignment>> history = store.ListSurveyAssignments(true);
    if (!history.Ok()) {
        return history.Err();
    }
    std::vector<SurveyAssignment> mine;  // newest first
    for (const SurveyAssignment& a : *history) {
        if (a.Store == scope.Store && a.Door == scope.Door) {
            mine.push_back(a);
        }
    }
    if (mine.empty()) {
        return Outcome("nothing was ever published for " + ScopeText(scope));
    }
    const SurveyAssignment& current = mine.front();
    std::optional<int> target = to_version;
    if (!target) {
        for (const SurveyAssignment& earlier : mine) {
            if (earlier.SurveyId == current.SurveyId && earlier.Version != current.Version) {
                target = earlier.Version;
                break;
            }
        }
    }
    if (!target) {
        return Outcome(ScopeText(scope) + " has run only version " +
                       std::to_string(current.Version) + "; there is nothing to go back to");
    }
    if (*target == current.Version) {
        return Outcome(ScopeText(scope) + " already runs version " + std::to_string(*target));
    }
    Result<bool> assigned =
        store.AssignSurvey(scope.Store, scope.Door, current.SurveyId, *target, by, now_ms);
    if (!assigned.Ok()) {
        return assigned.Err();
    }
    if (!*assigned) {
        return Outcome("survey " + current.SurveyId + " has no version " + std::to_string(*target));
    }
    Result<std::vector<SurveyAssignment>> now_current = store.ListSurveyAssignments(false);
    if (!now_current.Ok()) {
        return now_current.Err();
    }
    for (const SurveyAssignment& a : *now_current) {
        if (a.Store == scope.Store && a.Door == scope.Door) {
            return Outcome(a);
        }
    }
    return Error{"the rollback was stored but cannot be read back", 0};
}

std::optional<SurveyAssignment> AssignmentFor(const std::vector<SurveyAssignment>& current,
                                              std::string_view store, std::string_view door) {
    const std::pair<std::string_view, std::string_view> order[] = {
        {store, door}, {store, ""}, {"", door}, {"", ""}};
    for (const auto& [want_store, want_door] : order) {
        for (const SurveyAssignment& a : current) {
            if (a.Store == want_store && a.Door == want_door) {
                return a;
            }
        }
    }
    return std::nullopt;
}

nlohmann::json SurveysJson(const std::vector<SurveyAssignment>& current,
                           const std::vector<SurveyVersionRecord>& versions) {
    nlohmann::json assignments = nlohmann::json::array();
    for (const SurveyAssignment& a : current) {
        assignments.push_back(AssignmentJson(a));
    }
    nlohmann::json published = nlohmann::json::array();
    for (const SurveyVersionRecord& v : versions) {
        published.push_back({{"survey_id", v.SurveyId},
                             {"version", v.Version},
                             {"etag", v.Etag},
                             {"published_at_ms", v.PublishedAtMs},
                             {"published_by", v.PublishedBy}});
    }
    return {{"assignments", assignments}, {"versions", published}};
}

}  // namespace doorstep::server
