// PgServerStore's retention: `doorstep-server purge --before DATE`, as SqliteServerStore's
// (sqlite_server_purge.cpp). Scores go with their answers (ON DELETE CASCADE), the comment
// search index with its rows, and each device's stored_count down with them.
#include "server/store/postgres/pg_server_store.hpp"
#include "server/store/rollup_sql.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// Answers whose local day is before $1; the started_at bound ($2) lets the index find them.
constexpr const char* kOldAnswers =
    " FROM responses WHERE started_at_ms < $2 "
    "AND (started_at_ms + utc_offset_min * 60000) / 86400000 < $1";

SqlParams Before(int64_t before_day) {
    return SqlParams().Int(before_day).Int(before_day * kDayMs + kMaxUtcOffsetMs);
}

}  // namespace

Result<PurgeCounts> PgServerStore::CountPurge(int64_t before_day) {
    return WithConnection([&](PgConnection& db) -> Result<PurgeCounts> {
        Result<SqlTransaction> snapshot =
            SqlTransaction::Begin(db, "count purge", SqlIsolation::Snapshot);
        if (!snapshot.Ok()) {
            return snapshot.Err();
        }
        Result<SqlRows> answers = db.Exec(
            "count old answers",
            std::string("SELECT count(*), count(*) FILTER (WHERE comment <> '')") + kOldAnswers,
            Before(before_day));
        if (!answers.Ok()) {
            return answers.Err();
        }
        PurgeCounts counts;
        counts.Answers = answers->Int(0, 0);
        counts.Comments = answers->Int(0, 1);
        for (const char* table : kRollupTables) {
            Result<int64_t> rows =
                db.QueryInt("count old rollups",
                            "SELECT count(*) FROM " + std::string(table) + " WHERE day < $1",
                            SqlParams().Int(before_day));
            if (!rows.Ok()) {
                return rows.Err();
            }
            counts.RollupRows += *rows;
        }
        return counts;
    });
}

Result<PurgeCounts> PgServerStore::Purge(int64_t before_day) {
    Result<PurgeCounts> counts = CountPurge(before_day);
    if (!counts.Ok()) {
        return counts.Err();
    }
    Status rollups = WithConnection([&](PgConnection& db) -> Status {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "purge rollups");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        Status marked = db.Run(
            "mark purged seqs",
            std::string("UPDATE devices SET purged_through_seq = greatest(purged_through_seq, "
                        "coalesce((SELECT max(seq)") +
                kOldAnswers + " AND device_id = devices.device_id), 0))",
            Before(before_day));
        if (!marked.Ok()) {
            return marked;
        }
        for (const char* table : kRollupTables) {
            Status deleted =
                db.Run("purge rollups", "DELETE FROM " + std::string(table) + " WHERE day < $1",
                       SqlParams().Int(before_day));
            if (!deleted.Ok()) {
                return deleted;
            }
        }
        return transaction->Commit();
    });
    if (!rollups.Ok()) {
        return rollups.Err();
    }
    // The answers, a chunk per transaction (one statement: it commits on its own).
    for (;;) {
        Result<int64_t> deleted = WithConnection([&](PgConnection& db) -> Result<int64_t> {
            // One statement: the answers and each device's stored_count go together.
            return db.QueryInt(
                "purge answers",
                std::string("WITH gone AS (DELETE FROM responses WHERE id IN (SELECT id") +
                    kOldAnswers + " LIMIT " + std::to_string(kPurgeAnswersPerTransaction) +
                    ") RETURNING device_id), counted AS (UPDATE devices d SET stored_count = "
                    "d.stored_count - g.answers FROM (SELECT device_id, count(*) AS answers "
                    "FROM gone GROUP BY device_id) g WHERE d.device_id = g.device_id) "
                    "SELECT count(*) FROM gone",
                Before(before_day));
        });
        if (!deleted.Ok()) {
            return deleted.Err();
        }
        if (*deleted == 0) {
            return *counts;
        }
    }
}

}  // namespace doorstep::server
