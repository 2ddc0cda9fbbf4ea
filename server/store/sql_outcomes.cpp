// The generic store's outcomes: the lagging figures imported per store, day and metric
// (server/linkage/outcome_csv.hpp, docs/server.md "Outcomes").
#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "server/store/sql_server_store.hpp"

namespace doorstep::server {

namespace {

// Rows per statement: a few hundred values lists, well within both databases' parameter limits,
// so 700,000 values go as a few thousand statements rather than one each.
constexpr size_t kOutcomeRowsPerStatement = 250;

// "(CAST($a AS T1), CAST($b AS T2)), ..." for `rows` rows of one parameter per type, numbered
// from `first`: typed, as PostgreSQL takes an untyped VALUES parameter for text.
std::string ValuesLists(size_t rows, std::initializer_list<std::string_view> types, size_t first) {
    std::string lists;
    size_t number = first;
    for (size_t row = 0; row < rows; ++row) {
        lists.append(row == 0 ? "(" : ", (");
        for (std::string_view type : types) {
            lists.append(number == first + row * types.size() ? "CAST($" : ", CAST($")
                .append(std::to_string(number++))
                .append(" AS ")
                .append(type)
                .append(")");
        }
        lists.append(")");
    }
    return lists;
}

// "$first, $first+1, ..." for `count` parameters.
std::string ParameterList(size_t first, size_t count) {
    std::string list;
    for (size_t i = 0; i < count; ++i) {
        list.append(i == 0 ? "$" : ", $").append(std::to_string(first + i));
    }
    return list;
}

// Each store's days in the file, sorted.
using StoreDays = std::map<std::string_view, std::vector<int64_t>, std::less<>>;

// Deletes the file's metrics of its store-days, a few hundred days per statement (by the
// primary key: store, then the days); how many values went.
Result<int64_t> ClearStoreDays(SqlSession& db, const StoreDays& store_days,
                               const std::vector<std::string>& metrics) {
    int64_t cleared = 0;
    for (const auto& [store, days] : store_days) {
        for (size_t first = 0; first < days.size(); first += kOutcomeRowsPerStatement) {
            const size_t count = std::min(kOutcomeRowsPerStatement, days.size() - first);
            SqlParams params;
            params.Text(store);
            for (const std::string& metric : metrics) {
                params.Text(metric);
            }
            for (size_t i = first; i < first + count; ++i) {
                params.Int(days[i]);
            }
            Result<SqlRows> deleted =
                db.Exec("clear the store-days imported again",
                        "DELETE FROM outcomes WHERE store = $1 AND day IN (" +
                            ParameterList(metrics.size() + 2, count) + ") AND metric IN (" +
                            ParameterList(2, metrics.size()) + ")",
                        params);
            if (!deleted.Ok()) {
                return deleted.Err();
            }
            cleared += deleted->Affected();
        }
    }
    return cleared;
}

// Sums the file's metrics again into outcome_weeks for each store's weeks from its first day's
// to its last day's.
Status SumStoreWeeks(SqlSession& db, const StoreDays& store_days,
                     const std::vector<std::string>& metrics) {
    const std::string metric_list = ParameterList(4, metrics.size());
    for (const auto& [store, days] : store_days) {
        const int64_t first_week = (days.front() + 3) / 7;
        const int64_t last_week = (days.back() + 3) / 7;
        SqlParams params;
        params.Text(store).Int(first_week).Int(last_week);
        for (const std::string& metric : metrics) {
            params.Text(metric);
        }
        Status cleared = db.Run("clear the weeks imported again",
                                "DELETE FROM outcome_weeks WHERE store = $1 AND week >= $2 AND "
                                "week <= $3 AND metric IN (" +
                                    metric_list + ")",
                                params);
        if (!cleared.Ok()) {
            return cleared;
        }
        Status summed = db.Run(
            "sum the weeks imported",
            "INSERT INTO outcome_weeks (metric, store, week, total, days) SELECT metric, store, "
            "(day + 3) / 7, sum(value), count(*) FROM outcomes WHERE store = $1 AND day >= $2 * 7 "
            "- 3 AND day <= $3 * 7 + 3 AND metric IN (" +
                metric_list + ") GROUP BY 1, 2, 3",
            params);
        if (!summed.Ok()) {
            return summed;
        }
    }
    return Success();
}

}  // namespace

Result<OutcomeImportCounts> SqlServerStore::ImportOutcomes(const std::vector<OutcomeRecord>& values,
                                                           const std::vector<std::string>& metrics,
                                                           std::string_view by, int64_t now_ms) {
    StoreDays store_days;
    for (const OutcomeRecord& value : values) {
        store_days[value.Store].push_back(value.Day);
    }
    int64_t day_count = 0;
    for (auto& [store, days] : store_days) {
        std::sort(days.begin(), days.end());
        days.erase(std::unique(days.begin(), days.end()), days.end());
        day_count += static_cast<int64_t>(days.size());
    }
    return InSession<OutcomeImportCounts>([&](SqlSession& db) -> Result<OutcomeImportCounts> {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "import outcomes");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        OutcomeImportCounts counts;
        Result<int64_t> cleared = ClearStoreDays(db, store_days, metrics);
        if (!cleared.Ok()) {
            return cleared.Err();
        }
        counts.Replaced = *cleared;
        for (size_t first = 0; first < values.size(); first += kOutcomeRowsPerStatement) {
            const size_t rows = std::min(kOutcomeRowsPerStatement, values.size() - first);
            SqlParams params;
            params.Int(now_ms).Text(by);
            for (size_t row = first; row < first + rows; ++row) {
                const OutcomeRecord& value = values[row];
                params.Text(value.Store).Int(value.Day).Text(value.Metric).Double(value.Value);
            }
            Status added = db.Run(
                "add outcomes",
                "INSERT INTO outcomes (store, day, metric, value, imported_at_ms, "
                "imported_by) SELECT given.*, CAST($1 AS BIGINT), CAST($2 AS TEXT) FROM (VALUES " +
                    ValuesLists(rows, {"TEXT", "BIGINT", "TEXT", "DOUBLE PRECISION"}, 3) +
                    ") AS given",
                params);
            if (!added.Ok()) {
                return added.Err();
            }
        }
        if (Status summed = SumStoreWeeks(db, store_days, metrics); !summed.Ok()) {
            return summed.Err();
        }
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
        counts.StoreDays = day_count;
        counts.Values = static_cast<int64_t>(values.size());
        return counts;
    });
}

Result<std::vector<OutcomeWeekTotals>> SqlServerStore::SumOutcomeWeeks(std::string_view metric,
                                                                       std::string_view store,
                                                                       int64_t from_day,
                                                                       int64_t to_day) {
    // outcome_weeks' key (metric, store, week) serves the range in order.
    return InSession<std::vector<OutcomeWeekTotals>>(
        [&](SqlSession& db) -> Result<std::vector<OutcomeWeekTotals>> {
            Result<SqlRows> rows = db.Exec(
                "sum outcomes by week",
                "SELECT store, week, total, days FROM outcome_weeks WHERE metric = $1 AND ($2 = '' "
                "OR store = $2) AND week >= ($3 + 3) / 7 AND week <= ($4 + 3) / 7 ORDER BY metric, "
                "store" +
                    std::string(db.BinaryCollation()) + ", week",
                SqlParams().Text(metric).Text(store).Int(from_day).Int(to_day));
            if (!rows.Ok()) {
                return rows.Err();
            }
            return ReadSqlRows<OutcomeWeekTotals>(*rows, [](const SqlRows& found, int row) {
                return OutcomeWeekTotals{found.Text(row, 0), found.Int(row, 1),
                                         found.Double(row, 2), found.Int(row, 3)};
            });
        });
}

Result<std::vector<OutcomeRecord>> SqlServerStore::ListOutcomes(std::string_view metric,
                                                                int64_t from_day, int64_t to_day) {
    return InSession<std::vector<OutcomeRecord>>(
        [&](SqlSession& db) -> Result<std::vector<OutcomeRecord>> {
            Result<SqlRows> rows = db.Exec(
                "list outcomes",
                "SELECT store, day, metric, value FROM outcomes WHERE metric = $1 AND day >= $2 "
                "AND day <= $3 ORDER BY store" +
                    std::string(db.BinaryCollation()) + ", day",
                SqlParams().Text(metric).Int(from_day).Int(to_day));
            if (!rows.Ok()) {
                return rows.Err();
            }
            return ReadSqlRows<OutcomeRecord>(*rows, [](const SqlRows& found, int row) {
                return OutcomeRecord{found.Text(row, 0), found.Int(row, 1), found.Text(row, 2),
                                     found.Double(row, 3)};
            });
        });
}

Result<std::vector<std::string>> SqlServerStore::ListOutcomeMetrics() {
    return InSession<std::vector<std::string>>(
        [&](SqlSession& db) -> Result<std::vector<std::string>> {
            Result<SqlRows> rows =
                db.Exec("list outcome metrics",
                        "SELECT metric FROM outcomes GROUP BY metric ORDER BY metric" +
                            std::string(db.BinaryCollation()));
            if (!rows.Ok()) {
                return rows.Err();
            }
            return ReadSqlRows<std::string>(
                *rows, [](const SqlRows& found, int row) { return found.Text(row, 0); });
        });
}

}  // namespace doorstep::server
