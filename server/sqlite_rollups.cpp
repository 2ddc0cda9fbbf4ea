#include "sqlite_rollups.hpp"

#include "rollup_sql.hpp"
#include "sqlite_db.hpp"

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

// "INSERT INTO t (keys..., counts...) VALUES (?1, ...) ON CONFLICT (keys...) DO UPDATE SET
// c = c + excluded.c, ...": the key columns bind first, then `extra_keys`, then `counts`.
std::string Upsert(std::string_view table, std::initializer_list<std::string_view> extra_keys,
                   std::initializer_list<std::string_view> counts) {
    std::string keys = kRollupKeyColumns;
    for (std::string_view key : extra_keys) {
        keys.append(", ").append(key);
    }
    std::string columns = keys;
    std::string update;
    for (std::string_view count : counts) {
        columns.append(", ").append(count);
        update.append(update.empty() ? "" : ", ");
        update.append(count).append(" = ").append(count).append(" + excluded.").append(count);
    }
    std::string values;
    for (size_t i = 1; i <= kRollupKeyCount + extra_keys.size() + counts.size(); ++i) {
        values.append(i == 1 ? "?" : ", ?").append(std::to_string(i));
    }
    return "INSERT INTO " + std::string(table) + " (" + columns + ") VALUES (" + values +
           ") ON CONFLICT (" + keys + ") DO UPDATE SET " + update;
}

}  // namespace

Status RollupWriter::Prepare(sqlite3* db) {
    struct Wanted {
        std::optional<Statement>* Into;
        std::string Sql;
    };
    const Wanted wanted[] = {
        {&Answers_, Upsert("rollup_answers", {},
                           {"answers", "completed", "intent_answers", "promoters", "detractors",
                            "commented"})},
        {&Scores_, Upsert("rollup_scores", {"need"}, {"s1", "s2", "s3", "s4", "s5"})},
        {&LeastMet_, Upsert("rollup_least_met", {"need"}, {"answers"})},
        {&Hours_, Upsert("rollup_hours", {"hour", "need"}, {"answers", "scores", "score_sum"})},
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
    if (!Hours_) {
        if (Status prepared = Prepare(db); !prepared.Ok()) {
            return prepared;
        }
    }
    Statement& answers = *Answers_;
    Statement& scores = *Scores_;
    Statement& least_met = *LeastMet_;
    Statement& hours = *Hours_;
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
    for (const auto& [key, counts] : delta.Answers) {
        ResetOnExit reset(answers);
        BindKey(answers, delta, key, device_id);
        answers.BindInt64(7, counts.Answers);
        answers.BindInt64(8, counts.Completed);
        answers.BindInt64(9, counts.IntentAnswers);
        answers.BindInt64(10, counts.Promoters);
        answers.BindInt64(11, counts.Detractors);
        answers.BindInt64(12, counts.Commented);
        if (Status done = answers.Run(); !done.Ok()) {
            return done;
        }
    }
    for (const auto& [key, counts] : delta.Scores) {
        ResetOnExit reset(scores);
        BindKey(scores, delta, key.first, device_id);
        scores.BindTextUnowned(7, delta.Name(key.second));
        for (int i = 0; i < 5; ++i) {
            scores.BindInt64(8 + i, counts.at(static_cast<size_t>(i)));
        }
        if (Status done = scores.Run(); !done.Ok()) {
            return done;
        }
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
    for (const auto& [key, counts] : delta.Hours) {
        ResetOnExit reset(hours);
        BindKey(hours, delta, std::get<0>(key), device_id);
        hours.BindInt64(7, std::get<1>(key));
        hours.BindTextUnowned(8, delta.Name(std::get<2>(key)));
        hours.BindInt64(9, counts.Answers);
        hours.BindInt64(10, counts.Scores);
        hours.BindInt64(11, counts.ScoreSum);
        if (Status done = hours.Run(); !done.Ok()) {
            return done;
        }
    }
    return Success();
}

}  // namespace doorstep::server
