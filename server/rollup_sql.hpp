// SQL both stores write the report rollups and purge them with (server_schema.hpp step 5,
// pg_server_schema.hpp): the tables, their shared key, and the upsert that adds to them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace doorstep::server {

inline constexpr const char* kRollupTables[] = {"rollup_answers", "rollup_scores",
                                                "rollup_least_met", "rollup_hours"};
// Every rollup's key starts with these, bound in this order.
inline constexpr const char* kRollupKeyColumns = "day, device_id, kind, lang, suspect, synthetic";
inline constexpr size_t kRollupKeyCount = 6;

// Purge: answers per transaction, and how far a local day reaches from its UTC day.
inline constexpr int64_t kPurgeAnswersPerTransaction = 5000;
inline constexpr int64_t kMaxUtcOffsetMs = 18LL * 3600 * 1000;

enum class Placeholders { Sqlite, Postgres };  // ?1 or $1

// "INSERT INTO t (keys..., counts...) VALUES (...), ... ON CONFLICT (keys...) DO UPDATE SET
// c = t.c + excluded.c, ...", for `rows` rows of parameters, each the key columns first, then
// `extra_keys`, then `counts`.
std::string RollupUpsertSql(std::string_view table,
                            std::initializer_list<std::string_view> extra_keys,
                            std::initializer_list<std::string_view> counts, size_t rows,
                            Placeholders style);

}  // namespace doorstep::server
