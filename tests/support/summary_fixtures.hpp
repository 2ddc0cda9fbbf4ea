// Shared by the summary and suspect tests: a pinned time zone, local timestamps, answers with
// known scores, and comparisons of the rollup tables with aggregates computed from the rows.
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/clock.hpp"
#include "core/base/uuid.hpp"
#include "core/response/response.hpp"
#include "kiosk/store/store.hpp"

namespace doorstep::testing {

// Central European time with its DST rules, as a POSIX TZ string (needs no tzdata). Local time
// differs from UTC by 1 or 2 hours, so bucketing by UTC by mistake shows up in the tests.
inline constexpr const char* kTestZone = "CET-1CEST,M3.5.0,M10.5.0/3";

// Sets TZ for the scope of a test and restores the previous one afterwards.
class ScopedTimeZone {
  public:
    explicit ScopedTimeZone(const char* zone = kTestZone) {
        if (const char* previous = std::getenv("TZ")) {
            Previous_ = previous;
        }
        ::setenv("TZ", zone, 1);
        ::tzset();  // localtime_r does not re-read TZ by itself
    }
    ~ScopedTimeZone() {
        if (Previous_) {
            ::setenv("TZ", Previous_->c_str(), 1);
        } else {
            ::unsetenv("TZ");
        }
        ::tzset();
    }
    ScopedTimeZone(const ScopedTimeZone&) = delete;
    ScopedTimeZone& operator=(const ScopedTimeZone&) = delete;

  private:
    std::optional<std::string> Previous_;
};

// Wall-clock ms of a local date and time in the current zone.
inline int64_t LocalMs(int year, int month, int day, int hour, int minute, int second = 0) {
    std::tm local{};
    local.tm_year = year - 1900;
    local.tm_mon = month - 1;
    local.tm_mday = day;
    local.tm_hour = hour;
    local.tm_min = minute;
    local.tm_sec = second;
    local.tm_isdst = -1;
    return static_cast<int64_t>(std::mktime(&local)) * 1000;
}

inline const std::vector<std::string> kNeeds = {"trust", "control", "support"};

// A completed customer answer ending at `ended_ms`, read at a calm pace (30 s). `scores` are for
// kNeeds in order; 0 leaves a need unanswered.
inline Response Answer(int64_t ended_ms, std::vector<int> scores, std::string least_met,
                       std::optional<int> intent, std::string comment = "") {
    Response response;
    response.Uuid = NewUuidV7(WallClockMs());
    response.SurveyId = "summary-test";
    response.SurveyVersion = 1;
    response.Door = "entrance";
    response.Language = "en";
    response.DurationMs = 30'000;
    response.EndedAtMs = ended_ms;
    response.StartedAtMs = ended_ms - response.DurationMs;
    for (size_t i = 0; i < scores.size() && i < kNeeds.size(); ++i) {
        if (scores[i] != 0) {
            response.Scores.push_back({kNeeds[i], scores[i]});
        }
    }
    response.LeastMet = std::move(least_met);
    response.Intent = intent;
    response.Comment = std::move(comment);
    return response;
}

inline Response Abandoned(int64_t ended_ms, std::vector<int> scores, std::string step) {
    Response response = Answer(ended_ms, std::move(scores), "", std::nullopt);
    response.Status = ResponseStatus::Abandoned;
    response.AbandonedAt = std::move(step);
    return response;
}

inline Response Staff(Response response) {
    response.Kind = ResponseKind::Staff;
    return response;
}

inline std::unique_ptr<Store> OpenStore(const std::string& path) {
    Result<std::unique_ptr<Store>> store = Store::Open(path);
    INFO((store.Ok() ? std::string() : store.Err().Message));
    REQUIRE(store.Ok());
    return std::move(*store);
}

inline int64_t AppendOrFail(Store& store, const Response& response) {
    Result<int64_t> seq = store.Append(response);
    INFO((seq.Ok() ? std::string() : seq.Err().Message));
    REQUIRE(seq.Ok());
    return *seq;
}

// One integer from a query on `db`.
inline int64_t QueryOne(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
    int64_t value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    return value;
}

// The stored suspect reason of a response ("" when none).
inline std::string SuspectReasonOf(const Store& store, const std::string& uuid) {
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(store.Handle(),
                               "SELECT coalesce(suspect_reason, '') FROM responses WHERE uuid = ?1",
                               -1, &statement, nullptr) == SQLITE_OK);
    sqlite3_bind_text(statement, 1, uuid.c_str(), -1, SQLITE_TRANSIENT);
    REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
    std::string reason = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
    return reason;
}

// Each rollup table beside the same aggregate computed from the stored rows (SQLite's own
// 'localtime', independent of the C++ insert path).
struct RollupCheck {
    const char* Table;
    const char* Columns;   // every column, n last
    const char* Expected;  // the aggregate over the rows, same columns
};

inline constexpr const char* kRowSlots =
    "(SELECT r.*, "
    "CAST(round(julianday(ended_at_ms / 1000, 'unixepoch', 'localtime', 'start of day') "
    "- 2440587.5) AS INTEGER) AS day, "
    "CAST(strftime('%H', ended_at_ms / 1000, 'unixepoch', 'localtime') AS INTEGER) AS hour, "
    "CAST(strftime('%w', ended_at_ms / 1000, 'unixepoch', 'localtime') AS INTEGER) AS weekday, "
    "suspect_reason IS NOT NULL AS suspect FROM responses r)";

inline std::vector<RollupCheck> RollupChecks() {
    static const std::string slots = kRowSlots;
    static const std::string outcomes =
        "SELECT day, hour, weekday, kind, suspect, synthetic, coalesce(suspect_reason, ''), "
        "status, coalesce(abandoned_at, ''), count(*) FROM " +
        slots + " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9";
    static const std::string scores =
        "SELECT day, hour, weekday, kind, suspect, synthetic, s.need, s.score, count(*) FROM " +
        slots + " m JOIN response_scores s ON s.seq = m.seq GROUP BY 1, 2, 3, 4, 5, 6, 7, 8";
    static const std::string least_met =
        "SELECT day, hour, weekday, kind, suspect, synthetic, least_met, count(*) FROM " + slots +
        " WHERE least_met IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7";
    static const std::string intent =
        "SELECT day, hour, weekday, kind, suspect, synthetic, intent, count(*) FROM " + slots +
        " WHERE intent IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7";
    return {
        {"rollup_outcomes", "day, hour, weekday, kind, suspect, synthetic, reason, status, step, n",
         outcomes.c_str()},
        {"rollup_scores", "day, hour, weekday, kind, suspect, synthetic, need, score, n",
         scores.c_str()},
        {"rollup_least_met", "day, hour, weekday, kind, suspect, synthetic, need, n",
         least_met.c_str()},
        {"rollup_intent", "day, hour, weekday, kind, suspect, synthetic, intent, n",
         intent.c_str()},
    };
}

// Rows in one query's result but not the other's, both ways (0: the same multiset of rows,
// given that neither query returns duplicates).
inline int64_t Mismatches(sqlite3* db, const std::string& left, const std::string& right) {
    return QueryOne(db, "SELECT count(*) FROM (" + left + " EXCEPT " + right + ")") +
           QueryOne(db, "SELECT count(*) FROM (" + right + " EXCEPT " + left + ")");
}

inline void CheckRollupsMatchRows(sqlite3* db) {
    for (const RollupCheck& check : RollupChecks()) {
        INFO(check.Table);
        std::string table = std::string("SELECT ") + check.Columns + " FROM " + check.Table;
        CHECK(QueryOne(db, "SELECT count(*) FROM " + std::string(check.Table)) > 0);
        CHECK(Mismatches(db, table, check.Expected) == 0);
    }
}

}  // namespace doorstep::testing
