// SqliteServerStore::StoreBatch: the one place responses enter head office's database.
//
// For each valid item, inside ONE transaction for the whole batch:
//
//   uuid held for this device?  --yes, same seq and content hash--> held (acked again, not stored)
//        |                      --yes, otherwise------------------> conflict 409
//        no
//   seq held for this device?   --yes--> conflict 409 (another response has that seq)
//        |
//        no --> SAVEPOINT; insert response + scores; RELEASE --> held (new)
//                  | the database refuses it (a CHECK or UNIQUE constraint)
//                  +--> ROLLBACK TO the savepoint --> rejected 400 (only that item)
//
// Any other failure (I/O, disk full, busy) fails the whole call and the transaction rolls back:
// nothing of the batch is stored and nothing is acked, so the kiosk sends it all again later.
// Items are looked up after the earlier items of the same batch were inserted, so a uuid or seq
// that occurs twice in one batch is handled exactly as if it came in two batches.
#include <sqlite3.h>

#include <mutex>

#include "signing.hpp"
#include "sqlite_db.hpp"
#include "sqlite_server_store.hpp"

namespace doorstep::server {
namespace {

struct BatchStatements {
    Statement FindByUuid;
    Statement FindBySeq;
    Statement InsertResponse;
    Statement InsertScore;
    // Each item is stored inside a savepoint, so the schema's last check can reject one item
    // alone; prepared once per batch rather than parsed again for every item.
    Statement OpenSavepoint;
    Statement ReleaseSavepoint;
};

Result<BatchStatements> PrepareBatchStatements(sqlite3* db) {
    BatchStatements statements;
    struct Wanted {
        Statement* Into;
        const char* Operation;
        const char* Sql;
    };
    const Wanted wanted[] = {
        {&statements.FindByUuid, "find response by uuid",
         "SELECT seq, content_hash FROM responses WHERE device_id = ?1 AND uuid = ?2"},
        {&statements.FindBySeq, "find response by seq",
         "SELECT uuid FROM responses WHERE device_id = ?1 AND seq = ?2"},
        {&statements.InsertResponse, "insert response",
         "INSERT INTO responses (device_id, seq, uuid, content_hash, survey_id, survey_version, "
         "door, lang, kind, status, abandoned_at, started_at_ms, ended_at_ms, duration_ms, "
         "least_met, intent, comment, synthetic, received_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
         "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"},
        {&statements.InsertScore, "insert response score",
         "INSERT INTO response_scores (response_id, need, score, ordinal) "
         "VALUES (?1, ?2, ?3, ?4)"},
        {&statements.OpenSavepoint, "store batch item", "SAVEPOINT batch_item"},
        {&statements.ReleaseSavepoint, "store batch item", "RELEASE batch_item"},
    };
    for (const Wanted& statement : wanted) {
        Result<Statement> ready = Statement::Prepare(db, statement.Operation, statement.Sql);
        if (!ready.Ok()) {
            return ready.Err();
        }
        *statement.Into = std::move(*ready);
    }
    return statements;
}

std::string ItemField(const IncomingResponse& item) {
    return "responses[" + std::to_string(item.Index) + "]";
}

ItemIssue Conflict(const IncomingResponse& item, std::string message) {
    return ItemIssue{item.Seq, item.Data.Uuid, 409, ItemField(item), std::move(message)};
}

// Inserts the response and its scores. The caller wraps this in a savepoint.
Status InsertItem(sqlite3* db, BatchStatements& statements, std::string_view device_id,
                  const IncomingResponse& item, const std::string& content_hash,
                  int64_t received_at_ms) {
    const Response& data = item.Data;
    Statement& insert = statements.InsertResponse;
    ResetOnExit reset_insert(insert);
    insert.BindText(1, device_id);
    insert.BindInt64(2, item.Seq);
    insert.BindText(3, data.Uuid);
    insert.BindText(4, content_hash);
    insert.BindText(5, data.SurveyId);
    insert.BindInt64(6, data.SurveyVersion);
    insert.BindText(7, data.Door);
    insert.BindText(8, data.Language);
    insert.BindText(9, ToString(data.Kind));
    insert.BindText(10, ToString(data.Status));
    insert.BindText(11, data.AbandonedAt);
    insert.BindInt64(12, data.StartedAtMs);
    insert.BindInt64(13, data.EndedAtMs);
    insert.BindInt64(14, data.DurationMs);
    insert.BindText(15, data.LeastMet);
    if (data.Intent.has_value()) {
        insert.BindInt64(16, *data.Intent);
    } else {
        insert.BindNull(16);
    }
    insert.BindText(17, data.Comment);  // verbatim: bound, never spliced into SQL
    insert.BindInt64(18, data.Synthetic ? 1 : 0);
    insert.BindInt64(19, received_at_ms);
    if (Status inserted = insert.Run(); !inserted.Ok()) {
        return inserted;
    }
    int64_t response_id = sqlite3_last_insert_rowid(db);
    Statement& insert_score = statements.InsertScore;
    for (size_t i = 0; i < data.Scores.size(); ++i) {
        ResetOnExit reset_score(insert_score);
        insert_score.BindInt64(1, response_id);
        insert_score.BindText(2, data.Scores[i].NeedId);
        insert_score.BindInt64(3, data.Scores[i].Score);
        insert_score.BindInt64(4, static_cast<int64_t>(i));
        if (Status scored = insert_score.Run(); !scored.Ok()) {
            return scored;
        }
    }
    return Success();
}

}  // namespace

Result<BatchOutcome> SqliteServerStore::StoreBatch(std::string_view device_id,
                                                   const std::vector<IncomingResponse>& items,
                                                   int64_t received_at_ms) {
    std::lock_guard lock(Mutex_);
    BatchOutcome outcome;
    Result<Transaction> transaction = Transaction::Begin(Db_, "store batch");
    if (!transaction.Ok()) {
        return transaction.Err();
    }
    Result<BatchStatements> statements = PrepareBatchStatements(Db_);
    if (!statements.Ok()) {
        return statements.Err();
    }
    for (const IncomingResponse& item : items) {
        std::string content_hash = Sha256Hex(CanonicalContent(item.Data, item.Seq));

        Statement& by_uuid = statements->FindByUuid;
        ResetOnExit reset_by_uuid(by_uuid);
        by_uuid.BindText(1, device_id);
        by_uuid.BindText(2, item.Data.Uuid);
        Result<bool> uuid_held = by_uuid.Step();
        if (!uuid_held.Ok()) {
            return uuid_held.Err();
        }
        if (*uuid_held) {
            int64_t held_seq = by_uuid.ColumnInt64(0);
            if (held_seq == item.Seq && by_uuid.ColumnText(1) == content_hash) {
                outcome.Held.push_back(item.Seq);
            } else {
                outcome.Conflicts.push_back(
                    Conflict(item, "uuid " + item.Data.Uuid + " is already stored (as seq " +
                                       std::to_string(held_seq) + ") with different content"));
            }
            continue;
        }

        Statement& by_seq = statements->FindBySeq;
        ResetOnExit reset_by_seq(by_seq);
        by_seq.BindText(1, device_id);
        by_seq.BindInt64(2, item.Seq);
        Result<bool> seq_held = by_seq.Step();
        if (!seq_held.Ok()) {
            return seq_held.Err();
        }
        if (*seq_held) {
            outcome.Conflicts.push_back(
                Conflict(item, "seq " + std::to_string(item.Seq) +
                                   " is already stored for another response (uuid " +
                                   by_seq.ColumnText(0) + ")"));
            continue;
        }

        if (Status opened = statements->OpenSavepoint.Run(); !opened.Ok()) {
            return opened.Err();
        }
        statements->OpenSavepoint.Reset();
        Status inserted =
            InsertItem(Db_, *statements, device_id, item, content_hash, received_at_ms);
        if (!inserted.Ok()) {
            if (inserted.Err().Code != SQLITE_CONSTRAINT) {
                return inserted.Err();  // I/O, full disk, busy: the whole batch rolls back
            }
            // DecodeBatch() validates every field first; this is the schema's last line of
            // defence, and it must reject the item, not block the kiosk's queue with a 500.
            Status undone =
                ExecSql(Db_, "undo batch item", "ROLLBACK TO batch_item; RELEASE batch_item");
            if (!undone.Ok()) {
                return undone.Err();
            }
            outcome.Rejected.push_back(
                ItemIssue{item.Seq, item.Data.Uuid, 400, ItemField(item),
                          "the database refused the response: " + inserted.Err().Message});
            continue;
        }
        if (Status released = statements->ReleaseSavepoint.Run(); !released.Ok()) {
            return released.Err();
        }
        statements->ReleaseSavepoint.Reset();
        outcome.Held.push_back(item.Seq);
        ++outcome.NewlyStored;
    }
    if (Status committed = transaction->Commit(); !committed.Ok()) {
        return committed.Err();
    }
    return outcome;
}

}  // namespace doorstep::server
