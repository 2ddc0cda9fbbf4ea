// Leading-indicator alerts: head office hears that a door is going wrong before sales do.
//
// THE RULE (AlertRules; `serve` takes each as a flag)
//   For each store, door and need: the mean score of the last WindowHours local hours (the
//   current hour included) is compared with the mean of the same hours of the day over the
//   BaselineDays days before. An alert fires when the baseline mean minus the recent mean is at
//   least Drop, and both the recent and the baseline window hold at least MinAnswers scores for
//   that need. Only customers' answers count, suspect ones never.
//
// AN ALERT'S STATES (kept in the database, so several servers agree)
//   (none) --the rule holds at an evaluation--> open --the rule no longer holds--> resolved
//   open --the rule holds again--> open (its numbers updated; never a second alert)
//   A store/door/need has at most one open alert. Opening one queues a webhook delivery when
//   a webhook is configured.
//
// Local hours are the store's: each device's current local hour comes from the UTC offset of
// its latest answer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/store/records.hpp"

namespace doorstep::server {

struct AlertRules {
    int WindowHours = 3;      // N: the recent window, 1-24 local hours
    double Drop = 0.5;        // how far below the baseline the recent mean must be (1-5 scale)
    int64_t MinAnswers = 20;  // M: scores needed in the recent window, and in the baseline
    int BaselineDays = 28;    // the baseline: the same hours over these days before
};

// The store/door/need triples for which the rule holds at `now_ms`, sorted by store, door and
// need. `slots` must cover the last BaselineDays + 1 local days.
std::vector<AlertFinding> FindAlerts(const AlertRules& rules, int64_t now_ms,
                                     const std::vector<DeviceClock>& devices,
                                     const std::vector<SlotTotals>& slots);

// The local slot (day * 24 + hour) of an instant where clocks are `utc_offset_min` ahead.
int64_t LocalSlotAt(int64_t wall_ms, int utc_offset_min);

}  // namespace doorstep::server
