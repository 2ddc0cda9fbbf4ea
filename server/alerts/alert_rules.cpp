#include "server/alerts/alert_rules.hpp"

#include <map>
#include <tuple>

#include "server/alerts/alerts.hpp"

namespace doorstep::server {

std::vector<AlertRecord> AlertsForAnswer(const std::vector<AlertRule>& rules,
                                         const ScannedAnswer& answer) {
    std::vector<AlertRecord> alerts;
    for (const RuleHit& hit :
         RuleHits(rules, answer.Store, answer.Door, answer.Scores, answer.Intent, answer.Comment)) {
        AlertRecord alert;
        alert.Finding.Kind = hit.Rule->Kind;
        alert.Finding.RuleId = hit.Rule->Id;
        alert.Finding.Store = answer.Store;
        alert.Finding.Door = answer.Door;
        alert.Finding.Need = hit.Need;
        alert.Finding.Mail = hit.Rule->Mail;
        alert.Answer =
            AlertAnswer{answer.Uuid,  answer.EndedAtMs, answer.UtcOffsetMin, answer.LeastMet,
                        hit.LowNeeds, answer.Intent,    answer.Comment};
        alerts.push_back(std::move(alert));
    }
    return alerts;
}

std::vector<AlertFinding> FindGoalAlerts(const std::vector<AlertRule>& rules, int64_t now_ms,
                                         const std::vector<DeviceClock>& devices,
                                         const std::vector<SlotTotals>& slots) {
    std::map<std::string, const DeviceClock*> clocks;
    for (const DeviceClock& device : devices) {
        clocks[device.DeviceId] = &device;
    }
    // rule, store, door, need -> scores, score sum, the window's last local slot
    using Key = std::tuple<int64_t, std::string, std::string, std::string>;
    std::map<Key, std::tuple<int64_t, int64_t, int64_t>> sums;
    for (const AlertRule& rule : rules) {
        if (rule.Kind != "below_goal") {
            continue;
        }
        for (const SlotTotals& slot : slots) {
            auto clock = clocks.find(slot.DeviceId);
            if (clock == clocks.end() ||
                !RuleCovers(rule, clock->second->Store, clock->second->Door) ||
                (!rule.Need.empty() && rule.Need != slot.Need)) {
                continue;
            }
            int64_t now_slot = LocalSlotAt(now_ms, clock->second->UtcOffsetMin);
            if (slot.Slot > now_slot || slot.Slot <= now_slot - rule.WindowHours) {
                continue;
            }
            auto& [scores, score_sum, end] =
                sums[Key{rule.Id, clock->second->Store, clock->second->Door, slot.Need}];
            scores += slot.Scores;
            score_sum += slot.ScoreSum;
            end = now_slot;
        }
    }
    std::map<int64_t, const AlertRule*> by_id;
    for (const AlertRule& rule : rules) {
        by_id[rule.Id] = &rule;
    }
    std::vector<AlertFinding> findings;
    for (const auto& [key, sum] : sums) {
        const AlertRule& rule = *by_id[std::get<0>(key)];
        const auto& [scores, score_sum, end] = sum;
        double mean = static_cast<double>(score_sum) / static_cast<double>(scores);
        if (scores < rule.MinAnswers || mean >= rule.Threshold) {
            continue;
        }
        AlertFinding finding{
            std::get<1>(key), std::get<2>(key), std::get<3>(key), end, scores, mean, 0,
            rule.Threshold};
        finding.Kind = "below_goal";
        finding.RuleId = rule.Id;
        findings.push_back(std::move(finding));
    }
    return findings;
}

}  // namespace doorstep::server
