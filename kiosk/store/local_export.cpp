#include "kiosk/store/local_export.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <system_error>
#include <utility>

#include "core/base/clock.hpp"
#include "core/base/csv.hpp"
#include "core/response/export_columns.hpp"
#include "core/sqlite/sqlite_db.hpp"

namespace doorstep {
namespace {

constexpr size_t kFlushBytes = 1 << 20;
constexpr int kBusyTimeoutMs = 2000;  // a background read; may wait for a checkpoint a moment

std::string ErrnoText(int error_number) {
    return std::generic_category().message(error_number);
}

std::string DirectoryOf(const std::string& path) {
    std::string directory = std::filesystem::path(path).parent_path().string();
    return directory.empty() ? "." : directory;
}

// Write errors in words a manager with a USB stick can act on.
Error WriteError(const std::string& out_path, int error_number) {
    std::string directory = DirectoryOf(out_path);
    if (error_number == ENOSPC || error_number == EDQUOT) {
        return Error{"cannot write the export to " + out_path + ": the disk holding " + directory +
                         " is full (" + ErrnoText(error_number) + ")",
                     error_number};
    }
    if (error_number == EFBIG) {
        return Error{"cannot write the export to " + out_path +
                         ": the file grew larger than that disk or this process may write (" +
                         ErrnoText(error_number) + ")",
                     error_number};
    }
    return Error{"cannot write the export to " + out_path + ": " + ErrnoText(error_number),
                 error_number};
}

// A read-only connection of the export's own, closed on every path.
class ReadOnlyDb {
  public:
    static Result<ReadOnlyDb> Open(const std::string& path) {
        struct stat info {};
        if (::stat(path.c_str(), &info) != 0) {
            int error_number = errno;
            return Error{"no store to export at " + path + ": " + ErrnoText(error_number),
                         error_number};
        }
        sqlite3* db = nullptr;
        int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
        if (rc != SQLITE_OK) {
            Error error = SqliteError(db, "open store " + path + " for export", rc);
            sqlite3_close_v2(db);
            return error;
        }
        sqlite3_extended_result_codes(db, 1);
        sqlite3_busy_timeout(db, kBusyTimeoutMs);
        return ReadOnlyDb(db);
    }
    ReadOnlyDb(ReadOnlyDb&& other) noexcept : Db_(std::exchange(other.Db_, nullptr)) {}
    ReadOnlyDb& operator=(ReadOnlyDb&&) = delete;
    ~ReadOnlyDb() { sqlite3_close_v2(Db_); }
    sqlite3* Get() const { return Db_; }

  private:
    explicit ReadOnlyDb(sqlite3* db) : Db_(db) {}
    sqlite3* Db_;
};

// The temporary file: buffered writes, then fsync + rename + directory fsync. Removed unless
// Publish() succeeded.
class PartialFile {
  public:
    explicit PartialFile(std::string out_path)
        : OutPath_(std::move(out_path)), TempPath_(OutPath_ + ".partial") {}
    PartialFile(const PartialFile&) = delete;
    PartialFile& operator=(const PartialFile&) = delete;
    ~PartialFile() {
        if (Fd_ >= 0) {
            ::close(Fd_);
        }
        if (!Published_) {
            ::unlink(TempPath_.c_str());
        }
    }

    Status Create() {
        // O_NOFOLLOW: a symlink planted at the temporary name is refused, not written through.
        Fd_ =
            ::open(TempPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (Fd_ < 0) {
            int error_number = errno;
            return Error{"cannot write the export in " + DirectoryOf(OutPath_) + ": " +
                             ErrnoText(error_number) + " (creating " + TempPath_ + ")",
                         error_number};
        }
        ::fchmod(Fd_, 0600);  // it holds customers' words; O_TRUNC keeps an old file's mode
        return Success();
    }

    Status Append(const std::string& text) {
        Buffer_ += text;
        return Buffer_.size() >= kFlushBytes ? Flush() : Success();
    }

    Status Publish() {
        if (Status flushed = Flush(); !flushed.Ok()) {
            return flushed;
        }
        if (::fsync(Fd_) != 0) {
            return WriteError(OutPath_, errno);
        }
        int fd = std::exchange(Fd_, -1);
        if (::close(fd) != 0) {
            return WriteError(OutPath_, errno);  // some file systems report a full disk only here
        }
        if (std::rename(TempPath_.c_str(), OutPath_.c_str()) != 0) {
            int error_number = errno;
            return Error{
                "cannot put the export in place at " + OutPath_ + ": " + ErrnoText(error_number),
                error_number};
        }
        Published_ = true;
        // The rename is durable only once the directory is synced; the file is complete either way.
        int dir_fd = ::open(DirectoryOf(OutPath_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd >= 0) {
            ::fsync(dir_fd);
            ::close(dir_fd);
        }
        return Success();
    }

  private:
    Status Flush() {
        size_t written = 0;
        while (written < Buffer_.size()) {
            ssize_t n = ::write(Fd_, Buffer_.data() + written, Buffer_.size() - written);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                return WriteError(OutPath_, errno);
            }
            written += static_cast<size_t>(n);
        }
        Buffer_.clear();
        return Success();
    }

    std::string OutPath_;
    std::string TempPath_;
    std::string Buffer_;
    int Fd_ = -1;
    bool Published_ = false;
};

Result<bool> HasColumn(sqlite3* db, const char* table, const char* column) {
    Result<Statement> info =
        Statement::Prepare(db, "read the columns of " + std::string(table),
                           "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2");
    if (!info.Ok()) {
        return info.Err();
    }
    info->BindText(1, table);
    info->BindText(2, column);
    Result<bool> row = info->Step();
    if (!row.Ok()) {
        return row.Err();
    }
    return *row && info->ColumnInt64(0) > 0;
}

Result<std::vector<std::string>> NeedsSeen(sqlite3* db) {
    Result<Statement> select =
        Statement::Prepare(db, "list scored needs", "SELECT DISTINCT need FROM response_scores");
    if (!select.Ok()) {
        return select.Err();
    }
    std::vector<std::string> needs;
    for (;;) {
        Result<bool> row = select->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            return needs;
        }
        needs.push_back(select->ColumnText(0));
    }
}

// One response row as read, held until its chunk's scores are read: the score columns sit in
// the middle of the record.
struct ExportRow {
    int64_t Seq = 0;
    std::string Uuid, Kind, Status, AbandonedAt, SurveyId, Door, Lang;
    int64_t SurveyVersion = 0, StartedAtMs = 0, EndedAtMs = 0, DurationMs = 0;
    std::string LeastMet, Comment, SyncState, SuspectReason;
    std::optional<int64_t> Intent;
    bool Synthetic = false;
};

// Reads the store kExportChunkRows rows at a time, in seq order, and formats them as records.
class ChunkReader {
  public:
    ChunkReader(std::vector<std::string> needs, bool with_suspect_reason)
        : Needs_(std::move(needs)), WithSuspectReason_(with_suspect_reason) {}

    Status Prepare(sqlite3* db) {
        std::string sql =
            "SELECT seq, uuid, kind, status, abandoned_at, survey_id, survey_version, door, lang, "
            "started_at_ms, ended_at_ms, duration_ms, least_met, intent, comment, synthetic, "
            "sync_state";
        sql += WithSuspectReason_ ? ", suspect_reason" : "";
        sql += " FROM responses WHERE seq > ?1 ORDER BY seq LIMIT ?2";
        Result<Statement> rows = Statement::Prepare(db, "read responses for export", sql);
        if (!rows.Ok()) {
            return rows.Err();
        }
        Result<Statement> scores = Statement::Prepare(
            db, "read scores for export",
            "SELECT seq, need, score FROM response_scores WHERE seq > ?1 AND seq <= ?2");
        if (!scores.Ok()) {
            return scores.Err();
        }
        Rows_ = std::move(*rows);
        Scores_ = std::move(*scores);
        return Success();
    }

    // Appends the records of the next chunk after `last_seq` to `out` and moves `last_seq` to its
    // end. Returns how many rows; 0 when there are no more.
    Result<int> Next(int64_t& last_seq, std::string& out) {
        Result<std::vector<ExportRow>> rows = ReadRows(last_seq);
        if (!rows.Ok()) {
            return rows.Err();
        }
        if (rows->empty()) {
            return 0;
        }
        Result<std::map<int64_t, std::map<std::string, int64_t>>> scores =
            ReadScores(last_seq, rows->back().Seq);
        if (!scores.Ok()) {
            return scores.Err();
        }
        for (const ExportRow& row : *rows) {
            out += Format(row, (*scores)[row.Seq]);
        }
        last_seq = rows->back().Seq;
        return static_cast<int>(rows->size());
    }

  private:
    Result<std::vector<ExportRow>> ReadRows(int64_t after_seq) {
        ResetOnExit reset(Rows_);
        Rows_.BindInt64(1, after_seq);
        Rows_.BindInt64(2, kExportChunkRows);
        std::vector<ExportRow> rows;
        for (;;) {
            Result<bool> more = Rows_.Step();
            if (!more.Ok()) {
                return more.Err();
            }
            if (!*more) {
                return rows;
            }
            ExportRow& row = rows.emplace_back();
            row.Seq = Rows_.ColumnInt64(0);
            row.Uuid = Rows_.ColumnText(1);
            row.Kind = Rows_.ColumnText(2);
            row.Status = Rows_.ColumnText(3);
            row.AbandonedAt = Rows_.ColumnText(4);
            row.SurveyId = Rows_.ColumnText(5);
            row.SurveyVersion = Rows_.ColumnInt64(6);
            row.Door = Rows_.ColumnText(7);
            row.Lang = Rows_.ColumnText(8);
            row.StartedAtMs = Rows_.ColumnInt64(9);
            row.EndedAtMs = Rows_.ColumnInt64(10);
            row.DurationMs = Rows_.ColumnInt64(11);
            row.LeastMet = Rows_.ColumnText(12);
            row.Intent = Rows_.ColumnOptionalInt64(13);
            row.Comment = Rows_.ColumnText(14);
            row.Synthetic = Rows_.ColumnInt64(15) != 0;
            row.SyncState = Rows_.ColumnText(16);
            if (WithSuspectReason_) {
                row.SuspectReason = Rows_.ColumnText(17);
            }
        }
    }

    Result<std::map<int64_t, std::map<std::string, int64_t>>> ReadScores(int64_t after_seq,
                                                                         int64_t last_seq) {
        ResetOnExit reset(Scores_);
        Scores_.BindInt64(1, after_seq);
        Scores_.BindInt64(2, last_seq);
        std::map<int64_t, std::map<std::string, int64_t>> scores;
        for (;;) {
            Result<bool> more = Scores_.Step();
            if (!more.Ok()) {
                return more.Err();
            }
            if (!*more) {
                return scores;
            }
            scores[Scores_.ColumnInt64(0)][Scores_.ColumnText(1)] = Scores_.ColumnInt64(2);
        }
    }

    // Text that came from a customer or a survey file is neutralised (AddText); values the
    // terminal itself writes (CHECK-constrained words, numbers, times) are not (AddPlain).
    std::string Format(const ExportRow& row, const std::map<std::string, int64_t>& scores) const {
        CsvRecord record;
        record.AddNumber(row.Seq);
        record.AddText(row.Uuid);
        record.AddPlain(row.Kind);
        record.AddPlain(row.Status);
        record.AddText(row.AbandonedAt);
        record.AddText(row.SurveyId);
        record.AddNumber(row.SurveyVersion);
        record.AddText(row.Door);
        record.AddText(row.Lang);
        record.AddPlain(FormatUtcIso8601(row.StartedAtMs));
        record.AddPlain(FormatUtcIso8601(row.EndedAtMs));
        record.AddNumber(row.DurationMs);
        AddScoreCells(record, Needs_, scores);
        record.AddText(row.LeastMet);
        record.AddOptionalNumber(row.Intent);
        record.AddText(row.Comment);
        record.AddPlain(row.Synthetic ? "true" : "false");
        record.AddPlain(row.SyncState);
        if (WithSuspectReason_) {
            record.AddText(row.SuspectReason);
        }
        return record.Finish();
    }

    std::vector<std::string> Needs_;
    bool WithSuspectReason_;
    Statement Rows_;
    Statement Scores_;
};

}  // namespace

std::vector<std::string> LocalExportHeader(const std::vector<std::string>& score_needs,
                                           bool with_suspect_reason) {
    std::vector<std::string> header = {
        "seq",  "uuid", "kind",       "status",   "abandoned_at", "survey_id", "survey_version",
        "door", "lang", "started_at", "ended_at", "duration_ms"};
    for (const std::string& need : score_needs) {
        header.push_back("score_" + need);
    }
    for (const char* name : {"least_met", "intent", "comment", "synthetic", "sync_state"}) {
        header.emplace_back(name);
    }
    if (with_suspect_reason) {
        header.emplace_back("suspect_reason");
    }
    return header;
}

Status ExportResponsesCsv(const std::string& store_path, const std::string& out_path,
                          const ExportProgress& progress) {
    if (out_path.empty()) {
        return Error{"no file name given for the export", EINVAL};
    }
    Result<ReadOnlyDb> db = ReadOnlyDb::Open(store_path);
    if (!db.Ok()) {
        return db.Err();
    }
    // One snapshot for the whole export: the count, the score columns and the rows agree.
    Result<Transaction> snapshot =
        Transaction::Begin(db->Get(), "read store for export", TransactionMode::Deferred);
    if (!snapshot.Ok()) {
        return snapshot.Err();
    }
    // Another build may have added suspect_reason (a later schema step); older files lack it.
    Result<bool> with_suspect_reason = HasColumn(db->Get(), "responses", "suspect_reason");
    if (!with_suspect_reason.Ok()) {
        return with_suspect_reason.Err();
    }
    Result<int64_t> total =
        QueryInt64(db->Get(), "count responses for export", "SELECT count(*) FROM responses");
    if (!total.Ok()) {
        return total.Err();
    }
    Result<std::vector<std::string>> seen = NeedsSeen(db->Get());
    if (!seen.Ok()) {
        return seen.Err();
    }
    std::vector<std::string> needs = ScoreColumnNeeds(*seen);
    ChunkReader chunks(needs, *with_suspect_reason);
    if (Status prepared = chunks.Prepare(db->Get()); !prepared.Ok()) {
        return prepared;
    }

    PartialFile file(out_path);
    if (Status created = file.Create(); !created.Ok()) {
        return created;
    }
    CsvRecord header;
    for (const std::string& name : LocalExportHeader(needs, *with_suspect_reason)) {
        header.AddPlain(name);
    }
    if (Status written = file.Append(header.Finish()); !written.Ok()) {
        return written;
    }
    const Error cancelled{"export to " + out_path + " cancelled; no file written", ECANCELED};
    if (progress && !progress(0, *total)) {
        return cancelled;
    }
    int64_t done = 0;
    int64_t last_seq = 0;  // seq starts at 1
    for (;;) {
        std::string text;
        Result<int> count = chunks.Next(last_seq, text);
        if (!count.Ok()) {
            return count.Err();
        }
        if (*count == 0) {
            break;
        }
        if (Status written = file.Append(text); !written.Ok()) {
            return written;
        }
        done += *count;
        if (progress && !progress(done, *total)) {
            return cancelled;
        }
    }
    if (Status ended = snapshot->Commit(); !ended.Ok()) {  // ends the read; writes nothing
        return ended;
    }
    return file.Publish();
}

}  // namespace doorstep
