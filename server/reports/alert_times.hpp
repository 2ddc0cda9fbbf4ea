// How fast stores act on alerts: per store and week (Monday to Sunday in the store's local
// days), how many alerts opened, how many a person acknowledged and resolved, the median time
// to acknowledge and to resolve, and the share resolved within the goal time.
//
// Time to acknowledge runs from opening to the first person's act (an acknowledgement, or a
// resolution without one). Time to resolve counts only alerts a person resolved; one whose
// condition cleared by itself before anyone acted is "cleared", and counts against the share.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/store/records.hpp"

namespace doorstep::server {

struct AlertTimesRow {
    std::string Store;
    int64_t WeekStartDay = 0;  // the Monday, days since 1970-01-01
    int64_t Opened = 0;
    int64_t Acknowledged = 0;  // by a person, in any way
    int64_t Resolved = 0;      // by a person
    int64_t Cleared = 0;       // by its rule, before a person resolved it
    int64_t ResolvedWithinGoal = 0;
    std::optional<double> MedianAcknowledgeMinutes;
    std::optional<double> MedianResolveMinutes;
};

// Sorted by store, then week.
std::vector<AlertTimesRow> SumAlertTimes(const std::vector<AlertRecord>& alerts, int64_t goal_ms);
nlohmann::json AlertTimesJson(const std::vector<AlertTimesRow>& rows, int64_t goal_ms);

// The local day an alert opened on: its answer's offset, or its window's local day.
int64_t AlertLocalDay(const AlertRecord& alert);

}  // namespace doorstep::server
