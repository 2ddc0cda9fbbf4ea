// PgServerStore's sums over the report rollups and the filters' choices. The queries are
// SqliteServerStore's (sqlite_server_sums.cpp) in PostgreSQL's dialect, with the same results in
// the same order.

#include "pg_report_filter.hpp"
#include "pg_server_store.hpp"

namespace doorstep::server {
namespace {

// $1, $2 the local days (inclusive); $3 store, $4 door, $5 lang ('' for any); $6 kind ('' for
// both); $7 true to include suspect answers; $8 the need, where a query takes it. As SQLite's
// (sqlite_server_sums.cpp): without a store or door, and without grouping by store, no rollup
// row needs its device looked up.
std::string Filter(const ReportFilter& filter, bool by_store) {
    bool narrowed = filter.Narrowed();
    std::string sql = by_store ? " JOIN devices d ON d.device_id = r.device_id" : "";
    sql +=
        " WHERE r.day BETWEEN $1 AND $2 AND ($5 = '' OR r.lang = $5) "
        "AND ($6 = '' OR r.kind = $6) AND ($7 OR r.suspect = 0)";
    if (narrowed) {
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

std::string GroupColumn(ReportGroup group) {
    switch (group) {
        case ReportGroup::Day:
            return "r.day::text COLLATE \"C\"";
        case ReportGroup::Store:
            return "d.store";
        case ReportGroup::Kind:
            return "r.kind";
        case ReportGroup::None:
            break;
    }
    return "''::text";
}

// Runs `sql` with `params` in one read snapshot and turns each row into a Row with `read`.
template <typename Row, typename Read>
Result<std::vector<Row>> Collect(PgConnection& db, std::string_view operation,
                                 const std::string& sql, const PgParams& params, Read read) {
    Result<PgRows> rows = db.Exec(operation, sql, params);
    if (!rows.Ok()) {
        return rows.Err();
    }
    return ReadPgRows<Row>(*rows, read);
}

}  // namespace

Result<std::vector<ScoreTotals>> PgServerStore::SumScores(const ReportFilter& filter,
                                                          ReportGroup group) {
    std::string sql = "SELECT " + GroupColumn(group) +
                      ", r.need, sum(r.s1), sum(r.s2), sum(r.s3), sum(r.s4), sum(r.s5) "
                      "FROM rollup_scores r" +
                      Filter(filter, group == ReportGroup::Store) + kNeedFilter +
                      " GROUP BY 1, 2 ORDER BY 1, 2";
    PgParams params = PgReportFilterParams(filter).Text(filter.Need);
    return WithConnection([&](PgConnection& db) {
        return Collect<ScoreTotals>(db, "sum scores", sql, params, [](const PgRows& rows, int row) {
            ScoreTotals totals{rows.Text(row, 0), rows.Text(row, 1), {}};
            for (int i = 0; i < 5; ++i) {
                totals.Counts.at(static_cast<size_t>(i)) = rows.Int(row, 2 + i);
            }
            return totals;
        });
    });
}

Result<std::vector<AnswerTotals>> PgServerStore::SumAnswers(const ReportFilter& filter,
                                                            ReportGroup group) {
    std::string sql = "SELECT " + GroupColumn(group) +
                      ", sum(r.answers), sum(r.completed), sum(r.intent_answers), "
                      "sum(r.promoters), sum(r.detractors), sum(r.commented) "
                      "FROM rollup_answers r" +
                      Filter(filter, group == ReportGroup::Store) + " GROUP BY 1 ORDER BY 1";
    return WithConnection([&](PgConnection& db) {
        return Collect<AnswerTotals>(
            db, "sum answers", sql, PgReportFilterParams(filter), [](const PgRows& rows, int row) {
                return AnswerTotals{rows.Text(row, 0), rows.Int(row, 1), rows.Int(row, 2),
                                    rows.Int(row, 3),  rows.Int(row, 4), rows.Int(row, 5),
                                    rows.Int(row, 6)};
            });
    });
}

Result<std::vector<LeastMetTotal>> PgServerStore::SumLeastMet(const ReportFilter& filter) {
    std::string sql = std::string("SELECT r.need, sum(r.answers) FROM rollup_least_met r") +
                      Filter(filter, false) + " GROUP BY 1 ORDER BY 2 DESC, 1";
    return WithConnection([&](PgConnection& db) {
        return Collect<LeastMetTotal>(db, "sum least met", sql, PgReportFilterParams(filter),
                                      [](const PgRows& rows, int row) {
                                          return LeastMetTotal{rows.Text(row, 0), rows.Int(row, 1)};
                                      });
    });
}

Result<std::vector<HourTotals>> PgServerStore::SumHours(const ReportFilter& filter) {
    // need '' rows count every answer; with a need chosen, that need's rows. The whole fleet's
    // come from its shards, a store's or door's from its terminals'. Grouped by day and hour,
    // over the fleet the order of the key (need, day, hour, ...), so PostgreSQL can sum as it
    // reads; the days fold into weekdays afterwards (FoldIntoWeekdays).
    std::string sql = std::string(
                          "SELECT r.day, r.hour, sum(r.answers), sum(r.scores), "
                          "sum(r.score_sum) FROM ") +
                      filter.HoursTable() + " r" + Filter(filter, false) +
                      " AND r.need = $8 GROUP BY 1, 2";
    PgParams params = PgReportFilterParams(filter).Text(filter.Need);
    Result<std::vector<DayHourTotals>> by_day = WithConnection([&](PgConnection& db) {
        return Collect<DayHourTotals>(
            db, "sum hours", sql, params, [](const PgRows& rows, int row) {
                return DayHourTotals{rows.Int(row, 0), static_cast<int>(rows.Int(row, 1)),
                                     rows.Int(row, 2), rows.Int(row, 3), rows.Int(row, 4)};
            });
    });
    if (!by_day.Ok()) {
        return by_day.Err();
    }
    return FoldIntoWeekdays(*by_day);
}

Result<FilterChoices> PgServerStore::ListFilterChoices() {
    return WithConnection([&](PgConnection& db) -> Result<FilterChoices> {
        Result<PgTransaction> snapshot =
            PgTransaction::Begin(db, "list filter choices", PgIsolation::Snapshot);
        if (!snapshot.Ok()) {
            return snapshot.Err();
        }
        Result<PgRows> doors = db.Exec("list stores and doors",
                                       "SELECT DISTINCT store, door FROM devices ORDER BY 1, 2");
        Result<PgRows> names = db.Exec("list needs and languages",
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
