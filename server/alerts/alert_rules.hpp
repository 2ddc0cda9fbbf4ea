// Alert rules: head office says, per store and door, which answers and which rolling scores
// should reach a person.
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
// (alerts.hpp): it holds while the mean stays below the goal and clears itself after.
// Store "" and Door "" mean every store and every door.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "server/store/loop_records.hpp"
#include "server/store/records.hpp"

namespace doorstep::server {

inline constexpr const char* kAlertRuleKinds[] = {"low_score", "low_intent", "comment",
                                                  "below_goal"};
// An answer's alerts also name the needs it scored this low or lower.
inline constexpr int kLowScore = 2;

using RuleProblem = FieldProblem;

// A rule from its JSON ({"kind": "low_intent", "store": "lisbon", "threshold": 3, ...}),
// members other than kind taking their defaults, or the problem naming the field.
std::variant<AlertRule, RuleProblem> ParseAlertRule(const nlohmann::json& json);
nlohmann::json AlertRuleJson(const AlertRule& rule);

bool RuleCovers(const AlertRule& rule, std::string_view store, std::string_view door);

// The alerts `answer` raises under the rules in force, one per rule that fires, not yet opened
// (no id), each naming the rule, the answer and its low needs; no pain points.
std::vector<AlertRecord> AlertsForAnswer(const std::vector<AlertRule>& rules,
                                         const ScannedAnswer& answer);

// The below_goal findings at `now_ms`, sorted by rule, store, door and need. `slots` must cover
// the longest window, in every device's local hours.
std::vector<AlertFinding> FindGoalAlerts(const std::vector<AlertRule>& rules, int64_t now_ms,
                                         const std::vector<DeviceClock>& devices,
                                         const std::vector<SlotTotals>& slots);

}  // namespace doorstep::server
