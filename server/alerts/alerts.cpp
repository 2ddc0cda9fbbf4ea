#include "server/alerts/alerts.hpp"

#include <map>
#include <tuple>

namespace doorstep::server {
namespace {

struct Sums {
    int64_t Scores = 0;
    int64_t ScoreSum = 0;
    double Mean() const { return static_cast<double>(ScoreSum) / static_cast<double>(Scores); }
};

}  // namespace

int64_t LocalSlotAt(int64_t wall_ms, int utc_offset_min) {
    return (wall_ms + static_cast<int64_t>(utc_offset_min) * 60'000) / 3'600'000;
}

std::vector<AlertFinding> FindAlerts(const AlertRules& rules, int64_t now_ms,
                                     const std::vector<DeviceClock>& devices,
                                     const std::vector<SlotTotals>& slots) {
    std::map<std::string, const DeviceClock*> clocks;
    for (const DeviceClock& device : devices) {
        clocks[device.DeviceId] = &device;
    }
    using Key = std::tuple<std::string, std::string, std::string>;  // store, door, need
    std::map<Key, std::pair<Sums, Sums>> windows;                   // recent, baseline
    std::map<Key, int64_t> window_end;
    const int64_t window = rules.WindowHours;
    for (const SlotTotals& slot : slots) {
        auto clock = clocks.find(slot.DeviceId);
        if (clock == clocks.end()) {
            continue;
        }
        int64_t now_slot = LocalSlotAt(now_ms, clock->second->UtcOffsetMin);
        int64_t start = now_slot - window + 1;  // the recent window: [start, now_slot]
        int64_t behind = start - slot.Slot;     // > 0: before the recent window
        Key key{clock->second->Store, clock->second->Door, slot.Need};
        Sums* into = nullptr;
        if (slot.Slot >= start && slot.Slot <= now_slot) {
            into = &windows[key].first;
        } else if (behind > 0 && behind <= 24LL * rules.BaselineDays &&
                   (24 - behind % 24) % 24 < window) {
            into = &windows[key].second;  // the same hours of the day, an earlier day
        }
        if (into != nullptr) {
            into->Scores += slot.Scores;
            into->ScoreSum += slot.ScoreSum;
            window_end[key] = now_slot;
        }
    }
    std::vector<AlertFinding> findings;
    for (const auto& [key, sums] : windows) {
        const auto& [recent, baseline] = sums;
        if (recent.Scores < rules.MinAnswers || baseline.Scores < rules.MinAnswers) {
            continue;
        }
        if (baseline.Mean() - recent.Mean() >= rules.Drop) {
            findings.push_back(AlertFinding{std::get<0>(key), std::get<1>(key), std::get<2>(key),
                                            window_end[key], recent.Scores, recent.Mean(),
                                            baseline.Scores, baseline.Mean()});
        }
    }
    return findings;
}

}  // namespace doorstep::server
