#include "server/store/sqlite/sqlite_rollups.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "core/sqlite/sqlite_db.hpp"
#include "server/store/rollup_sql.hpp"

namespace doorstep::server {
namespace {

// Binds ?1..?6: the key columns, in kRollupKeyColumns order.
void BindKey(Statement& statement, const RollupDelta& delta, const RollupKey& key,
             std::string_view device_id) {
    statement.BindInt64(1, key.Day);
    statement.BindTextUnowned(2, device_id);
    statement.BindTextUnowned(3, delta.Name(key.Kind));
    statement.BindTextUnowned(4, delta.Name(key.Lang));
    statement.BindInt64(5, key.Suspect ? 1 : 0);
    statement.BindInt64(6, key.Synthetic ? 1 : 0);
}

void BindHourCounts(Statement& statement, int first, const HourCounts& counts) {
    statement.BindInt64(first, counts.Answers);
    statement.BindInt64(first + 1, counts.Scores);
    statement.BindInt64(first + 2, counts.ScoreSum);
}

// "INSERT INTO t (keys..., counts...) VALUES (?1, ...) ON CONFLICT (keys...) DO UPDATE SET
// c = c + excluded.c, ...": `keys` (each one or more comma-separated columns) bind first, in
// their order, then `counts`.
std::string Upsert(std::string_view table, std::initializer_list<std::string_view> keys,
                   std::initializer_list<std::string_view> counts) {
    std::string key_list;
    for (std::string_view key : keys) {
        key_list.append(key_list.empty() ? "" : ", ").append(key);
    }
    std::string columns = key_list;
    std::string update;
    for (std::string_view count : counts) {
        columns.append(", ").append(count);
        update.append(update.empty() ? "" : ", ");
        update.append(count).append(" = ").append(count).append(" + excluded.").append(count);
    }
    std::string values;
    const size_t key_count =
        static_cast<size_t>(std::count(key_list.begin(), key_list.end(), ',')) + 1;
    for (size_t i = 1; i <= key_count + counts.size(); ++i) {
        values.append(i == 1 ? "?" : ", ?").append(std::to_string(i));
    }
    return "INSERT INTO " + std::string(table) + " (" + columns + ") VALUES (" + values +
           ") ON CONFLICT (" + key_list + ") DO UPDATE SET " + update;
}

std::string AnswerUpsert(std::string_view table) {
    return Upsert(
        table, {kRollupKeyColumns},
        {"answers", "completed", "intent_answers", "promoters", "detractors", "commented"});
}

std::string ScoreUpsert(std::string_view table) {
    return Upsert(table, {kRollupKeyColumns, "need"}, {"s1", "s2", "s3", "s4", "s5"});
}

// The counts of `by_key` (delta.Answers, or the same by week) through `upsert` (AnswerUpsert).
Status WriteAnswers(Statement& upsert, std::string_view device_id, const RollupDelta& delta,
                    const std::map<RollupKey, AnswerCounts>& by_key) {
    for (const auto& [key, counts] : by_key) {
        ResetOnExit reset(upsert);
        BindKey(upsert, delta, key, device_id);
        upsert.BindInt64(7, counts.Answers);
        upsert.BindInt64(8, counts.Completed);
        upsert.BindInt64(9, counts.IntentAnswers);
        upsert.BindInt64(10, counts.Promoters);
        upsert.BindInt64(11, counts.Detractors);
        upsert.BindInt64(12, counts.Commented);
        if (Status done = upsert.Run(); !done.Ok()) {
            return done;
        }
    }
    return Success();
}

// The scores of `by_key` (delta.Scores, or the same by week) through `upsert` (ScoreUpsert).
Status WriteScores(Statement& upsert, std::string_view device_id, const RollupDelta& delta,
                   const std::map<std::pair<RollupKey, int>, std::array<int64_t, 5>>& by_key) {
    for (const auto& [key, counts] : by_key) {
        ResetOnExit reset(upsert);
        BindKey(upsert, delta, key.first, device_id);
        upsert.BindTextUnowned(7, delta.Name(key.second));
        for (int i = 0; i < 5; ++i) {
            upsert.BindInt64(8 + i, counts.at(static_cast<size_t>(i)));
        }
        if (Status done = upsert.Run(); !done.Ok()) {
            return done;
        }
    }
    return Success();
}

}  // namespace

Status RollupWriter::Prepare(sqlite3* db) {
    struct Wanted {
        std::optional<Statement>* Into;
        std::string Sql;
    };
    const Wanted wanted[] = {
        {&Answers_, AnswerUpsert("rollup_answers")},
        {&Scores_, ScoreUpsert("rollup_scores")},
        {&WeekAnswers_, AnswerUpsert("rollup_week_answers")},
        {&WeekScores_, ScoreUpsert("rollup_week_scores")},
        {&LeastMet_, Upsert("rollup_least_met", {kRollupKeyColumns, "need"}, {"answers"})},
        {&Hours_, Upsert("rollup_hours", {kRollupKeyColumns, "hour", "need"},
                         {"answers", "scores", "score_sum"})},
        {&FleetHours_,
         Upsert("rollup_fleet_hours",
                {"day", "kind", "lang", "suspect", "synthetic", "hour", "need", "shard"},
                {"answers", "scores", "score_sum"})},
        {&Name_, "INSERT OR IGNORE INTO report_names (what, name) VALUES (?1, ?2)"},
    };
    for (const Wanted& statement : wanted) {
        Result<Statement> prepared = Statement::Prepare(db, "update report rollups", statement.Sql);
        if (!prepared.Ok()) {
            return prepared.Err();
        }
        *statement.Into = std::move(*prepared);
    }
    return Success();
}

Status RollupWriter::Write(sqlite3* db, std::string_view device_id, const RollupDelta& delta) {
    if (delta.Empty()) {
        return Success();
    }
    if (!Name_) {  // the last one Prepare() makes
        if (Status prepared = Prepare(db); !prepared.Ok()) {
            return prepared;
        }
    }
    Statement& least_met = *LeastMet_;
    Statement& hours = *Hours_;
    Statement& fleet_hours = *FleetHours_;
    auto remember = [this](std::string_view what, std::string_view name) {
        ResetOnExit reset(*Name_);
        Name_->BindTextUnowned(1, what);
        Name_->BindTextUnowned(2, name);
        return Name_->Run();
    };
    for (const auto& [key, counts] : delta.Answers) {
        if (Status named = remember("lang", delta.Name(key.Lang)); !named.Ok()) {
            return named;
        }
    }
    for (const auto& [key, counts] : delta.Scores) {
        if (Status named = remember("need", delta.Name(key.second)); !named.Ok()) {
            return named;
        }
    }
    Status written = WriteAnswers(*Answers_, device_id, delta, delta.Answers);
    if (written.Ok()) {
        written = WriteScores(*Scores_, device_id, delta, delta.Scores);
    }
    if (written.Ok()) {
        written = WriteAnswers(*WeekAnswers_, device_id, delta, delta.WeekAnswers);
    }
    if (written.Ok()) {
        written = WriteScores(*WeekScores_, device_id, delta, delta.WeekScores);
    }
    if (!written.Ok()) {
        return written;
    }
    for (const auto& [key, count] : delta.LeastMet) {
        ResetOnExit reset(least_met);
        BindKey(least_met, delta, key.first, device_id);
        least_met.BindTextUnowned(7, delta.Name(key.second));
        least_met.BindInt64(8, count);
        if (Status done = least_met.Run(); !done.Ok()) {
            return done;
        }
    }
    // Each hour row goes to the terminal's hours and to its shard of the fleet's.
    const int shard = FleetShardOf(device_id);
    for (const auto& [key, counts] : delta.Hours) {
        const auto& [rollup_key, hour, need] = key;
        {
            ResetOnExit reset(hours);
            BindKey(hours, delta, rollup_key, device_id);
            hours.BindInt64(7, hour);
            hours.BindTextUnowned(8, delta.Name(need));
            BindHourCounts(hours, 9, counts);
            if (Status done = hours.Run(); !done.Ok()) {
                return done;
            }
        }
        ResetOnExit reset(fleet_hours);
        fleet_hours.BindInt64(1, rollup_key.Day);
        fleet_hours.BindTextUnowned(2, delta.Name(rollup_key.Kind));
        fleet_hours.BindTextUnowned(3, delta.Name(rollup_key.Lang));
        fleet_hours.BindInt64(4, rollup_key.Suspect ? 1 : 0);
        fleet_hours.BindInt64(5, rollup_key.Synthetic ? 1 : 0);
        fleet_hours.BindInt64(6, hour);
        fleet_hours.BindTextUnowned(7, delta.Name(need));
        fleet_hours.BindInt64(8, shard);
        BindHourCounts(fleet_hours, 9, counts);
        if (Status done = fleet_hours.Run(); !done.Ok()) {
            return done;
        }
    }
    return Success();
}

}  // namespace doorstep::server
