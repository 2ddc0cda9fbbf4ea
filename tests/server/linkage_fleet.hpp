// The planted fleet (planted_fleet.hpp) sent to a real server: each store's terminal enrolled
// and its answers uploaded, the outcomes imported by `doorstep-server outcomes import`.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "live_server.hpp"
#include "planted_fleet.hpp"

namespace doorstep::testing {

// Today's Monday, less enough weeks that the fleet's last outcomes are behind us.
inline PlantedFleet FleetEndingLastWeek(bool effects) {
    constexpr int64_t kDayMs = 86'400'000;
    PlantedFleet fleet;
    fleet.Effects = effects;
    const int64_t today = WallClockMs() / kDayMs;
    const int64_t monday = today - (today + 3) % 7;
    fleet.FirstMonday = monday - 7 * (fleet.Weeks + kSalesLagWeeks + 1);
    return fleet;
}

inline void Upload(LiveServer& server, const FleetData& data) {
    for (const auto& [store, answers] : data.Answers) {
        Credentials kiosk = server.Enroll(store, "entrance");
        Outgoing batch{.Body = BatchBody(kiosk.DeviceId, answers, 1)};
        REQUIRE(server.Client().Send(batch, kiosk).Status == 200);
    }
    const std::string path = server.File("outcomes.csv");
    std::ofstream(path) << data.OutcomesCsv;
    CommandResult imported = server.Cli({"outcomes", "import", path, "--by", "finance"});
    REQUIRE_MESSAGE(imported.ExitCode == 0, imported.Stderr);
    CHECK(nlohmann::json::parse(imported.Stdout)["metrics"] ==
          nlohmann::json::array({"sales", "transactions", "footfall"}));
}

// The fleet's weeks of answers as a report filter's query.
inline std::string Range(const PlantedFleet& fleet) {
    return "from=" + PlantedIsoDate(fleet.FirstMonday) +
           "&to=" + PlantedIsoDate(fleet.FirstMonday + 7 * fleet.Weeks - 1);
}

}  // namespace doorstep::testing
