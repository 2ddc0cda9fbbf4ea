// Alert rules: head office says, per store and door, which answers and which rolling scores
// should reach a person. The server and the terminal read the same rules and judge an answer
// the same way (the terminal when it is offline), so an answer raises the same alerts wherever
// it is judged first.
//
// THE KINDS (AlertRule::Kind; Threshold means what the kind says)
//   low_score   a customer scores Need (every need when "") at Threshold or below (1-4; 1 is
//               the bottom of the scale)
//   low_intent  would-come-back at Threshold or below (0-9; 3 by default)
//   comment     a customer leaves a comment
//   below_goal  a door's mean for Need (each need when "") over its last WindowHours local hours
//               (1-168) is below Threshold, the goal (1-5), with at least MinAnswers scores
// The first three are an answer's alerts: each answer raises at most one per rule, whichever
// server or terminal sees it first. below_goal is a condition alert like the trend rule's
// (server/alerts/alerts.hpp): it holds while the mean stays below the goal and clears after.
// Store "" and Door "" mean every store and every door.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/response/response.hpp"

namespace doorstep {

inline constexpr const char* kAlertRuleKinds[] = {"low_score", "low_intent", "comment",
                                                  "below_goal"};
// An answer's alerts also name the needs it scored this low or lower.
inline constexpr int kLowScore = 2;

// What is wrong with a request's member, for the reply that names it.
struct FieldProblem {
    std::string Field;  // the JSON member (or flag) at fault
    std::string Message;
};
using RuleProblem = FieldProblem;

// One rule head office set.
struct AlertRule {
    int64_t Id = 0;
    std::string Store;  // "" every store
    std::string Door;   // "" every door
    std::string Kind;   // low_score | low_intent | comment | below_goal
    std::string Need;   // low_score, below_goal: "" every need
    double Threshold = 0;
    int WindowHours = 0;     // below_goal
    int64_t MinAnswers = 0;  // below_goal
    bool Mail = true;        // its alerts are mailed to the store's recipients
    int64_t CreatedAtMs = 0;
    std::string CreatedBy;
    std::optional<int64_t> RemovedAtMs;  // removed rules open nothing; their alerts stay
};

// A rule from its JSON ({"kind": "low_intent", "store": "lisbon", "threshold": 3, ...}),
// members other than kind taking their defaults, or the problem naming the field. The members
// AlertRuleJson() adds (id, created_at_ms, ...) are read back too.
std::variant<AlertRule, RuleProblem> ParseAlertRule(const nlohmann::json& json);
nlohmann::json AlertRuleJson(const AlertRule& rule);

bool RuleCovers(const AlertRule& rule, std::string_view store, std::string_view door);

// One answer's alert under one rule: what fired.
struct RuleHit {
    const AlertRule* Rule = nullptr;
    std::string Need;      // low_score: the rule's need ("" for any); otherwise ""
    std::string LowNeeds;  // the needs scored at the rule's threshold (or kLowScore) or below
};

// The answer rules in force at `store`/`door` that `answer` fires, in the rules' order.
std::vector<RuleHit> RuleHits(const std::vector<AlertRule>& rules, std::string_view store,
                              std::string_view door, const std::vector<NeedScore>& scores,
                              std::optional<int> intent, std::string_view comment);

}  // namespace doorstep
