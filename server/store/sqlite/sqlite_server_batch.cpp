// SqliteServerStore::StoreBatch: the one place responses enter head office's database.
//
// For each valid item, inside ONE transaction for the whole batch:
//
//   INSERT response ... ON CONFLICT DO NOTHING
//     | inserted --> INSERT its scores --> held (new)
//     |                 | the database refuses a score (CHECK)
//     |                 +--> DELETE the response and its scores --> rejected 400 (that item only)
//     | nothing inserted: (device, uuid) or (device, seq) is already held
//     |   uuid held, same seq and same content --> held (acked again, not stored twice)
//     |   uuid held otherwise, or seq held by another uuid --> conflict 409
//     | the database refuses the response (CHECK, NOT NULL) --> rejected 400 (that item only)
//
// The new answers' counts go into the report rollups (rollup_delta.hpp) in the same
// transaction, summed over the batch first; their comments go into the comment search index.
//
// The common case, a new response, costs one statement per row and nothing else: the UNIQUE
// keys find repeats, and only then is the stored response read back and compared field by field
// (as CanonicalContent), so a retry after a lost acknowledgement is answered exactly as before.
//
// Any other failure (I/O, disk full, busy) fails the whole call and the transaction rolls back:
// nothing of the batch is stored and nothing is acked, so the kiosk sends it all again later.
// A uuid or seq that occurs twice in one batch meets the first one's row, exactly as if it came
// in two batches.
#include <sqlite3.h>

#include <algorithm>

#include <array>
#include <mutex>
#include <optional>

#include "core/sqlite/sqlite_db.hpp"
#include "core/wire/wire.hpp"
#include "server/store/answer_dating.hpp"
#include "server/store/sqlite/sqlite_batch_statements.hpp"
#include "server/store/sqlite/sqlite_response_rows.hpp"
#include "server/store/sqlite/sqlite_rollups.hpp"
#include "server/store/sqlite/sqlite_server_store.hpp"

namespace doorstep::server {
namespace {

// Statements for the rare paths: prepared only when a batch meets a repeat or a refusal.
struct RepeatStatements {
    Statement ByUuid;
    Statement BySeq;
    Statement Scores;
    Statement DeleteScores;
    Statement DeleteResponse;
};

struct StatementSql {
    Statement* Into;
    const char* Operation;
    std::string Sql;
};

Status PrepareAll(sqlite3* db, const std::vector<StatementSql>& wanted) {
    for (const StatementSql& statement : wanted) {
        Result<Statement> ready = Statement::Prepare(db, statement.Operation, statement.Sql);
        if (!ready.Ok()) {
            return ready.Err();
        }
        *statement.Into = std::move(*ready);
    }
    return Success();
}

Status PrepareBatchStatements(sqlite3* db, BatchStatements& statements) {
    return PrepareAll(
        db, {{&statements.InsertResponse, "insert response",
              "INSERT INTO responses (device_id, seq, uuid, survey_id, survey_version, door, "
              "lang, kind, status, abandoned_at, started_at_ms, ended_at_ms, duration_ms, "
              "least_met, intent, comment, synthetic, received_at_ms, suspect_reason, "
              "utc_offset_min, clock_shift_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
              "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21) "
              "ON CONFLICT DO NOTHING"},
             {&statements.IndexComment, "index comments",
              "INSERT INTO comment_search (rowid, comment) SELECT id, comment FROM responses "
              "WHERE id BETWEEN ?1 AND ?2 AND comment != ''"},
             {&statements.CountStored, "count stored answers",
              "UPDATE devices SET stored_count = stored_count + ?2, "
              "highest_seq = max(highest_seq, ?3), last_received_at_ms = ?4 "
              "WHERE device_id = ?1"}});
}

Status PrepareRepeatStatements(sqlite3* db, RepeatStatements& statements) {
    std::string select = "SELECT " + ResponseRowColumns() +
                         " FROM responses r JOIN devices d ON d.device_id = r.device_id "
                         "WHERE r.device_id = ?1 AND ";
    return PrepareAll(
        db, {{&statements.ByUuid, "find response by uuid", select + "r.uuid = ?2"},
             {&statements.BySeq, "find response by seq", select + "r.seq = ?2"},
             {&statements.Scores, "read response scores", kResponseScoresSql},
             {&statements.DeleteScores, "undo response scores",
              "DELETE FROM response_scores WHERE response_id = ?1"},
             {&statements.DeleteResponse, "undo response", "DELETE FROM responses WHERE id = ?1"}});
}

std::string ItemField(const IncomingResponse& item) {
    return "responses[" + std::to_string(item.Index) + "]";
}

ItemIssue Conflict(const IncomingResponse& item, std::string message) {
    return ItemIssue{item.Seq, item.Data.Uuid, 409, ItemField(item), std::move(message)};
}

ItemIssue Refused(const IncomingResponse& item, const Error& error) {
    return ItemIssue{item.Seq, item.Data.Uuid, 400, ItemField(item),
                     "the database refused the response: " + error.Message};
}

// Binds and runs the response's INSERT. Ok(true): inserted; Ok(false): a UNIQUE key holds it.
Result<bool> InsertResponse(sqlite3* db, Statement& insert, std::string_view device_id,
                            const IncomingResponse& item, int64_t received_at_ms) {
    const Response& data = item.Data;
    ResetOnExit reset_insert(insert);
    insert.BindTextUnowned(1, device_id);
    insert.BindInt64(2, item.Seq);
    insert.BindTextUnowned(3, data.Uuid);
    insert.BindTextUnowned(4, data.SurveyId);
    insert.BindInt64(5, data.SurveyVersion);
    insert.BindTextUnowned(6, data.Door);
    insert.BindTextUnowned(7, data.Language);
    insert.BindTextUnowned(8, ToString(data.Kind));
    insert.BindTextUnowned(9, ToString(data.Status));
    insert.BindTextUnowned(10, data.AbandonedAt);
    insert.BindInt64(11, data.StartedAtMs);
    insert.BindInt64(12, data.EndedAtMs);
    insert.BindInt64(13, data.DurationMs);
    insert.BindTextUnowned(14, data.LeastMet);
    insert.BindOptional(15, data.Intent ? std::optional<int64_t>(*data.Intent) : std::nullopt);
    insert.BindTextUnowned(16, data.Comment);  // verbatim: bound, never spliced into SQL
    insert.BindInt64(17, data.Synthetic ? 1 : 0);
    insert.BindInt64(18, received_at_ms);
    insert.BindTextUnowned(19, item.Suspect);
    insert.BindInt64(20, item.UtcOffsetMin);
    insert.BindInt64(21, item.ClockShiftMs);
    if (Status inserted = insert.Run(); !inserted.Ok()) {
        return inserted.Err();
    }
    return sqlite3_changes(db) > 0;
}

Result<Statement*> ScoreInsert(sqlite3* db, BatchStatements& statements, size_t count) {
    if (count >= statements.InsertScores.size()) {
        return Error{"insert response scores: " + std::to_string(count) + " scores, at most " +
                         std::to_string(kMaxScoresPerResponse),
                     SQLITE_CONSTRAINT};
    }
    std::optional<Statement>& cached = statements.InsertScores[count];
    if (!cached) {
        std::string sql = "INSERT INTO response_scores (response_id, need, score, ordinal) VALUES ";
        for (size_t i = 0; i < count; ++i) {
            sql += i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)";
        }
        Result<Statement> prepared = Statement::Prepare(db, "insert response scores", sql);
        if (!prepared.Ok()) {
            return prepared.Err();
        }
        cached = std::move(*prepared);
    }
    return &*cached;
}

Status InsertScores(sqlite3* db, BatchStatements& statements, int64_t response_id,
                    const Response& data) {
    if (data.Scores.empty()) {
        return Success();
    }
    Result<Statement*> insert = ScoreInsert(db, statements, data.Scores.size());
    if (!insert.Ok()) {
        return insert.Err();
    }
    Statement& scores = **insert;
    ResetOnExit reset_scores(scores);
    for (size_t i = 0; i < data.Scores.size(); ++i) {
        int first = static_cast<int>(4 * i) + 1;
        scores.BindInt64(first, response_id);
        scores.BindTextUnowned(first + 1, data.Scores[i].NeedId);
        scores.BindInt64(first + 2, data.Scores[i].Score);
        scores.BindInt64(first + 3, static_cast<int64_t>(i));
    }
    return scores.Run();
}

// The stored response of this device selected by `find` (bound to ?2 by the caller), if any.
Result<std::optional<ExportRow>> FindStored(Statement& find, Statement& scores,
                                            std::string_view device_id) {
    ResetOnExit reset_find(find);
    find.BindText(1, device_id);
    Result<bool> found = find.Step();
    if (!found.Ok()) {
        return found.Err();
    }
    if (!*found) {
        return std::optional<ExportRow>();
    }
    Result<ExportRow> row = ReadResponseRow(find, scores);
    if (!row.Ok()) {
        return row.Err();
    }
    return std::optional<ExportRow>(std::move(*row));
}

// A UNIQUE key already holds this item: the same response again (held) or a conflict.
Result<std::optional<ItemIssue>> CompareWithStored(RepeatStatements& repeat,
                                                   std::string_view device_id,
                                                   const IncomingResponse& item) {
    repeat.ByUuid.BindText(2, item.Data.Uuid);
    Result<std::optional<ExportRow>> by_uuid = FindStored(repeat.ByUuid, repeat.Scores, device_id);
    if (!by_uuid.Ok()) {
        return by_uuid.Err();
    }
    if (const std::optional<ExportRow>& held = *by_uuid) {
        if (IsSameAnswer(*held, item)) {
            return std::optional<ItemIssue>();
        }
        return std::optional<ItemIssue>(
            Conflict(item, "uuid " + item.Data.Uuid + " is already stored (as seq " +
                               std::to_string(held->Seq) + ") with different content"));
    }
    repeat.BySeq.BindInt64(2, item.Seq);
    Result<std::optional<ExportRow>> by_seq = FindStored(repeat.BySeq, repeat.Scores, device_id);
    if (!by_seq.Ok()) {
        return by_seq.Err();
    }
    std::string holder = *by_seq ? (*by_seq)->Data.Uuid : std::string("unknown");
    return std::optional<ItemIssue>(
        Conflict(item, "seq " + std::to_string(item.Seq) +
                           " is already stored for another response (uuid " + holder + ")"));
}

Status UndoResponse(RepeatStatements& repeat, int64_t response_id) {
    for (Statement* undo : {&repeat.DeleteScores, &repeat.DeleteResponse}) {
        ResetOnExit reset(*undo);
        undo->BindInt64(1, response_id);
        if (Status done = undo->Run(); !done.Ok()) {
            return done;
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
    if (!Batch_) {
        auto prepared = std::make_unique<BatchStatements>();
        if (Status ready = PrepareBatchStatements(Db_, *prepared); !ready.Ok()) {
            return ready.Err();
        }
        Batch_ = std::move(prepared);
    }
    BatchStatements& statements = *Batch_;
    RollupDelta rollups;       // what the newly stored answers add to the report rollups
    int64_t first_new_id = 0;  // the rows this batch added have ids in [first, last]
    int64_t last_new_id = 0;
    int64_t highest_new_seq = 0;
    std::optional<RepeatStatements> repeat;
    auto rare_path = [&]() -> Result<RepeatStatements*> {
        if (!repeat) {
            repeat.emplace();
            if (Status prepared = PrepareRepeatStatements(Db_, *repeat); !prepared.Ok()) {
                return prepared.Err();
            }
        }
        return &*repeat;
    };
    for (const IncomingResponse& item : items) {
        Result<bool> inserted =
            InsertResponse(Db_, statements.InsertResponse, device_id, item, received_at_ms);
        if (!inserted.Ok() && inserted.Err().Code != SQLITE_CONSTRAINT) {
            return inserted.Err();  // I/O, full disk, busy: the whole batch rolls back
        }
        if (!inserted.Ok()) {
            // DecodeBatch() validates every field first; this is the schema's last line of
            // defence, and it must reject the item, not block the kiosk's queue with a 500.
            outcome.Rejected.push_back(Refused(item, inserted.Err()));
            continue;
        }
        if (!*inserted) {
            Result<RepeatStatements*> rare = rare_path();
            if (!rare.Ok()) {
                return rare.Err();
            }
            Result<std::optional<ItemIssue>> issue = CompareWithStored(**rare, device_id, item);
            if (!issue.Ok()) {
                return issue.Err();
            }
            *issue ? outcome.Conflicts.push_back(std::move(**issue))
                   : outcome.Held.push_back(item.Seq);
            continue;
        }
        int64_t response_id = sqlite3_last_insert_rowid(Db_);
        Status scored = InsertScores(Db_, statements, response_id, item.Data);
        if (!scored.Ok()) {
            if (scored.Err().Code != SQLITE_CONSTRAINT) {
                return scored.Err();
            }
            Result<RepeatStatements*> rare = rare_path();
            if (!rare.Ok()) {
                return rare.Err();
            }
            if (Status undone = UndoResponse(**rare, response_id); !undone.Ok()) {
                return undone.Err();
            }
            outcome.Rejected.push_back(Refused(item, scored.Err()));
            continue;
        }
        first_new_id = first_new_id == 0 ? response_id : first_new_id;
        last_new_id = response_id;
        highest_new_seq = std::max(highest_new_seq, item.Seq);
        rollups.Add(item);
        outcome.Held.push_back(item.Seq);
        ++outcome.NewlyStored;
    }
    if (Status counted = statements.Rollups.Write(Db_, device_id, rollups); !counted.Ok()) {
        return counted.Err();
    }
    if (outcome.NewlyStored > 0) {
        Statement& count = statements.CountStored;
        ResetOnExit reset_count(count);
        count.BindText(1, device_id);
        count.BindInt64(2, outcome.NewlyStored);
        count.BindInt64(3, highest_new_seq);
        count.BindInt64(4, received_at_ms);
        if (Status stored = count.Run(); !stored.Ok()) {
            return stored.Err();
        }
    }
    // Last, and in one statement: FTS5 writes out what it holds at every later statement's
    // savepoint, so one insert per comment would write the index once per answer.
    if (first_new_id != 0) {
        Statement& index = statements.IndexComment;
        ResetOnExit reset_index(index);
        index.BindInt64(1, first_new_id);
        index.BindInt64(2, last_new_id);
        if (Status indexed = index.Run(); !indexed.Ok()) {
            return indexed.Err();
        }
    }
    if (Status committed = transaction->Commit(); !committed.Ok()) {
        return committed.Err();
    }
    return outcome;
}

}  // namespace doorstep::server
