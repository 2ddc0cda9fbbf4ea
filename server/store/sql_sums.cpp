// The generic store's sums over the report rollups, and the filters' choices. Every query has the
// same filter clause (Filter()); the rollups' keys start with the day (the hours' with the need,
// then the day), so a report's date range is one range scan.
#include <map>
#include <tuple>
#include <utility>

#include "server/store/sql_report_filter.hpp"
#include "server/store/sql_server_store.hpp"

namespace doorstep::server {
namespace {

// SqlReportFilterParams(), then $8 the need where `sql` takes it (PostgreSQL cannot type a
// parameter the statement does not use).
SqlParams FilterParams(const ReportFilter& filter, const std::string& sql) {
    SqlParams params = SqlReportFilterParams(filter);
    if (sql.find("$8") != std::string::npos) {
        params.Text(filter.Need);
    }
    return params;
}

// Without a store or door no rollup row needs its device looked up.
std::string Filter(const ReportFilter& filter) {
    std::string sql =
        " WHERE r.day BETWEEN $1 AND $2 AND ($5 = '' OR r.lang = $5) "
        "AND ($6 = '' OR r.kind = $6) AND ($7 OR r.suspect = 0)";
    if (filter.Narrowed()) {
        sql +=
            " AND r.device_id IN (SELECT device_id FROM devices WHERE ($3 = '' OR store = $3) "
            "AND ($4 = '' OR door = $4))";
    } else {
        // True here; named anyway because PostgreSQL cannot type a parameter no query uses.
        sql += " AND $3 = '' AND $4 = ''";
    }
    return sql;
}
constexpr const char* kNeedFilter = " AND ($8 = '' OR r.need = $8)";

// The group's two columns: its text, and the week (0 unless by week).
std::string GroupColumns(const SqlSession& db, ReportGroup group) {
    switch (group) {
        case ReportGroup::Day:
            return "CAST(r.day AS TEXT)" + std::string(db.BinaryCollation()) +
                   ", CAST(0 AS BIGINT)";
        case ReportGroup::Store:  // by device, folded into stores after (FoldIntoStores)
            return "r.device_id, CAST(0 AS BIGINT)";
        case ReportGroup::StoreWeek:  // the weekly rollups' day is the week's Monday
            return "r.device_id, r.day";
        case ReportGroup::Kind:
            return "r.kind, CAST(0 AS BIGINT)";
        case ReportGroup::None:
            break;
    }
    return "CAST('' AS TEXT), CAST(0 AS BIGINT)";
}

bool ByDevice(ReportGroup group) {
    return group == ReportGroup::Store || group == ReportGroup::StoreWeek;
}

// Runs `sql` with the filter in one read snapshot, each row turned into a Row with `read`.
template <typename Row, typename Read>
Result<std::vector<Row>> Collect(SqlSession& db, std::string_view operation, const std::string& sql,
                                 const ReportFilter& filter, Read read) {
    Result<SqlTransaction> snapshot = SqlTransaction::Begin(db, operation, SqlIsolation::Snapshot);
    if (!snapshot.Ok()) {
        return snapshot.Err();
    }
    Result<SqlRows> rows = db.Exec(operation, sql, FilterParams(filter, sql));
    if (!rows.Ok()) {
        return rows.Err();
    }
    return ReadSqlRows<Row>(*rows, read);
}

// Rows grouped by device, folded into their devices' stores: summing by device and then by store
// spares the database a lookup in devices for each of the range's rollup rows. Devices are never
// deleted, so the devices read after the sums know every device the sums name.
template <typename Totals, typename Key, typename Add>
Result<std::vector<Totals>> FoldIntoStores(SqlSession& db, std::vector<Totals> by_device, Key key,
                                           Add add) {
    Result<SqlRows> stores =
        db.Exec("list stores of devices", "SELECT device_id, store FROM devices");
    if (!stores.Ok()) {
        return stores.Err();
    }
    std::map<std::string, std::string> store_of;
    for (int row = 0; row < stores->Count(); ++row) {
        store_of.emplace(stores->Text(row, 0), stores->Text(row, 1));
    }
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

}  // namespace

Result<std::vector<ScoreTotals>> SqlServerStore::SumScores(const ReportFilter& filter,
                                                           ReportGroup group) {
    return InSession<std::vector<ScoreTotals>>([&](SqlSession& db) {
        std::string sql =
            "SELECT " + GroupColumns(db, group) +
            ", r.need, sum(r.s1), sum(r.s2), sum(r.s3), sum(r.s4), sum(r.s5) FROM " +
            (group == ReportGroup::StoreWeek ? "rollup_week_scores" : "rollup_scores") + " r" +
            Filter(filter) + kNeedFilter + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";
        Result<std::vector<ScoreTotals>> sums =
            Collect<ScoreTotals>(db, "sum scores", sql, filter, [](const SqlRows& rows, int row) {
                ScoreTotals totals{rows.Text(row, 0), rows.Int(row, 1), rows.Text(row, 2), {}};
                for (int i = 0; i < 5; ++i) {
                    totals.Counts.at(static_cast<size_t>(i)) = rows.Int(row, 3 + i);
                }
                return totals;
            });
        if (!sums.Ok() || !ByDevice(group) || sums->empty()) {
            return sums;
        }
        return FoldIntoStores(
            db, std::move(*sums),
            [](const ScoreTotals& totals) {
                return std::make_tuple(totals.Group, totals.Week, totals.Need);
            },
            [](ScoreTotals& into, const ScoreTotals& more) {
                for (size_t i = 0; i < into.Counts.size(); ++i) {
                    into.Counts.at(i) += more.Counts.at(i);
                }
            });
    });
}

Result<std::vector<AnswerTotals>> SqlServerStore::SumAnswers(const ReportFilter& filter,
                                                             ReportGroup group) {
    return InSession<std::vector<AnswerTotals>>([&](SqlSession& db) {
        std::string sql =
            "SELECT " + GroupColumns(db, group) +
            ", sum(r.answers), sum(r.completed), sum(r.intent_answers), "
            "sum(r.promoters), sum(r.detractors), sum(r.commented) FROM " +
            (group == ReportGroup::StoreWeek ? "rollup_week_answers" : "rollup_answers") + " r" +
            Filter(filter) + " GROUP BY 1, 2 ORDER BY 1, 2";
        Result<std::vector<AnswerTotals>> sums =
            Collect<AnswerTotals>(db, "sum answers", sql, filter, [](const SqlRows& rows, int row) {
                return AnswerTotals{rows.Text(row, 0), rows.Int(row, 1), rows.Int(row, 2),
                                    rows.Int(row, 3),  rows.Int(row, 4), rows.Int(row, 5),
                                    rows.Int(row, 6),  rows.Int(row, 7)};
            });
        if (!sums.Ok() || !ByDevice(group) || sums->empty()) {
            return sums;
        }
        return FoldIntoStores(
            db, std::move(*sums),
            [](const AnswerTotals& totals) { return std::make_pair(totals.Group, totals.Week); },
            [](AnswerTotals& into, const AnswerTotals& more) {
                into.Answers += more.Answers;
                into.Completed += more.Completed;
                into.IntentAnswers += more.IntentAnswers;
                into.Promoters += more.Promoters;
                into.Detractors += more.Detractors;
                into.Commented += more.Commented;
            });
    });
}

Result<std::vector<LeastMetTotal>> SqlServerStore::SumLeastMet(const ReportFilter& filter) {
    std::string sql = std::string("SELECT r.need, sum(r.answers) FROM rollup_least_met r") +
                      Filter(filter) + " GROUP BY 1 ORDER BY 2 DESC, 1";
    return InSession<std::vector<LeastMetTotal>>([&](SqlSession& db) {
        return Collect<LeastMetTotal>(db, "sum least met", sql, filter,
                                      [](const SqlRows& rows, int row) {
                                          return LeastMetTotal{rows.Text(row, 0), rows.Int(row, 1)};
                                      });
    });
}

Result<std::vector<HourTotals>> SqlServerStore::SumHours(const ReportFilter& filter) {
    // need '' rows count every answer; with a need chosen, that need's rows. The whole fleet's
    // come from its shards, a store's or door's from its terminals'. Grouped by day and hour
    // and folded into weekdays afterwards (FoldIntoWeekdays): over the fleet that is the order
    // the key is read in, so the database sums as it goes instead of sorting every row.
    std::string sql = std::string(
                          "SELECT r.day, r.hour, sum(r.answers), sum(r.scores), sum(r.score_sum) "
                          "FROM ") +
                      filter.HoursTable() + " r" + Filter(filter) +
                      " AND r.need = $8 GROUP BY 1, 2";
    Result<std::vector<DayHourTotals>> by_day =
        InSession<std::vector<DayHourTotals>>([&](SqlSession& db) {
            return Collect<DayHourTotals>(
                db, "sum hours", sql, filter, [](const SqlRows& rows, int row) {
                    return DayHourTotals{rows.Int(row, 0), static_cast<int>(rows.Int(row, 1)),
                                         rows.Int(row, 2), rows.Int(row, 3), rows.Int(row, 4)};
                });
        });
    if (!by_day.Ok()) {
        return by_day.Err();
    }
    return FoldIntoWeekdays(*by_day);
}

Result<FilterChoices> SqlServerStore::ListFilterChoices() {
    return InSession<FilterChoices>([&](SqlSession& db) -> Result<FilterChoices> {
        Result<SqlTransaction> snapshot =
            SqlTransaction::Begin(db, "list filter choices", SqlIsolation::Snapshot);
        if (!snapshot.Ok()) {
            return snapshot.Err();
        }
        Result<SqlRows> doors = db.Exec("list stores and doors",
                                        "SELECT DISTINCT store, door FROM devices ORDER BY 1, 2");
        Result<SqlRows> names = db.Exec("list needs and languages",
                                        "SELECT what, name FROM report_names ORDER BY 1, 2");
        if (!doors.Ok()) {
            return doors.Err();
        }
        if (!names.Ok()) {
            return names.Err();
        }
        FilterChoices choices;
        for (int row = 0; row < doors->Count(); ++row) {
            choices.StoreDoors.emplace_back(doors->Text(row, 0), doors->Text(row, 1));
        }
        for (int row = 0; row < names->Count(); ++row) {
            (names->Text(row, 0) == "need" ? choices.Needs : choices.Languages)
                .push_back(names->Text(row, 1));
        }
        return choices;
    });
}

}  // namespace doorstep::server
