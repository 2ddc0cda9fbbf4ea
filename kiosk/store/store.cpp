// The terminal's local store: one SQLite file that holds every answer until head office has it.
//
// THE STATES OF A RESPONSE ROW (column responses.sync_state)
//
//               Append()                 upload accepted               retention passed
//   (absent) ------------> pending --------------------> synced --------------------> (pruned)
//            AppendBatch()    |
//                             +---- server holds another row under this uuid ----> conflict
//                             +---- server refused the row ----------------------> rejected
//
//   absent  -> pending   Store::Append(), Store::AppendBatch(): the row and all its scores,
//                        inserted in one transaction, together with the row's suspect flag
//                        (suspect.hpp) and its counts in the rollups (rollup.hpp).
//   pending -> synced    Store::ApplySyncOutcome() (store_sync.cpp), called by the uploader with
//                        what the server acknowledged: one transaction per server reply.
//   pending -> conflict  Store::ApplySyncOutcome(), likewise, with the server's words in
//                        sync_note. Kept for an operator to look at.
//   pending -> rejected  Store::ApplySyncOutcome(), likewise. Kept for an operator to look at.
//   (a customer's answer that is not suspect also raises, in its own transaction, the alerts
//    head office's rules fire for it: store_alerts.cpp)
//   synced  -> pruned    Store::PruneSynced(), only for rows acknowledged (synced_at_ms) longer
//                        ago than the retention period.
//                        Deleting a response deletes its scores with it (ON DELETE CASCADE).
//
// THE STORE'S OWN STATES (Store::Open)
//
//   (no file) --create 0600--> FILE --pragmas--> CONFIGURED --migrations--> READY
//   (all in OpenDurableFile(), sqlite_file.cpp, shared with the server's database)
//                                                             |
//                                user_version > kLatestSchemaVersion: Open() fails, writes nothing
//
//   CONFIGURED: journal_mode=WAL, synchronous=FULL, foreign_keys=ON, busy timeout set.
//   Migrations: PRAGMA user_version k -> k+1 for each step in kMigrations, each step in its own
//   transaction, so a crash or a full disk leaves the file at some whole version, never between.
//
// INVARIANTS
//   * One transaction per state change. A response and its scores are written together, with its
//     suspect flag and rollup counts: summaries never see a response without its counts.
//   * Pruning deletes rows, not rollup counts: the manager's summaries outlive retention.
//   * A response is visible with all of its scores or not at all (readers use one snapshot).
//   * seq is strictly increasing and never reused, even after the newest rows are pruned:
//     AUTOINCREMENT keeps the high-water mark in sqlite_sequence.
//   * Nothing is deleted for being rejected or in conflict; only synced rows are pruned.
//   * A row's wall-clock stamps are kept as recorded, whatever the clock does later; beside them
//     its end on the boot clock (boot_id, ended_boot_ms), written once at insert and read back
//     only during that boot, gives head office the answer's age. Order is by seq, never by time.
//   * When Append() returns success the row is durable: in WAL mode with synchronous=FULL every
//     commit fsyncs the WAL before returning.
//   * The file is readable by its owner only (0600); SQLite creates -wal and -shm with the main
//     file's mode, so they are too.
#include "kiosk/store/store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <system_error>
#include <utility>

#include "core/base/clock.hpp"
#include "core/base/local_time.hpp"
#include "core/base/log.hpp"
#include "core/base/uuid.hpp"
#include "core/response/response_columns.hpp"
#include "core/sqlite/sqlite_db.hpp"
#include "core/sqlite/sqlite_file.hpp"
#include "kiosk/store/rollup.hpp"
#include "kiosk/store/store_schema.hpp"
#include "kiosk/store/suspect.hpp"

namespace doorstep {
namespace {

// Column order read by ReadResponseRow(): seq, the response's fields, sync state, suspect, and
// where the answer ended on the boot clock.
std::string ResponseColumns() {
    return "seq, " + ResponseFieldColumns() +
           ", sync_state, suspect_reason, boot_id, ended_boot_ms";
}

// Checked before any lock is taken, with messages that name the field; the schema's CHECK
// constraints stay as the last line of defence.
Status Validate(const Response& response) {
    std::string prefix = "response " + response.Uuid + ": ";
    if (!IsUuid(response.Uuid)) {
        return Error{"response uuid '" + response.Uuid + "' is not a lower-case canonical UUID",
                     SQLITE_CONSTRAINT};
    }
    for (const NeedScore& score : response.Scores) {
        if (score.NeedId.empty() || score.Score < 1 || score.Score > 5) {
            return Error{prefix + "score " + std::to_string(score.Score) + " for need '" +
                             score.NeedId + "' is not a need with a score from 1 to 5",
                         SQLITE_CONSTRAINT};
        }
    }
    if (response.Intent.has_value() && (*response.Intent < 0 || *response.Intent > 10)) {
        return Error{prefix + "intent " + std::to_string(*response.Intent) + " is not 0..10",
                     SQLITE_CONSTRAINT};
    }
    return Success();
}

Result<int64_t> ReadCount(Statement& count) {
    Result<bool> row = count.Step();
    if (!row.Ok()) {
        return row.Err();
    }
    return *row ? count.ColumnInt64(0) : 0;
}

// `boot_id`: this boot's; empty when the kernel did not say, and then no row has a boot-clock end.
Result<StoredResponse> ReadResponseRow(const Statement& row, std::string_view boot_id) {
    StoredResponse stored;
    stored.Seq = row.ColumnInt64(0);
    std::string what = "response seq " + std::to_string(stored.Seq);
    Result<Response> data = ReadResponseFields(row, 1, what);
    if (!data.Ok()) {
        return data.Err();
    }
    stored.Data = std::move(*data);
    std::optional<SyncState> sync = ParseSyncState(row.ColumnText(16));
    if (!sync) {
        return Error{"read " + what + ": unknown sync state '" + row.ColumnText(16) + "'",
                     SQLITE_CORRUPT};
    }
    stored.Sync = *sync;
    stored.SuspectReason = row.ColumnText(17);
    stored.UtcOffsetMin = UtcOffsetMinutesAt(stored.Data.StartedAtMs);
    if (!boot_id.empty() && row.ColumnText(18) == boot_id) {
        stored.EndedBootMs = row.ColumnOptionalInt64(19);
    }
    return stored;
}

}  // namespace

struct Store::Statements {
    Statement InsertResponse;
    Statement InsertScore;
    Statement SelectFrom;     // responses after a seq
    Statement SelectByUuid;   // one response
    Statement SelectPending;  // the uploader's next batch
    Statement SelectScores;   // scores of a seq range, in seq then survey order
    Statement CountAll;
    Statement CountByStatus;
    SuspectRules Suspect;  // flags a response as it is inserted
    RollupWriter Rollups;  // counts it for the manager's summaries
};

Store::Store(sqlite3* db, std::string path) : Db_(db), Path_(std::move(path)) {}

Store::~Store() {
    Cached_.reset();  // statements first: they belong to the connection
    sqlite3_close_v2(Db_);
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, const StoreOptions& options) {
    DurableFileOptions file_options;
    file_options.Vfs = options.Vfs;
    file_options.BusyTimeoutMs = options.BusyTimeoutMs;
    file_options.Noun = "store";
    file_options.NewerBuildHint =
        "a newer Doorstep wrote it: install that version again, or move the file aside to start "
        "a new store";
    Result<DurableFile> file = OpenDurableFile(path, file_options, kMigrations);
    if (!file.Ok()) {
        return file.Err();
    }
    sqlite3* db = file->Db;
    std::unique_ptr<Store> store(new Store(db, path));  // closes `db` on every path from here
    store->SchemaVersion_ = file->SchemaVersion;
    store->BootId_ = CurrentBootId();

    const std::string columns = ResponseColumns();
    auto cached = std::make_unique<Statements>();
    struct Wanted {
        Statement* Into;
        const char* Operation;
        std::string Sql;
    };
    const Wanted wanted[] = {
        {&cached->InsertResponse, "insert response",
         "INSERT INTO responses (uuid, survey_id, survey_version, door, lang, kind, status, "
         "abandoned_at, started_at_ms, ended_at_ms, duration_ms, least_met, intent, comment, "
         "synthetic, suspect_reason, boot_id, ended_boot_ms) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
         "?18)"},
        {&cached->InsertScore, "insert response score",
         "INSERT INTO response_scores (seq, need, score, ordinal) VALUES (?1, ?2, ?3, ?4)"},
        {&cached->SelectFrom, "read responses",
         "SELECT " + columns + " FROM responses WHERE seq > ?1 ORDER BY seq LIMIT ?2"},
        {&cached->SelectByUuid, "find response",
         "SELECT " + columns + " FROM responses WHERE uuid = ?1"},
        {&cached->SelectPending, "read unsent responses",
         "SELECT " + columns +
             " FROM responses WHERE sync_state = 'pending' AND seq > ?1 ORDER BY seq LIMIT ?2"},
        {&cached->SelectScores, "read response scores",
         "SELECT seq, need, score FROM response_scores WHERE seq > ?1 AND seq <= ?2 "
         "ORDER BY seq, ordinal"},
        {&cached->CountAll, "count responses", "SELECT count(*) FROM responses"},
        {&cached->CountByStatus, "count responses",
         "SELECT count(*) FROM responses WHERE status = ?1"},
    };
    for (const Wanted& statement : wanted) {
        Result<Statement> ready = Statement::Prepare(db, statement.Operation, statement.Sql);
        if (!ready.Ok()) {
            return ready.Err();
        }
        *statement.Into = std::move(*ready);
    }
    Result<SuspectRules> suspect = SuspectRules::Prepare(db);
    if (!suspect.Ok()) {
        return suspect.Err();
    }
    cached->Suspect = std::move(*suspect);
    Result<RollupWriter> rollups = RollupWriter::Prepare(db);
    if (!rollups.Ok()) {
        return rollups.Err();
    }
    cached->Rollups = std::move(*rollups);
    store->Cached_ = std::move(cached);
    return store;
}

Result<int64_t> Store::InsertOne(const Response& response, const ClockStamp& stamped,
                                 const std::vector<AlertRule>& rules) {
    // Judged against the rows stored before it, so before it is inserted.
    Result<std::string> suspect_reason = Cached_->Suspect.Check(response);
    if (!suspect_reason.Ok()) {
        return suspect_reason.Err();
    }
    Statement& insert = Cached_->InsertResponse;
    ResetOnExit reset_insert(insert);
    insert.BindText(1, response.Uuid);
    insert.BindText(2, response.SurveyId);
    insert.BindInt64(3, response.SurveyVersion);
    insert.BindText(4, response.Door);
    insert.BindText(5, response.Language);
    insert.BindText(6, ToString(response.Kind));
    insert.BindText(7, ToString(response.Status));
    insert.BindTextOrNull(8, response.AbandonedAt);
    insert.BindInt64(9, response.StartedAtMs);
    insert.BindInt64(10, response.EndedAtMs);
    insert.BindInt64(11, response.DurationMs);
    insert.BindTextOrNull(12, response.LeastMet);
    insert.BindOptional(13, response.Intent);
    insert.BindTextOrNull(14, response.Comment);
    insert.BindInt64(15, response.Synthetic ? 1 : 0);
    insert.BindTextOrNull(16, *suspect_reason);
    // The end on the boot clock: the stamp's boot reading, less the wall time since the end (0
    // for a live answer; days for a simulated one dated in the past).
    insert.BindTextOrNull(17, BootId_);
    insert.BindInt64(18, stamped.BootMs - (stamped.WallMs - response.EndedAtMs));
    Status inserted = insert.Run();
    if (!inserted.Ok()) {
        return inserted.Err();
    }
    int64_t seq = sqlite3_last_insert_rowid(Db_);

    Statement& insert_score = Cached_->InsertScore;
    for (size_t i = 0; i < response.Scores.size(); ++i) {
        ResetOnExit reset_score(insert_score);
        insert_score.BindInt64(1, seq);
        insert_score.BindText(2, response.Scores[i].NeedId);
        insert_score.BindInt64(3, response.Scores[i].Score);
        insert_score.BindInt64(4, static_cast<int64_t>(i));
        Status scored = insert_score.Run();
        if (!scored.Ok()) {
            return scored.Err();
        }
    }
    if (Status counted = Cached_->Rollups.Add(response, *suspect_reason); !counted.Ok()) {
        return counted.Err();
    }
    if (response.Kind == ResponseKind::Customer && suspect_reason->empty()) {
        Status raised =
            RaiseAlerts(response, rules, UtcOffsetMinutesAt(response.StartedAtMs), stamped.WallMs);
        if (!raised.Ok()) {
            return raised.Err();
        }
    }
    return seq;
}

Result<std::vector<int64_t>> Store::AppendAll(std::span<const Response> responses,
                                              const char* operation, const ClockStamp& stamped) {
    for (const Response& response : responses) {
        Status valid = Validate(response);
        if (!valid.Ok()) {
            return valid.Err();
        }
    }
    Result<Transaction> transaction = Transaction::Begin(Db_, operation);
    if (!transaction.Ok()) {
        return transaction.Err();
    }
    // Head office's alert rules, read once for the whole batch.
    Result<std::vector<AlertRule>> rules = CachedAlertRules();
    if (!rules.Ok()) {
        return rules.Err();
    }
    std::vector<int64_t> seqs;
    seqs.reserve(responses.size());
    for (const Response& response : responses) {
        Result<int64_t> seq = InsertOne(response, stamped, *rules);
        if (!seq.Ok()) {
            return seq.Err();  // the transaction rolls back: no row, no score of any response
        }
        seqs.push_back(*seq);
    }
    Status committed = transaction->Commit();
    if (!committed.Ok()) {
        return committed.Err();
    }
    return seqs;
}

Result<int64_t> Store::Append(const Response& response, std::optional<ClockStamp> stamped) {
    Result<std::vector<int64_t>> seqs =
        AppendAll({&response, 1}, "append response", stamped.value_or(ClockStamp::Now()));
    if (!seqs.Ok()) {
        return seqs.Err();
    }
    return seqs->front();
}

Result<std::vector<int64_t>> Store::AppendBatch(const std::vector<Response>& responses) {
    return AppendAll(responses, "append responses", ClockStamp::Now());
}

Result<int64_t> Store::CountResponses() const {
    Statement& count = Cached_->CountAll;
    ResetOnExit reset(count);
    return ReadCount(count);
}

Result<int64_t> Store::CountResponses(ResponseStatus status) const {
    Statement& count = Cached_->CountByStatus;
    ResetOnExit reset(count);
    count.BindText(1, ToString(status));
    return ReadCount(count);
}

Result<std::vector<StoredResponse>> Store::ReadRows(Statement& select) const {
    Result<Transaction> snapshot =
        Transaction::Begin(Db_, select.Operation(), TransactionMode::Deferred);
    if (!snapshot.Ok()) {
        return snapshot.Err();
    }
    std::vector<StoredResponse> rows;
    for (;;) {
        Result<bool> row = select.Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        Result<StoredResponse> stored = ReadResponseRow(select, BootId_);
        if (!stored.Ok()) {
            return stored.Err();
        }
        rows.push_back(std::move(*stored));
    }
    if (rows.empty()) {
        return rows;
    }
    // Scores of the whole seq range in one query; no other response lies inside the range.
    Statement& scores = Cached_->SelectScores;
    ResetOnExit reset(scores);
    scores.BindInt64(1, rows.front().Seq - 1);
    scores.BindInt64(2, rows.back().Seq);
    size_t next_row = 0;
    for (;;) {
        Result<bool> row = scores.Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        int64_t seq = scores.ColumnInt64(0);
        while (next_row < rows.size() && rows[next_row].Seq < seq) {
            ++next_row;
        }
        if (next_row < rows.size() && rows[next_row].Seq == seq) {
            rows[next_row].Data.Scores.push_back(
                {scores.ColumnText(1), static_cast<int>(scores.ColumnInt64(2))});
        }
    }
    Status ended = snapshot->Commit();
    if (!ended.Ok()) {
        return ended.Err();
    }
    return rows;
}

Result<std::vector<StoredResponse>> Store::ReadFrom(int64_t after_seq, int limit) const {
    if (limit <= 0) {
        return std::vector<StoredResponse>();
    }
    Statement& select = Cached_->SelectFrom;
    ResetOnExit reset(select);
    select.BindInt64(1, after_seq);
    select.BindInt64(2, limit);
    return ReadRows(select);
}

Result<std::vector<StoredResponse>> Store::ReadPending(int limit, int64_t after_seq) const {
    if (limit <= 0) {
        return std::vector<StoredResponse>();
    }
    Statement& select = Cached_->SelectPending;
    ResetOnExit reset(select);
    select.BindInt64(1, after_seq);
    select.BindInt64(2, limit);
    return ReadRows(select);
}

Result<std::optional<StoredResponse>> Store::FindByUuid(const std::string& uuid) const {
    Statement& select = Cached_->SelectByUuid;
    ResetOnExit reset(select);
    select.BindText(1, uuid);
    Result<std::vector<StoredResponse>> rows = ReadRows(select);
    if (!rows.Ok()) {
        return rows.Err();
    }
    if (rows->empty()) {
        return std::optional<StoredResponse>();
    }
    return std::optional<StoredResponse>(std::move(rows->front()));
}

Status Store::SaveSurvey(const std::string& survey_id, int version, const std::string& json_text) {
    Result<Statement> insert = Statement::Prepare(
        Db_, "save survey",
        "INSERT INTO surveys (survey_id, version, json, stored_at_ms) VALUES (?1, ?2, ?3, ?4)");
    if (!insert.Ok()) {
        return insert.Err();
    }
    insert->BindText(1, survey_id);
    insert->BindInt64(2, version);
    insert->BindText(3, json_text);
    insert->BindInt64(4, WallClockMs());
    return insert->Run();  // one statement: SQLite wraps it in its own transaction
}

Result<std::optional<std::string>> Store::LatestSurveyJson() const {
    Result<Statement> select = Statement::Prepare(
        Db_, "read latest survey", "SELECT json FROM surveys ORDER BY id DESC LIMIT 1");
    if (!select.Ok()) {
        return select.Err();
    }
    Result<bool> row = select->Step();
    if (!row.Ok()) {
        return row.Err();
    }
    if (!*row) {
        return std::optional<std::string>();
    }
    return std::optional<std::string>(select->ColumnText(0));
}

Result<std::string> Store::IntegrityCheck() const {
    return IntegrityReport(Db_);
}

int Store::SchemaVersion() const {
    return SchemaVersion_;
}

Result<StoreSettings> Store::Settings() const {
    Result<Statement> journal = Statement::Prepare(Db_, "read journal mode", "PRAGMA journal_mode");
    if (!journal.Ok()) {
        return journal.Err();
    }
    Result<bool> row = journal->Step();
    if (!row.Ok()) {
        return row.Err();
    }
    Result<int64_t> synchronous = QueryInt64(Db_, "read synchronous", "PRAGMA synchronous");
    Result<int64_t> foreign_keys = QueryInt64(Db_, "read foreign_keys", "PRAGMA foreign_keys");
    if (!synchronous.Ok() || !foreign_keys.Ok()) {
        return synchronous.Ok() ? foreign_keys.Err() : synchronous.Err();
    }
    return StoreSettings{*row ? journal->ColumnText(0) : "", static_cast<int>(*synchronous),
                         *foreign_keys != 0};
}

}  // namespace doorstep
