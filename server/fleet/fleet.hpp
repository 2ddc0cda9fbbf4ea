// The fleet as head office's API shows it (GET /api/fleet): per device, where it is, when it was
// last heard from, how far behind it is, its clock, disk and versions, and how complete its
// answers are. A device not heard from for longer than the silent threshold is flagged.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "server/store/server_store.hpp"

namespace doorstep::server {

inline constexpr int64_t kDefaultSilentAfterMin = 120;
inline constexpr size_t kMaxListedGaps = 20;

nlohmann::json FleetJson(const std::vector<DeviceOverview>& devices, int64_t now_ms,
                         int64_t silent_after_ms);

}  // namespace doorstep::server
