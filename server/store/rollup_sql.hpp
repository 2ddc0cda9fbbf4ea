// What both stores name when they write and purge the report rollups (server_schema.hpp step 5,
// pg_server_schema.hpp): the tables, their shared key, and purge's pace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace doorstep::server {

// Purge drops a week's rows (keyed by its Monday) with its first day, so the linkage loses the
// week that purge cuts through rather than counting it short.
inline constexpr const char* kRollupTables[] = {
    "rollup_answers",     "rollup_scores",       "rollup_least_met",  "rollup_hours",
    "rollup_fleet_hours", "rollup_week_answers", "rollup_week_scores"};
// Every terminal rollup's key starts with these, bound in this order (the fleet's hours have
// no device).
inline constexpr const char* kRollupKeyColumns = "day, device_id, kind, lang, suspect, synthetic";
inline constexpr size_t kRollupKeyCount = 6;

// rollup_fleet_hours sums the terminals' hours into this many shards, a terminal's shard being
// its id's last character's code modulo kFleetShards: the migrations' backfill computes the same
// in SQL (unicode(substr(device_id, -1)) % 8, ascii(right(device_id, 1)) % 8).
inline constexpr int kFleetShards = 8;
inline int FleetShardOf(std::string_view device_id) {
    return device_id.empty() ? 0 : static_cast<unsigned char>(device_id.back()) % kFleetShards;
}

// Purge: answers per transaction, and how far a local day reaches from its UTC day.
inline constexpr int64_t kPurgeAnswersPerTransaction = 5000;
inline constexpr int64_t kMaxUtcOffsetMs = 18LL * 3600 * 1000;

}  // namespace doorstep::server
