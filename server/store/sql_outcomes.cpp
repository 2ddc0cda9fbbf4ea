// The generic store's outcomes: the lagging figures imported per store, day and metric
// (server/linkage/outcome_csv.hpp, docs/server.md "Outcomes").
#include <set>
#include <utility>

#include "server/store/sql_server_store.hpp"

namespace doorstep::server {

Result<OutcomeImportCounts> SqlServerStore::ImportOutcomes(const std::vector<OutcomeRecord>& values,
                                                           std::string_view by, int64_t now_ms) {
    return InSession<OutcomeImportCounts>([&](SqlSession& db) -> Result<OutcomeImportCounts> {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "import outcomes");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        OutcomeImportCounts counts;
        std::set<std::pair<std::string_view, int64_t>> days;
        for (const OutcomeRecord& value : values) {
            days.emplace(value.Store, value.Day);
        }
        for (const auto& [store, day] : days) {
            Result<int64_t> replaced =
                db.QueryInt("count a store-day's outcomes",
                            "SELECT count(*) FROM outcomes WHERE store = $1 AND day = $2",
                            SqlParams().Text(store).Int(day));
            if (!replaced.Ok()) {
                return replaced.Err();
            }
            counts.Replaced += *replaced;
            if (*replaced > 0) {
                Status cleared = db.Run("clear a store-day's outcomes",
                                        "DELETE FROM outcomes WHERE store = $1 AND day = $2",
                                        SqlParams().Text(store).Int(day));
                if (!cleared.Ok()) {
                    return cleared.Err();
                }
            }
        }
        for (const OutcomeRecord& value : values) {
            Status added =
                db.Run("add an outcome",
                       "INSERT INTO outcomes (store, day, metric, value, imported_at_ms, "
                       "imported_by) VALUES ($1, $2, $3, $4, $5, $6)",
                       SqlParams()
                           .Text(value.Store)
                           .Int(value.Day)
                           .Text(value.Metric)
                           .Double(value.Value)
                           .Int(now_ms)
                           .Text(by));
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
