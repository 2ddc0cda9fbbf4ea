// Rollups: per-hour counts of every answer, kept beside the responses so that each of the store
// manager's summaries reads a few thousand small rows instead of up to a million responses.
//
// THE TABLES (schema: migration 3 in store_schema.hpp)
//   Every table is keyed by the answer's local slot and how it may be filtered:
//     day, hour, weekday   local time of ended_at_ms (local_time.hpp); weekday 0 = Sunday
//     kind                 'customer' | 'staff'
//     suspect              1 when responses.suspect_reason is set (suspect.hpp), else 0
//     synthetic            1 for demo data written by `simulate`
//   and counts (column n):
//     rollup_outcomes   per reason (suspect_reason, '' when none), status and step
//                       (abandoned_at, '' when completed): one count per response
//     rollup_scores     per need and score 1..5: one count per score given
//     rollup_least_met  per need: one count per least-met answer
//     rollup_intent     per intent 0..10: one count per intent answer
//   Abandoned responses count too: what a customer answered before leaving is data.
//
// WHO WRITES THEM
//   Store::Append(), Store::AppendBatch()   RollupWriter::Add() for each response, in the same
//                                           transaction as the response row and its scores.
//   migration 3                             INSERT ... SELECT over the responses that existed.
//   Store::PruneSynced()                    nothing: see the second invariant.
//
// INVARIANTS
//   * Each response row inserted since schema 3, and each row that existed at migration 3, is
//     counted exactly once in rollup_outcomes, once per score in rollup_scores, and once in
//     rollup_least_met and rollup_intent when it has those answers. Counts only ever go up.
//   * Pruning synced rows (after retention) does not subtract them: the manager's summaries keep
//     covering answers head office already has. So while nothing was pruned, each rollup equals
//     the same aggregate computed from the responses (a test checks this after random inserts).
//   * The slot is fixed when the answer is stored. A later time-zone change does not re-bucket
//     old answers; they stay in the local hour the terminal had when it stored them.
#pragma once

#include <string_view>

#include "core/base/result.hpp"
#include "core/response/response.hpp"
#include "core/sqlite/sqlite_db.hpp"

struct sqlite3;

namespace doorstep {

class RollupWriter {
  public:
    static Result<RollupWriter> Prepare(sqlite3* db);
    RollupWriter() = default;

    // Counts one response into every rollup. Call inside the transaction that inserts it.
    Status Add(const Response& response, std::string_view suspect_reason);

  private:
    Statement Outcome_;
    Statement Score_;
    Statement LeastMet_;
    Statement Intent_;
};

}  // namespace doorstep
