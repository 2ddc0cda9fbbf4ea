// What both stores name when they write and purge the report rollups (server_schema.hpp step 5,
// pg_server_schema.hpp): the tables, their shared key, and purge's pace.
#pragma once

#include <cstddef>
#include <cstdint>

namespace doorstep::server {

inline constexpr const char* kRollupTables[] = {"rollup_answers", "rollup_scores",
                                                "rollup_least_met", "rollup_hours"};
// Every rollup's key starts with these, bound in this order.
inline constexpr const char* kRollupKeyColumns = "day, device_id, kind, lang, suspect, synthetic";
inline constexpr size_t kRollupKeyCount = 6;

// Purge: answers per transaction, and how far a local day reaches from its UTC day.
inline constexpr int64_t kPurgeAnswersPerTransaction = 5000;
inline constexpr int64_t kMaxUtcOffsetMs = 18LL * 3600 * 1000;

}  // namespace doorstep::server
