// SqliteServerStore's sums over the report rollups (server_schema.hpp, step 5). Every query has
// the same filter clause (Filter()); the rollups' keys start with the day (the hours' with the
// need, then the day), so a report's date range is one range scan.
#include <sqlite3.h>

#include <map>
#include <mutex>
#include <utility>

#include "sqlite_db.hpp"
#include "sqlite_report_filter.hpp"
#include "sqlite_server_store.hpp"

namespace doorstep::server {
namespace {

// ?1..?7 as BindReportFilter() binds them; ?8 the need. Without a store or door no rollup row
// needs its device looked up.
std::string Filter(const ReportFilter& filter) {
    bool narrowed = filter.Narrowed();
    std::string sql =
        " WHERE r.day BETWEEN ?1 AND ?2 AND (?5 = '' OR r.lang = ?5) "
        "AND (?6 = '' OR r.kind = ?6) AND (?7 OR r.suspect = 0)";
    if (narrowed) {
        sql +=
            " AND r.device_id IN (SELECT device_id FROM devices WHERE (?3 = '' OR store = ?3) "
            "AND (?4 = '' OR door = ?4))";
    }
    return sql;
}
constexpr const char* kNeedFilter = " AND (?8 = '' OR r.need = ?8)";

std::string GroupColumn(ReportGroup group) {
    switch (group) {
        case ReportGroup::Day:
            return "CAST(r.day AS TEXT)";
        case ReportGroup::Store:  // by device, folded into stores after (FoldIntoStores)
            return "r.device_id";
        case ReportGroup::Kind:
            return "r.kind";
        case ReportGroup::None:
            break;
    }
    return "''";
}

// Runs `sql` with the filter bound and hands each row to `read`, inside one read snapshot.
template <typename Row, typename Read>
Result<std::vector<Row>> Collect(sqlite3* db, std::string_view operation, const std::string& sql,
                                 const ReportFilter& filter, Read read) {
    Result<Transaction> snapshot = Transaction::Begin(db, operation, TransactionMode::Deferred);
    if (!snapshot.Ok()) {
        return snapshot.Err();
    }
    Result<Statement> select = Statement::Prepare(db, operation, sql);
    if (!select.Ok()) {
        return select.Err();
    }
    BindReportFilter(*select, filter);  // ?3 and ?4 may be unused: SQLite allows that
    if (sql.find("?8") != std::string::npos) {
        select->BindText(8, filter.Need);
    }
    return ReadAllRows<Row>(*select, read);
}

// Rows grouped by device, folded into their devices' stores: summing by device and then by store
// spares SQLite a lookup in devices for each of the range's rollup rows. Devices are never
// deleted, so the devices read after the sums know every device the sums name.
template <typename Totals, typename Key, typename Add>
Result<std::vector<Totals>> FoldIntoStores(sqlite3* db, std::vector<Totals> by_device, Key key,
                                           Add add) {
    Result<Statement> select =
        Statement::Prepare(db, "list stores of devices", "SELECT device_id, store FROM devices");
    if (!select.Ok()) {
        return select.Err();
    }
    Result<std::vector<std::pair<std::string, std::string>>> stores =
        ReadAllRows<std::pair<std::string, std::string>>(*select, [](const Statement& row) {
            return std::make_pair(row.ColumnText(0), row.ColumnText(1));
        });
    if (!stores.Ok()) {
        return stores.Err();
    }
    std::map<std::string, std::string> store_of(stores->begin(), stores->end());
    std::map<decltype(key(by_device.front())), Totals> folded;
    for (Totals& totals : by_device) {
        totals.Group = store_of[totals.Group];
        auto [at, fresh] = folded.try_emplace(key(totals), totals);
        if (!fresh) {
            add(at->second, totals);
        }
    }
    std::vector<Totals> in_order;
    in_order.reserve(folded.size());
    for (auto& [unused, totals] : folded) {
        in_order.push_back(std::move(totals));
    }
    return in_order;
}

Result<std::vector<std::string>> Strings(sqlite3* db, const char* operation, const char* sql) {
    Result<Statement> select = Statement::Prepare(db, operation, sql);
    if (!select.Ok()) {
        return select.Err();
    }
    return ReadAllRows<std::string>(*select,
                                    [](const Statement& row) { return row.ColumnText(0); });
}

}  // namespace

Result<std::vector<ScoreTotals>> SqliteServerStore::SumScores(const ReportFilter& filter,
                                                              ReportGroup group) {
    std::lock_guard lock(Mutex_);
    std::string sql = "SELECT " + GroupColumn(group) +
                      ", r.need, sum(r.s1), sum(r.s2), sum(r.s3), sum(r.s4), sum(r.s5) "
                      "FROM rollup_scores r" +
                      Filter(filter) + kNeedFilter + " GROUP BY 1, 2 ORDER BY 1, 2";
    Result<std::vector<ScoreTotals>> sums =
        Collect<ScoreTotals>(Db_, "sum scores", sql, filter, [](const Statement& row) {
            ScoreTotals totals{row.ColumnText(0), row.ColumnText(1), {}};
            for (int i = 0; i < 5; ++i) {
                totals.Counts.at(static_cast<size_t>(i)) = row.ColumnInt64(2 + i);
            }
            return totals;
        });
    if (!sums.Ok() || group != ReportGroup::Store || sums->empty()) {
        return sums;
    }
    return FoldIntoStores(
        Db_, std::move(*sums),
        [](const ScoreTotals& totals) { return std::make_pair(totals.Group, totals.Need); },
        [](ScoreTotals& into, const ScoreTotals& more) {
            for (size_t i = 0; i < into.Counts.size(); ++i) {
                into.Counts.at(i) += more.Counts.at(i);
            }
        });
}

Result<std::vector<AnswerTotals>> SqliteServerStore::SumAnswers(const ReportFilter& filter,
                                                                ReportGroup group) {
    std::lock_guard lock(Mutex_);
    std::string sql = "SELECT " + GroupColumn(group) +
                      ", sum(r.answers), sum(r.completed), sum(r.intent_answers), "
                      "sum(r.promoters), sum(r.detractors), sum(r.commented) "
                      "FROM rollup_answers r" +
                      Filter(filter) + " GROUP BY 1 ORDER BY 1";
    Result<std::vector<AnswerTotals>> sums =
        Collect<AnswerTotals>(Db_, "sum answers", sql, filter, [](const Statement& row) {
            return AnswerTotals{row.ColumnText(0),  row.ColumnInt64(1), row.ColumnInt64(2),
                                row.ColumnInt64(3), row.ColumnInt64(4), row.ColumnInt64(5),
                                row.ColumnInt64(6)};
        });
    if (!sums.Ok() || group != ReportGroup::Store || sums->empty()) {
        return sums;
    }
    return FoldIntoStores(
        Db_, std::move(*sums), [](const AnswerTotals& totals) { return totals.Group; },
        [](AnswerTotals& into, const AnswerTotals& more) {
            into.Answers += more.Answers;
            into.Completed += more.Completed;
            into.IntentAnswers += more.IntentAnswers;
            into.Promoters += more.Promoters;
            into.Detractors += more.Detractors;
            into.Commented += more.Commented;
        });
}

Result<std::vector<LeastMetTotal>> SqliteServerStore::SumLeastMet(const ReportFilter& filter) {
    std::lock_guard lock(Mutex_);
    std::string sql = std::string("SELECT r.need, sum(r.answers) FROM rollup_least_met r") +
                      Filter(filter) + " GROUP BY 1 ORDER BY 2 DESC, 1";
    return Collect<LeastMetTotal>(Db_, "sum least met", sql, filter, [](const Statement& row) {
        return LeastMetTotal{row.ColumnText(0), row.ColumnInt64(1)};
    });
}

Result<std::vector<HourTotals>> SqliteServerStore::SumHours(const ReportFilter& filter) {
    std::lock_guard lock(Mutex_);
    // need '' rows count every answer; with a need chosen, that need's rows. The whole fleet's
    // come from its shards, a store's or door's from its terminals'. Grouped by day and hour
    // and folded into weekdays afterwards (FoldIntoWeekdays): over the fleet that is the order
    // the key is read in, so SQLite sums as it goes instead of sorting every row.
    std::string sql = std::string(
                          "SELECT r.day, r.hour, sum(r.answers), sum(r.scores), sum(r.score_sum) "
                          "FROM ") +
                      filter.HoursTable() + " r" + Filter(filter) +
                      " AND r.need = ?8 GROUP BY 1, 2";
    Result<std::vector<DayHourTotals>> by_day =
        Collect<DayHourTotals>(Db_, "sum hours", sql, filter, [](const Statement& row) {
            return DayHourTotals{row.ColumnInt64(0), static_cast<int>(row.ColumnInt64(1)),
                                 row.ColumnInt64(2), row.ColumnInt64(3), row.ColumnInt64(4)};
        });
    if (!by_day.Ok()) {
        return by_day.Err();
    }
    return FoldIntoWeekdays(*by_day);
}

Result<FilterChoices> SqliteServerStore::ListFilterChoices() {
    std::lock_guard lock(Mutex_);
    Result<Transaction> snapshot =
        Transaction::Begin(Db_, "list filter choices", TransactionMode::Deferred);
    if (!snapshot.Ok()) {
        return snapshot.Err();
    }
    FilterChoices choices;
    Result<Statement> doors = Statement::Prepare(
        Db_, "list stores and doors", "SELECT DISTINCT store, door FROM devices ORDER BY 1, 2");
    if (!doors.Ok()) {
        return doors.Err();
    }
    for (;;) {
        Result<bool> row = doors->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        choices.StoreDoors.emplace_back(doors->ColumnText(0), doors->ColumnText(1));
    }
    Result<std::vector<std::string>> needs =
        Strings(Db_, "list needs", "SELECT name FROM report_names WHERE what = 'need' ORDER BY 1");
    Result<std::vector<std::string>> languages = Strings(
        Db_, "list languages", "SELECT name FROM report_names WHERE what = 'lang' ORDER BY 1");
    if (!needs.Ok()) {
        return needs.Err();
    }
    if (!languages.Ok()) {
        return languages.Err();
    }
    choices.Needs = std::move(*needs);
    choices.Languages = std::move(*languages);
    return choices;
}

}  // namespace doorstep::server
