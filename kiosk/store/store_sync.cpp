// The uploader's view of the store: marking rows with what head office answered, pruning rows
// head office has had for long enough, and the counts the sync panel and heartbeat report.
// Row states and their transitions are drawn in store.cpp's header comment.
#include <sqlite3.h>

#include <algorithm>

#include "core/sqlite/sqlite_db.hpp"
#include "kiosk/store/store.hpp"

namespace doorstep {
namespace {

// Marks pending rows with one state; rows in any other state are left alone, so a late or
// repeated answer can never turn a conflict back into synced or resurrect a pruned row.
Status MarkRows(sqlite3* db, const char* state,
                const std::vector<std::pair<int64_t, std::string>>& rows, int64_t now_ms) {
    if (rows.empty()) {
        return Success();
    }
    Result<Statement> update =
        Statement::Prepare(db, "mark synced row",
                           "UPDATE responses SET sync_state = ?1, sync_note = ?2, "
                           "synced_at_ms = CASE WHEN ?1 = 'synced' THEN ?3 ELSE synced_at_ms END "
                           "WHERE seq = ?4 AND sync_state = 'pending'");
    if (!update.Ok()) {
        return update.Err();
    }
    for (const auto& [seq, note] : rows) {
        update->BindText(1, state);
        update->BindTextOrNull(2, note);
        update->BindInt64(3, now_ms);
        update->BindInt64(4, seq);
        if (Status ran = update->Run(); !ran.Ok()) {
            return ran;
        }
        update->Reset();
    }
    return Success();
}

}  // namespace

namespace {

// Acknowledged rows come in long runs of consecutive seqs: one UPDATE per run, not per row.
Status MarkSyncedRuns(sqlite3* db, std::vector<int64_t> seqs, int64_t now_ms) {
    if (seqs.empty()) {
        return Success();
    }
    std::sort(seqs.begin(), seqs.end());
    Result<Statement> update = Statement::Prepare(
        db, "mark synced rows",
        "UPDATE responses SET sync_state = 'synced', sync_note = NULL, synced_at_ms = ?1 "
        "WHERE seq BETWEEN ?2 AND ?3 AND sync_state = 'pending'");
    if (!update.Ok()) {
        return update.Err();
    }
    size_t first = 0;
    for (size_t i = 1; i <= seqs.size(); ++i) {
        if (i < seqs.size() && seqs[i] <= seqs[i - 1] + 1) {
            continue;  // the run goes on
        }
        update->BindInt64(1, now_ms);
        update->BindInt64(2, seqs[first]);
        update->BindInt64(3, seqs[i - 1]);
        if (Status ran = update->Run(); !ran.Ok()) {
            return ran;
        }
        update->Reset();
        first = i;
    }
    return Success();
}

}  // namespace

Status Store::ApplySyncOutcome(const SyncOutcome& outcome, int64_t now_ms) {
    Result<Transaction> transaction = Transaction::Begin(Db_, "apply sync outcome");
    if (!transaction.Ok()) {
        return transaction.Err();
    }
    if (Status synced = MarkSyncedRuns(Db_, outcome.Synced, now_ms); !synced.Ok()) {
        return synced;
    }
    for (const auto& [state, rows] :
         {std::pair{"conflict", &outcome.Conflicts}, std::pair{"rejected", &outcome.Rejected}}) {
        if (Status marked = MarkRows(Db_, state, *rows, now_ms); !marked.Ok()) {
            return marked;
        }
    }
    return transaction->Commit();
}

Result<int64_t> Store::PruneSynced(int64_t synced_before_ms) {
    Result<Transaction> transaction = Transaction::Begin(Db_, "prune synced responses");
    if (!transaction.Ok()) {
        return transaction.Err();
    }
    Result<Statement> prune = Statement::Prepare(
        Db_, "prune synced responses",
        "DELETE FROM responses WHERE sync_state = 'synced' AND synced_at_ms < ?1");
    if (!prune.Ok()) {
        return prune.Err();
    }
    prune->BindInt64(1, synced_before_ms);
    if (Status ran = prune->Run(); !ran.Ok()) {
        return ran.Err();
    }
    int64_t removed = sqlite3_changes64(Db_);
    // The alerts this terminal raised and the manager's acts go the same way once head office
    // has had them that long: its copies, in the alert view, are what the manager sees.
    // A contact head office never received goes too: nobody can act on it that late.
    for (const char* sql : {"DELETE FROM local_alerts WHERE synced = 1 AND raised_at_ms < ?1",
                            "DELETE FROM alert_acts WHERE synced = 1 AND at_ms < ?1",
                            "DELETE FROM contacts WHERE left_at_ms < ?1"}) {
        Result<Statement> forget = Statement::Prepare(Db_, "prune synced alerts", sql);
        if (!forget.Ok()) {
            return forget.Err();
        }
        forget->BindInt64(1, synced_before_ms);
        if (Status ran = forget->Run(); !ran.Ok()) {
            return ran.Err();
        }
    }
    if (Status committed = transaction->Commit(); !committed.Ok()) {
        return committed.Err();
    }
    return removed;
}

Result<SyncCounts> Store::CountSync() const {
    Result<Transaction> snapshot =
        Transaction::Begin(Db_, "count sync states", TransactionMode::Deferred);
    if (!snapshot.Ok()) {
        return snapshot.Err();
    }
    Result<Statement> counts = Statement::Prepare(
        Db_, "count sync states", "SELECT sync_state, count(*) FROM responses GROUP BY sync_state");
    if (!counts.Ok()) {
        return counts.Err();
    }
    SyncCounts result;
    for (;;) {
        Result<bool> row = counts->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        std::string state = counts->ColumnText(0);
        int64_t count = counts->ColumnInt64(1);
        if (state == "pending")
            result.Pending = count;
        if (state == "synced")
            result.Synced = count;
        if (state == "conflict")
            result.Conflict = count;
        if (state == "rejected")
            result.Rejected = count;
    }
    Result<Statement> oldest = Statement::Prepare(
        Db_, "find oldest unsent response",
        "SELECT ended_at_ms FROM responses WHERE sync_state = 'pending' ORDER BY seq LIMIT 1");
    if (!oldest.Ok()) {
        return oldest.Err();
    }
    Result<bool> found = oldest->Step();
    if (!found.Ok()) {
        return found.Err();
    }
    if (*found) {
        result.OldestPendingEndedAtMs = oldest->ColumnInt64(0);
    }
    // AUTOINCREMENT remembers the highest seq ever given, even when that row was pruned.
    Result<int64_t> highest = QueryInt64(
        Db_, "read highest seq",
        "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'responses'), 0)");
    if (!highest.Ok()) {
        return highest.Err();
    }
    result.HighestSeq = *highest;
    if (Status ended = snapshot->Commit(); !ended.Ok()) {
        return ended.Err();
    }
    return result;
}

Result<std::optional<std::string>> Store::ReadMeta(const std::string& key) const {
    Result<Statement> select =
        Statement::Prepare(Db_, "read setting", "SELECT value FROM meta WHERE key = ?1");
    if (!select.Ok()) {
        return select.Err();
    }
    select->BindText(1, key);
    Result<bool> row = select->Step();
    if (!row.Ok()) {
        return row.Err();
    }
    if (!*row) {
        return std::optional<std::string>();
    }
    return std::optional<std::string>(select->ColumnText(0));
}

Status Store::WriteMeta(const std::string& key, const std::string& value) {
    Result<Statement> upsert =
        Statement::Prepare(Db_, "write setting",
                           "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!upsert.Ok()) {
        return upsert.Err();
    }
    upsert->BindText(1, key);
    upsert->BindText(2, value);
    return upsert->Run();
}

namespace {
constexpr const char* kPushedSurveyEtagKey = "pushed_survey_etag";
}  // namespace

Status Store::SavePushedSurvey(const std::string& survey_id, int version,
                               const std::string& json_text, const std::string& etag) {
    Result<Transaction> transaction = Transaction::Begin(Db_, "save pushed survey");
    if (!transaction.Ok()) {
        return transaction.Err();
    }
    if (Status saved = SaveSurvey(survey_id, version, json_text); !saved.Ok()) {
        return saved;
    }
    if (Status marked = WriteMeta(kPushedSurveyEtagKey, etag); !marked.Ok()) {
        return marked;
    }
    return transaction->Commit();
}

Result<std::optional<std::string>> Store::PushedSurveyEtag() const {
    return ReadMeta(kPushedSurveyEtagKey);
}

}  // namespace doorstep
