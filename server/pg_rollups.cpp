#include "pg_rollups.hpp"

#include "rollup_sql.hpp"

#include <set>
#include <utility>

namespace doorstep::server {
namespace {

void AddKey(PgParams& params, const RollupDelta& delta, const RollupKey& key,
            std::string_view device_id) {
    params.Int(key.Day)
        .Text(device_id)
        .Text(delta.Name(key.Kind))
        .Text(delta.Name(key.Lang))
        .Int(key.Suspect ? 1 : 0)
        .Int(key.Synthetic ? 1 : 0);
}

std::string Upsert(std::string_view table, std::initializer_list<std::string_view> extra_keys,
                   std::initializer_list<std::string_view> counts, size_t rows) {
    return RollupUpsertSql(table, extra_keys, counts, rows, Placeholders::Postgres);
}

}  // namespace

Status WritePgRollups(PgConnection& db, std::string_view device_id, const RollupDelta& delta) {
    if (delta.Empty()) {
        return Success();
    }
    // Names in one order for every batch, so two batches adding the same names cannot deadlock.
    std::set<std::pair<std::string, std::string>> names;
    for (const auto& [key, counts] : delta.Answers) {
        names.emplace("lang", delta.Name(key.Lang));
    }
    for (const auto& [key, counts] : delta.Scores) {
        names.emplace("need", delta.Name(key.second));
    }
    PgParams name_params;
    std::string name_values;
    int n = 0;
    for (const auto& [what, name] : names) {
        name_params.Text(what).Text(name);
        name_values +=
            (n == 0 ? "($" : ", ($") + std::to_string(n + 1) + ", $" + std::to_string(n + 2) + ")";
        n += 2;
    }
    Status named = db.Run(
        "update report names",
        "INSERT INTO report_names (what, name) VALUES " + name_values + " ON CONFLICT DO NOTHING",
        name_params);
    if (!named.Ok()) {
        return named;
    }

    PgParams answers;
    for (const auto& [key, counts] : delta.Answers) {
        AddKey(answers, delta, key, device_id);
        answers.Int(counts.Answers)
            .Int(counts.Completed)
            .Int(counts.IntentAnswers)
            .Int(counts.Promoters)
            .Int(counts.Detractors)
            .Int(counts.Commented);
    }
    Status counted = db.Run(
        "update report rollups",
        Upsert("rollup_answers", {},
               {"answers", "completed", "intent_answers", "promoters", "detractors", "commented"},
               delta.Answers.size()),
        answers);
    if (!counted.Ok()) {
        return counted;
    }
    if (!delta.Scores.empty()) {
        PgParams scores;
        for (const auto& [key, counts] : delta.Scores) {
            AddKey(scores, delta, key.first, device_id);
            scores.Text(delta.Name(key.second));
            for (int64_t count : counts) {
                scores.Int(count);
            }
        }
        Status done = db.Run(
            "update report rollups",
            Upsert("rollup_scores", {"need"}, {"s1", "s2", "s3", "s4", "s5"}, delta.Scores.size()),
            scores);
        if (!done.Ok()) {
            return done;
        }
    }
    if (!delta.LeastMet.empty()) {
        PgParams least_met;
        for (const auto& [key, count] : delta.LeastMet) {
            AddKey(least_met, delta, key.first, device_id);
            least_met.Text(delta.Name(key.second)).Int(count);
        }
        Status done = db.Run(
            "update report rollups",
            Upsert("rollup_least_met", {"need"}, {"answers"}, delta.LeastMet.size()), least_met);
        if (!done.Ok()) {
            return done;
        }
    }
    PgParams hours;
    for (const auto& [key, counts] : delta.Hours) {
        AddKey(hours, delta, std::get<0>(key), device_id);
        hours.Int(std::get<1>(key))
            .Text(delta.Name(std::get<2>(key)))
            .Int(counts.Answers)
            .Int(counts.Scores)
            .Int(counts.ScoreSum);
    }
    return db.Run("update report rollups",
                  Upsert("rollup_hours", {"hour", "need"}, {"answers", "scores", "score_sum"},
                         delta.Hours.size()),
                  hours);
}

}  // namespace doorstep::server
