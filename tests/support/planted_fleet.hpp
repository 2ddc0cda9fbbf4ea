// A generated fleet for the linkage (server/linkage): customers' answers per store and week and
// the stores' daily outcomes, with known effects planted, or none.
//
// Each store-week has three hidden levels, of trust, control and support, drawn afresh every
// week (so no week tells of the next). Each answer scores a need near its level. With effects:
//   * would come back (intent) rises with trust most, then control, then support: the driver
//     order trust > control > support;
//   * trust moves sales kSalesLagWeeks weeks later;
//   * control moves conversion (transactions per visitor) kConversionLagWeeks weeks later.
// Without effects, intent and the outcomes are noise around each store's own level. With
// OddStoresLedBySupport, the odd-numbered stores (store-002, store-004, ...) turn the intent
// order round: support > control > trust.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/base/clock.hpp"
#include "core/base/uuid.hpp"
#include "core/response/response.hpp"

namespace doorstep::testing {

inline constexpr int kSalesLagWeeks = 8;
inline constexpr int kConversionLagWeeks = 4;

struct PlantedFleet {
    int Stores = 30;
    int Weeks = 60;  // weeks of answers; outcomes go kSalesLagWeeks weeks further
    int AnswersPerWeek = 6;
    bool Effects = true;
    bool OddStoresLedBySupport = false;
    uint64_t Seed = 7;
    int64_t FirstMonday = 0;  // the first week's Monday (days since 1970-01-01)
};

struct FleetData {
    std::map<std::string, std::vector<Response>> Answers;  // by store
    std::string OutcomesCsv;                               // store,date,sales,transactions,footfall
};

inline std::string PlantedStoreName(int store) {
    std::string number = std::to_string(store + 1);
    return "store-" + std::string(3 - std::min<size_t>(3, number.size()), '0') + number;
}

inline std::string PlantedIsoDate(int64_t day) {
    // Howard Hinnant's civil_from_days.
    const int64_t z = day + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
                  static_cast<int>(d));
    return text;
}

inline FleetData MakePlantedFleet(const PlantedFleet& fleet) {
    std::mt19937_64 random(fleet.Seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    auto score = [&](double level) {
        return static_cast<int>(
            std::clamp(std::lround(3.0 + 0.9 * level + 0.8 * normal(random)), 1L, 5L));
    };
    FleetData data;
    data.OutcomesCsv = "store,date,sales,transactions,footfall\n";
    const int64_t now = WallClockMs();
    for (int store = 0; store < fleet.Stores; ++store) {
        const std::string name = PlantedStoreName(store);
        std::vector<double> trust(static_cast<size_t>(fleet.Weeks));
        std::vector<double> control(static_cast<size_t>(fleet.Weeks));
        std::vector<Response>& answers = data.Answers[name];
        for (int week = 0; week < fleet.Weeks; ++week) {
            const double t = normal(random);
            const double c = normal(random);
            const double s = normal(random);
            trust[static_cast<size_t>(week)] = t;
            control[static_cast<size_t>(week)] = c;
            for (int n = 0; n < fleet.AnswersPerWeek; ++n) {
                Response answer;
                answer.Uuid = NewUuidV7(now);
                answer.SurveyId = "default";
                answer.SurveyVersion = 1;
                answer.Door = "entrance";
                answer.Language = "en";
                const int64_t day = fleet.FirstMonday + week * 7 + n % 7;
                answer.StartedAtMs = day * 86'400'000 + (10 + n) * 3'600'000LL;
                answer.EndedAtMs = answer.StartedAtMs + 30'000;
                answer.DurationMs = 30'000;
                answer.Scores = {{"trust", score(t)}, {"control", score(c)}, {"support", score(s)}};
                const bool support_led = fleet.OddStoresLedBySupport && store % 2 == 1;
                const double drive = !fleet.Effects ? 0.0
                                     : support_led  ? 0.3 * t + 0.8 * c + 1.6 * s
                                                    : 1.6 * t + 0.8 * c + 0.3 * s;
                answer.Intent = static_cast<int>(
                    std::clamp(std::lround(7.0 + drive + 1.2 * normal(random)), 0L, 10L));
                answers.push_back(std::move(answer));
            }
        }
        const double base_sales = 4000.0 + 300.0 * store;
        const double base_footfall = 900.0 + 40.0 * store;
        for (int week = 0; week < fleet.Weeks + kSalesLagWeeks; ++week) {
            auto earlier = [&](const std::vector<double>& levels, int lag) {
                const int at = week - lag;
                return fleet.Effects && at >= 0 && at < fleet.Weeks
                           ? levels[static_cast<size_t>(at)]
                           : 0.0;
            };
            const double sales_level = 1.0 + 0.06 * earlier(trust, kSalesLagWeeks);
            const double conversion = 0.3 * (1.0 + 0.08 * earlier(control, kConversionLagWeeks));
            for (int weekday = 0; weekday < 7; ++weekday) {
                const int64_t day = fleet.FirstMonday + week * 7 + weekday;
                const double footfall = std::round(base_footfall * (1.0 + 0.05 * normal(random)));
                const double transactions =
                    std::round(footfall * conversion * (1.0 + 0.02 * normal(random)));
                const double sales = base_sales * sales_level * (1.0 + 0.03 * normal(random));
                char row[128];
                std::snprintf(row, sizeof row, "%s,%s,%.2f,%.0f,%.0f\n", name.c_str(),
                              PlantedIsoDate(day).c_str(), sales, transactions, footfall);
                data.OutcomesCsv += row;
            }
        }
    }
    return data;
}

}  // namespace doorstep::testing
