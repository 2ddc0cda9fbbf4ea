#include "pg_rollups.hpp"

#include <set>
#include <utility>

namespace doorstep::server {
namespace {

constexpr const char* kKeyColumns = "day, device_id, kind, lang, suspect, synthetic";
constexpr size_t kKeyCount = 6;

void AddKey(PgParams& params, const RollupDelta& delta, const RollupKey& key,
            std::string_view device_id) {
    params.Int(key.Day)
        .Text(device_id)
        .Text(delta.Name(key.Kind))
        .Text(delta.Name(key.Lang))
        .Int(key.Suspect ? 1 : 0)
        .Int(key.Synthetic ? 1 : 0);
}

// "INSERT INTO t (keys..., counts...) VALUES (...), ... ON CONFLICT (keys...) DO UPDATE SET
// c = t.c + excluded.c, ...", for `rows` rows of parameters: the key columns first, then
// `extra_keys`, then `counts`.
std::string Upsert(std::string_view table, std::initializer_list<std::string_view> extra_keys,
                   std::initializer_list<std::string_view> counts, size_t rows) {
    std::string keys = kKeyColumns;
    for (std::string_view key : extra_keys) {
        keys.append(", ").append(key);
    }
    std::string columns = keys;
    std::string update;
    for (std::string_view count : counts) {
        columns.append(", ").append(count);
        update.append(update.empty() ? "" : ", ");
        update.append(count).append(" = ").append(table).append(".").append(count);
        update.append(" + excluded.").append(count);
    }
    size_t per_row = kKeyCount + extra_keys.size() + counts.size();
    std::string values;
    for (size_t row = 0; row < rows; ++row) {
        values.append(row == 0 ? "(" : ", (");
        for (size_t i = 1; i <= per_row; ++i) {
            values.append(i == 1 ? "$" : ", $").append(std::to_string(row * per_row + i));
        }
        values.append(")");
    }
    return "INSERT INTO " + std::string(table) + " (" + columns + ") VALUES " + values +
           " ON CONFLICT (" + keys + ") DO UPDATE SET " + update;
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
