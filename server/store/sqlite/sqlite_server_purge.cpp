// SqliteServerStore's retention: `doorstep-server purge --before DATE`.
#include <sqlite3.h>

#include <mutex>

#include "core/sqlite/sqlite_db.hpp"
#include "server/store/rollup_sql.hpp"
#include "server/store/sqlite/sqlite_server_store.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// Answers whose local day is before ?1; the started_at bound lets the index find them.
constexpr const char* kOldAnswers =
    "FROM responses WHERE started_at_ms < ?2 "
    "AND (started_at_ms + utc_offset_min * 60000) / 86400000 < ?1";

Status BindAndRun(sqlite3* db, const char* operation, const std::string& sql, int64_t before_day) {
    Result<Statement> statement = Statement::Prepare(db, operation, sql);
    if (!statement.Ok()) {
        return statement.Err();
    }
    statement->BindInt64(1, before_day);
    if (sql.find("?2") != std::string::npos) {
        statement->BindInt64(2, before_day * kDayMs + kMaxUtcOffsetMs);
    }
    return statement->Run();
}

Result<int64_t> CountWith(sqlite3* db, const char* operation, const std::string& sql,
                          int64_t before_day) {
    Result<Statement> count = Statement::Prepare(db, operation, sql);
    if (!count.Ok()) {
        return count.Err();
    }
    count->BindInt64(1, before_day);
    if (sql.find("?2") != std::string::npos) {
        count->BindInt64(2, before_day * kDayMs + kMaxUtcOffsetMs);
    }
    Result<bool> row = count->Step();
    if (!row.Ok()) {
        return row.Err();
    }
    return count->ColumnInt64(0);
}

}  // namespace

Result<PurgeCounts> SqliteServerStore::CountPurge(int64_t before_day) {
    std::lock_guard lock(Mutex_);
    Result<Transaction> snapshot =
        Transaction::Begin(Db_, "count purge", TransactionMode::Deferred);
    if (!snapshot.Ok()) {
        return snapshot.Err();
    }
    PurgeCounts counts;
    Result<int64_t> answers = CountWith(Db_, "count old answers",
                                        std::string("SELECT count(*) ") + kOldAnswers, before_day);
    Result<int64_t> comments =
        CountWith(Db_, "count old comments",
                  std::string("SELECT count(*) ") + kOldAnswers + " AND comment != ''", before_day);
    if (!answers.Ok()) {
        return answers.Err();
    }
    if (!comments.Ok()) {
        return comments.Err();
    }
    counts.Answers = *answers;
    counts.Comments = *comments;
    for (const char* table : kRollupTables) {
        Result<int64_t> rows =
            CountWith(Db_, "count old rollups",
                      "SELECT count(*) FROM " + std::string(table) + " WHERE day < ?1", before_day);
        if (!rows.Ok()) {
            return rows.Err();
        }
        counts.RollupRows += *rows;
    }
    return counts;
}

Result<PurgeCounts> SqliteServerStore::Purge(int64_t before_day) {
    Result<PurgeCounts> counts = CountPurge(before_day);
    if (!counts.Ok()) {
        return counts.Err();
    }
    std::unique_lock lock(Mutex_);
    {
        Result<Transaction> transaction = Transaction::Begin(Db_, "purge rollups");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        Status marked = BindAndRun(
            Db_, "mark purged seqs",
            std::string("UPDATE devices SET purged_through_seq = max(purged_through_seq, "
                        "coalesce((SELECT max(seq) ") +
                kOldAnswers + " AND device_id = devices.device_id), 0))",
            before_day);
        if (!marked.Ok()) {
            return marked.Err();
        }
        for (const char* table : kRollupTables) {
            Status deleted =
                BindAndRun(Db_, "purge rollups",
                           "DELETE FROM " + std::string(table) + " WHERE day < ?1", before_day);
            if (!deleted.Ok()) {
                return deleted.Err();
            }
        }
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
    }
    // The answers, a chunk per transaction; the lock is let go between chunks for ingest.
    const std::string chunk = std::string("SELECT id ") + kOldAnswers + " LIMIT " +
                              std::to_string(kPurgeAnswersPerTransaction);
    for (;;) {
        Result<Transaction> transaction = Transaction::Begin(Db_, "purge answers");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        Status cleared =
            ExecSql(Db_, "choose answers to purge",
                    "CREATE TEMP TABLE IF NOT EXISTS purging (id INTEGER PRIMARY KEY); "
                    "DELETE FROM purging");
        if (!cleared.Ok()) {
            return cleared.Err();
        }
        Status staged =
            BindAndRun(Db_, "choose answers to purge", "INSERT INTO purging " + chunk, before_day);
        if (!staged.Ok()) {
            return staged.Err();
        }
        Result<int64_t> chosen =
            QueryInt64(Db_, "count answers to purge", "SELECT count(*) FROM purging");
        if (!chosen.Ok()) {
            return chosen.Err();
        }
        if (*chosen == 0) {
            return *counts;
        }
        for (const char* sql :
             {"INSERT INTO comment_search (comment_search, rowid, comment) SELECT 'delete', id, "
              "comment FROM responses WHERE id IN (SELECT id FROM purging) AND comment != ''",
              "DELETE FROM response_scores WHERE response_id IN (SELECT id FROM purging)",
              "UPDATE devices SET stored_count = stored_count - (SELECT count(*) FROM responses r "
              "WHERE r.device_id = devices.device_id AND r.id IN (SELECT id FROM purging)) "
              "WHERE device_id IN (SELECT device_id FROM responses WHERE id IN "
              "(SELECT id FROM purging))",
              "DELETE FROM responses WHERE id IN (SELECT id FROM purging)"}) {
            if (Status done = ExecSql(Db_, "purge answers", sql); !done.Ok()) {
                return done.Err();
            }
        }
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
        lock.unlock();
        lock.lock();
    }
}

}  // namespace doorstep::server
