// The server's side of the alert rules (core/alerts/alert_rules.hpp): an answer's alerts as
// head office keeps them, and the below_goal rule over the hour rollups.
#pragma once

#include <cstdint>
#include <vector>

#include "core/alerts/alert_rules.hpp"
#include "server/store/loop_records.hpp"
#include "server/store/records.hpp"

namespace doorstep::server {

using doorstep::AlertRule;
using doorstep::FieldProblem;
using doorstep::kAlertRuleKinds;
using doorstep::RuleProblem;

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
