#include "kiosk/store/rollup.hpp"

#include "core/base/local_time.hpp"

namespace doorstep {
namespace {

// ?1..?6 are the slot and filters every rollup shares; see BindSlot().
constexpr const char* kOutcomeSql =
    "INSERT INTO rollup_outcomes (day, hour, weekday, kind, suspect, synthetic, reason, status, "
    "step, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1) "
    "ON CONFLICT (day, hour, kind, suspect, synthetic, reason, status, step) "
    "DO UPDATE SET n = n + 1";
constexpr const char* kScoreSql =
    "INSERT INTO rollup_scores (day, hour, weekday, kind, suspect, synthetic, need, score, n) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1) "
    "ON CONFLICT (day, hour, kind, suspect, synthetic, need, score) DO UPDATE SET n = n + 1";
constexpr const char* kLeastMetSql =
    "INSERT INTO rollup_least_met (day, hour, weekday, kind, suspect, synthetic, need, n) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1) "
    "ON CONFLICT (day, hour, kind, suspect, synthetic, need) DO UPDATE SET n = n + 1";
constexpr const char* kIntentSql =
    "INSERT INTO rollup_intent (day, hour, weekday, kind, suspect, synthetic, intent, n) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1) "
    "ON CONFLICT (day, hour, kind, suspect, synthetic, intent) DO UPDATE SET n = n + 1";

void BindSlot(Statement& upsert, const LocalSlot& slot, const Response& response, bool suspect) {
    upsert.BindInt64(1, slot.Day);
    upsert.BindInt64(2, slot.Hour);
    upsert.BindInt64(3, slot.Weekday);
    upsert.BindText(4, ToString(response.Kind));
    upsert.BindInt64(5, suspect ? 1 : 0);
    upsert.BindInt64(6, response.Synthetic ? 1 : 0);
}

}  // namespace

Result<RollupWriter> RollupWriter::Prepare(sqlite3* db) {
    RollupWriter writer;
    struct Wanted {
        Statement* Into;
        const char* Operation;
        const char* Sql;
    };
    const Wanted wanted[] = {
        {&writer.Outcome_, "count response in rollups", kOutcomeSql},
        {&writer.Score_, "count score in rollups", kScoreSql},
        {&writer.LeastMet_, "count least-met answer in rollups", kLeastMetSql},
        {&writer.Intent_, "count intent answer in rollups", kIntentSql},
    };
    for (const Wanted& statement : wanted) {
        Result<Statement> ready = Statement::Prepare(db, statement.Operation, statement.Sql);
        if (!ready.Ok()) {
            return ready.Err();
        }
        *statement.Into = std::move(*ready);
    }
    return writer;
}

Status RollupWriter::Add(const Response& response, std::string_view suspect_reason) {
    const LocalSlot slot = LocalSlotOf(response.EndedAtMs);
    const bool suspect = !suspect_reason.empty();
    {
        ResetOnExit reset(Outcome_);
        BindSlot(Outcome_, slot, response, suspect);
        Outcome_.BindText(7, suspect_reason);
        Outcome_.BindText(8, ToString(response.Status));
        Outcome_.BindText(9, response.AbandonedAt);
        if (Status counted = Outcome_.Run(); !counted.Ok()) {
            return counted;
        }
    }
    for (const NeedScore& score : response.Scores) {
        ResetOnExit reset(Score_);
        BindSlot(Score_, slot, response, suspect);
        Score_.BindText(7, score.NeedId);
        Score_.BindInt64(8, score.Score);
        if (Status counted = Score_.Run(); !counted.Ok()) {
            return counted;
        }
    }
    if (!response.LeastMet.empty()) {
        ResetOnExit reset(LeastMet_);
        BindSlot(LeastMet_, slot, response, suspect);
        LeastMet_.BindText(7, response.LeastMet);
        if (Status counted = LeastMet_.Run(); !counted.Ok()) {
            return counted;
        }
    }
    if (response.Intent.has_value()) {
        ResetOnExit reset(Intent_);
        BindSlot(Intent_, slot, response, suspect);
        Intent_.BindInt64(7, *response.Intent);
        if (Status counted = Intent_.Run(); !counted.Ok()) {
            return counted;
        }
    }
    return Success();
}

}  // namespace doorstep
