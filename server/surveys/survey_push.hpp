// Survey configuration push (docs/server.md, "Surveys"): head office publishes a definition for a
// scope, every publication gets the survey's next version number (written into the definition,
// so each answer carries the version it was answered under), and kiosks learn of it from the
// heartbeat answer's ETag and fetch it.
//
// SCOPES AND WHAT A KIOSK RUNS
//   A scope is a store and a door, either one '' for "every". A kiosk at (S, D) runs the current
//   assignment of the first scope that has one: (S, D), then (S, every door), then (every store,
//   D), then (every store, every door). With none, it runs the definition installed with it.
//
// VERSIONS AND ASSIGNMENTS
//   publish:  new version v = one more than both the survey id's highest published version and
//             the version the file states (kiosks may run that file as installed, and a version
//             must name one definition only); assignment (scope -> v) appended.
//   rollback: assignment (scope -> the version before the current one, or --to) appended.
//   Nothing is ever deleted: any version an answer names can be read back.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/survey/survey.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

struct SurveyScope {
    std::string Store;  // '' every store
    std::string Door;   // '' every door
};

// Why a definition was refused: every problem, each with its JSON path.
using SurveyProblems = std::vector<SurveyProblem>;

// Validates `text` as the kiosk will, then publishes it for the scope.
Result<std::variant<SurveyVersionRecord, SurveyProblems>> PublishSurveyText(
    ServerStore& store, std::string_view text, std::string_view source_name,
    const SurveyScope& scope, std::string_view by, int64_t now_ms);

// Puts the scope back on the version it ran before its current one, or on `to_version`.
// The text says why when there is nothing to go back to.
Result<std::variant<SurveyAssignment, std::string>> RollBackSurvey(ServerStore& store,
                                                                   const SurveyScope& scope,
                                                                   std::optional<int> to_version,
                                                                   std::string_view by,
                                                                   int64_t now_ms);

// The assignment a kiosk at `store`/`door` runs, from the current assignments of every scope.
std::optional<SurveyAssignment> AssignmentFor(const std::vector<SurveyAssignment>& current,
                                              std::string_view store, std::string_view door);

// "\"<32 hex digits of the definition's SHA-256>\"".
std::string SurveyEtag(std::string_view definition);

// The current assignments and every version, as GET /api/surveys answers them.
nlohmann::json SurveysJson(const std::vector<SurveyAssignment>& current,
                           const std::vector<SurveyVersionRecord>& versions);

std::string ScopeText(const SurveyScope& scope);  // "store lisbon, every door"

}  // namespace doorstep::server
