#include "server/store/postgres/pg_rollups.hpp"

#include <array>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "server/store/postgres/pg_response_rows.hpp"
#include "server/store/rollup_sql.hpp"

namespace doorstep::server {
namespace {

// One rollup table's upsert. Its rows are gathered one array per column and unnested, so the
// statement has one parameter per column whatever the number of rows: a multi-row VALUES list
// of one parameter per field (a few thousand for rollup_hours) cost PostgreSQL more to parse
// and plan than to write. The terminal's rollups are keyed by the device, the fleet's by the
// device's shard: either is $1, the same for every row of a batch.
class RollupUpsert {
  public:
    struct Column {
        std::string_view Name;
        std::string_view Type;  // the SQL type of the column's array's elements
    };

    RollupUpsert(std::string_view table, std::vector<Column> extra_keys,
                 std::vector<std::string_view> counts, Column batch_key = {"device_id", "text"})
        : Table_(table),
          BatchKey_(batch_key),
          ExtraKeys_(std::move(extra_keys)),
          Counts_(std::move(counts)) {
        Values_.resize(kKeyColumns.size() + ExtraKeys_.size() + Counts_.size());
    }

    // A row: the key, then `rest`, the extra keys' and the counts' values in their order.
    void Add(const RollupDelta& delta, const RollupKey& key, std::vector<std::string> rest) {
        std::vector<std::string> row = {std::to_string(key.Day), delta.Name(key.Kind),
                                        delta.Name(key.Lang), key.Suspect ? "1" : "0",
                                        key.Synthetic ? "1" : "0"};
        row.insert(row.end(), std::make_move_iterator(rest.begin()),
                   std::make_move_iterator(rest.end()));
        for (size_t column = 0; column < Values_.size(); ++column) {
            Values_[column].push_back(std::move(row.at(column)));
        }
    }

    Status Write(PgConnection& db, std::string_view batch_key) const {
        if (Values_.front().empty()) {
            return Success();
        }
        std::vector<Column> columns(kKeyColumns.begin(), kKeyColumns.end());
        columns.insert(columns.end(), ExtraKeys_.begin(), ExtraKeys_.end());
        std::string keys(BatchKey_.Name);
        for (const Column& column : columns) {
            keys.append(", ").append(column.Name);
        }
        std::string names = keys;
        std::string update;
        for (std::string_view count : Counts_) {
            columns.push_back({count, "bigint"});
            names.append(", ").append(count);
            update.append(update.empty() ? "" : ", ").append(count).append(" = ");
            update.append(Table_).append(".").append(count).append(" + excluded.").append(count);
        }
        std::string arrays;
        SqlParams params;
        params.Text(batch_key);
        for (size_t column = 0; column < columns.size(); ++column) {
            arrays.append(column == 0 ? "$" : ", $").append(std::to_string(column + 2));
            arrays.append("::").append(columns[column].Type).append("[]");
            params.Text(PgTextArray(Values_[column]));
        }
        return db.Run("update report rollups",
                      "INSERT INTO " + std::string(Table_) + " (" + names +
                          ") SELECT $1::" + std::string(BatchKey_.Type) + ", given.* FROM unnest(" +
                          arrays + ") AS given ON CONFLICT (" + keys + ") DO UPDATE SET " + update,
                      params);
    }

  private:
    static constexpr std::array<Column, 5> kKeyColumns = {{{"day", "bigint"},
                                                           {"kind", "text"},
                                                           {"lang", "text"},
                                                           {"suspect", "smallint"},
                                                           {"synthetic", "smallint"}}};
    std::string_view Table_;
    Column BatchKey_;
    std::vector<Column> ExtraKeys_;
    std::vector<std::string_view> Counts_;
    std::vector<std::vector<std::string>> Values_;  // one per column, in the statement's order
};

// The answers' counts of `by_key` (delta.Answers, or the same by week) for `table`.
RollupUpsert AnswerUpsert(std::string_view table, const RollupDelta& delta,
                          const std::map<RollupKey, AnswerCounts>& by_key) {
    RollupUpsert upsert(
        table, {},
        {"answers", "completed", "intent_answers", "promoters", "detractors", "commented"});
    for (const auto& [key, counts] : by_key) {
        upsert.Add(delta, key,
                   {std::to_string(counts.Answers), std::to_string(counts.Completed),
                    std::to_string(counts.IntentAnswers), std::to_string(counts.Promoters),
                    std::to_string(counts.Detractors), std::to_string(counts.Commented)});
    }
    return upsert;
}

// The scores of `by_key` (delta.Scores, or the same by week) for `table`.
RollupUpsert ScoreUpsert(
    std::string_view table, const RollupDelta& delta,
    const std::map<std::pair<RollupKey, int>, std::array<int64_t, 5>>& by_key) {
    RollupUpsert upsert(table, {{"need", "text"}}, {"s1", "s2", "s3", "s4", "s5"});
    for (const auto& [key, counts] : by_key) {
        std::vector<std::string> rest = {delta.Name(key.second)};
        for (int64_t count : counts) {
            rest.push_back(std::to_string(count));
        }
        upsert.Add(delta, key.first, std::move(rest));
    }
    return upsert;
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
    std::vector<std::string> whats;
    std::vector<std::string> name_values;
    for (const auto& [what, name] : names) {
        whats.push_back(what);
        name_values.push_back(name);
    }
    Status named = db.Run("update report names",
                          "INSERT INTO report_names (what, name) SELECT * FROM "
                          "unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
                          SqlParams().Text(PgTextArray(whats)).Text(PgTextArray(name_values)));
    if (!named.Ok()) {
        return named;
    }

    // Each table's rows in its key's order (the deltas are ordered maps), the same for every
    // batch, so two batches of one device cannot deadlock on them either.
    RollupUpsert answers = AnswerUpsert("rollup_answers", delta, delta.Answers);
    RollupUpsert scores = ScoreUpsert("rollup_scores", delta, delta.Scores);
    RollupUpsert week_answers = AnswerUpsert("rollup_week_answers", delta, delta.WeekAnswers);
    RollupUpsert week_scores = ScoreUpsert("rollup_week_scores", delta, delta.WeekScores);
    RollupUpsert least_met("rollup_least_met", {{"need", "text"}}, {"answers"});
    for (const auto& [key, count] : delta.LeastMet) {
        least_met.Add(delta, key.first, {delta.Name(key.second), std::to_string(count)});
    }
    RollupUpsert hours("rollup_hours", {{"hour", "bigint"}, {"need", "text"}},
                       {"answers", "scores", "score_sum"});
    // The fleet's rows are shared with other terminals' batches: they go last, in the order of
    // their texts rather than of this batch's name indexes, so that two batches locking the same
    // rows lock them in one order and cannot deadlock.
    RollupUpsert fleet_hours("rollup_fleet_hours", {{"hour", "bigint"}, {"need", "text"}},
                             {"answers", "scores", "score_sum"}, {"shard", "smallint"});
    std::map<std::tuple<std::string, int64_t, int, std::string, std::string, bool, bool>,
             std::pair<const RollupKey*, const HourCounts*>>
        fleet_order;
    for (const auto& [key, counts] : delta.Hours) {
        const auto& [rollup_key, hour, need] = key;
        std::vector<std::string> rest = {
            std::to_string(hour), delta.Name(need), std::to_string(counts.Answers),
            std::to_string(counts.Scores), std::to_string(counts.ScoreSum)};
        hours.Add(delta, rollup_key, rest);
        fleet_order.emplace(
            std::make_tuple(delta.Name(need), rollup_key.Day, hour, delta.Name(rollup_key.Kind),
                            delta.Name(rollup_key.Lang), rollup_key.Suspect, rollup_key.Synthetic),
            std::make_pair(&rollup_key, &counts));
    }
    for (const auto& [text_key, row] : fleet_order) {
        const auto& [rollup_key, counts] = row;
        fleet_hours.Add(delta, *rollup_key,
                        {std::to_string(std::get<2>(text_key)), std::get<0>(text_key),
                         std::to_string(counts->Answers), std::to_string(counts->Scores),
                         std::to_string(counts->ScoreSum)});
    }
    for (const RollupUpsert* upsert :
         {&answers, &scores, &least_met, &hours, &week_answers, &week_scores}) {
        if (Status written = upsert->Write(db, device_id); !written.Ok()) {
            return written;
        }
    }
    return fleet_hours.Write(db, std::to_string(FleetShardOf(device_id)));
}

}  // namespace doorstep::server
