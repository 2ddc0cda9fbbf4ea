#include "server/reports/alert_times.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/base/local_time.hpp"
#include "server/store/report_filter.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

std::optional<double> MedianMinutes(std::vector<int64_t> durations) {
    if (durations.empty()) {
        return std::nullopt;
    }
    std::sort(durations.begin(), durations.end());
    size_t middle = durations.size() / 2;
    double ms = durations.size() % 2 == 1 ? static_cast<double>(durations[middle])
                                          : (static_cast<double>(durations[middle - 1]) +
                                             static_cast<double>(durations[middle])) /
                                                2;
    return std::round(ms / 60'000.0 * 10) / 10;
}

bool ResolvedByPerson(const AlertRecord& alert) {
    return alert.ResolvedAtMs && alert.ResolvedBy != "rule";
}

}  // namespace

int64_t AlertLocalDay(const AlertRecord& alert) {
    if (!alert.Answer.Uuid.empty() || alert.Finding.WindowEndSlot == 0) {
        int64_t local_ms = alert.OpenedAtMs + int64_t{alert.Answer.UtcOffsetMin} * 60'000;
        return local_ms >= 0 ? local_ms / kDayMs : (local_ms - kDayMs + 1) / kDayMs;
    }
    return alert.Finding.WindowEndSlot / 24;
}

std::vector<AlertTimesRow> SumAlertTimes(const std::vector<AlertRecord>& alerts, int64_t goal_ms) {
    struct Durations {
        AlertTimesRow Row;
        std::vector<int64_t> Acknowledge;
        std::vector<int64_t> Resolve;
    };
    std::map<std::pair<std::string, int64_t>, Durations> weeks;
    for (const AlertRecord& alert : alerts) {
        int64_t day = AlertLocalDay(alert);
        int64_t monday = day - (WeekdayOfDay(day) + 6) % 7;
        Durations& week = weeks[{alert.Finding.Store, monday}];
        week.Row.Store = alert.Finding.Store;
        week.Row.WeekStartDay = monday;
        ++week.Row.Opened;
        std::optional<int64_t> first_act = alert.AcknowledgedAtMs;
        if (!first_act && ResolvedByPerson(alert)) {
            first_act = alert.ResolvedAtMs;
        }
        if (first_act) {
            ++week.Row.Acknowledged;
            week.Acknowledge.push_back(*first_act - alert.OpenedAtMs);
        }
        if (ResolvedByPerson(alert)) {
            int64_t took = *alert.ResolvedAtMs - alert.OpenedAtMs;
            ++week.Row.Resolved;
            week.Resolve.push_back(took);
            week.Row.ResolvedWithinGoal += took <= goal_ms ? 1 : 0;
        } else if (alert.ResolvedAtMs) {
            ++week.Row.Cleared;
        }
    }
    std::vector<AlertTimesRow> rows;
    for (auto& [key, week] : weeks) {
        week.Row.MedianAcknowledgeMinutes = MedianMinutes(std::move(week.Acknowledge));
        week.Row.MedianResolveMinutes = MedianMinutes(std::move(week.Resolve));
        rows.push_back(std::move(week.Row));
    }
    return rows;
}

nlohmann::json AlertTimesJson(const std::vector<AlertTimesRow>& rows, int64_t goal_ms) {
    nlohmann::json list = nlohmann::json::array();
    auto optional = [](const std::optional<double>& value) {
        return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
    };
    for (const AlertTimesRow& row : rows) {
        double share = row.Opened == 0 ? 0.0
                                       : static_cast<double>(row.ResolvedWithinGoal) /
                                             static_cast<double>(row.Opened);
        list.push_back({{"store", row.Store},
                        {"week", DayToIsoDate(row.WeekStartDay)},
                        {"opened", row.Opened},
                        {"acknowledged", row.Acknowledged},
                        {"resolved", row.Resolved},
                        {"cleared", row.Cleared},
                        {"resolved_within_goal", row.ResolvedWithinGoal},
                        {"share_within_goal", std::round(share * 1000) / 1000},
                        {"median_acknowledge_min", optional(row.MedianAcknowledgeMinutes)},
                        {"median_resolve_min", optional(row.MedianResolveMinutes)}});
    }
    return nlohmann::json{{"goal_minutes", goal_ms / 60'000}, {"weeks", list}};
}

}  // namespace doorstep::server
