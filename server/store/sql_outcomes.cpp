// The generic store's outcomes: the lagging figures imported per store, day and metric
// (server/linkage/outcome_csv.hpp, docs/server.md "Outcomes").
#include <algorithm>
#include <set>
#include <utility>

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

}  // namespace

Result<OutcomeImportCounts> SqlServerStore::ImportOutcomes(const std::vector<OutcomeRecord>& values,
                                                           const std::vector<std::string>& metrics,
                                                           std::string_view by, int64_t now_ms) {
    std::set<std::pair<std::string_view, int64_t>> store_days;
    for (const OutcomeRecord& value : values) {
        store_days.emplace(value.Store, value.Day);
    }
    const std::vector<std::pair<std::string_view, int64_t>> days(store_days.begin(),
                                                                 store_days.end());
    return InSession<OutcomeImportCounts>([&](SqlSession& db) -> Result<OutcomeImportCounts> {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "import outcomes");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        OutcomeImportCounts counts;
        for (size_t first = 0; first < days.size(); first += kOutcomeRowsPerStatement) {
            const size_t rows = std::min(kOutcomeRowsPerStatement, days.size() - first);
            SqlParams params;
            std::string metric_list;
            for (size_t m = 0; m < metrics.size(); ++m) {
                params.Text(metrics[m]);
                metric_list.append(m == 0 ? "$" : ", $").append(std::to_string(m + 1));
            }
            for (size_t row = first; row < first + rows; ++row) {
                params.Text(days[row].first).Int(days[row].second);
            }
            Result<SqlRows> cleared =
                db.Exec("clear the store-days imported again",
                        "DELETE FROM outcomes WHERE metric IN (" + metric_list +
                            ") AND (store, day) IN (VALUES " +
                            ValuesLists(rows, {"TEXT", "BIGINT"}, metrics.size() + 1) + ")",
                        params);
            if (!cleared.Ok()) {
                return cleared.Err();
            }
            counts.Replaced += cleared->Affected();
        }
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
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
        counts.StoreDays = static_cast<int64_t>(days.size());
        counts.Values = static_cast<int64_t>(values.size());
        return counts;
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
