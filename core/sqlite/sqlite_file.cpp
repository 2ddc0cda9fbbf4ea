#include "core/sqlite/sqlite_file.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "core/base/log.hpp"
#include "core/sqlite/sqlite_db.hpp"

namespace doorstep {
namespace {

std::string ErrnoText(int error_number) {
    return std::generic_category().message(error_number);
}

// SQLite would create the file with 0644 (less the umask), and creates -wal and -shm with the
// main file's mode. So a new file is created private first; an existing one is tightened with
// chmod(), by path. Never open() and close() an existing database file here: closing any
// descriptor of a file drops every POSIX lock this process holds on it, including the locks of
// connections already open in other threads (the UI's, when the uploader opens its own).
Status MakePrivateFile(const std::string& path, const std::string& noun) {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
        if ((info.st_mode & 0777) != 0600 && ::chmod(path.c_str(), 0600) != 0) {
            int error_number = errno;
            return Error{"make " + noun + " file " + path +
                             " private (mode 0600): " + ErrnoText(error_number),
                         error_number};
        }
        return Success();
    }
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {  // EEXIST: another process created it just now
        int error_number = errno;
        return Error{"create " + noun + " file " + path + ": " + ErrnoText(error_number),
                     error_number};
    }
    if (fd >= 0) {
        ::fchmod(fd, 0600);  // the umask may have taken bits away; never adds any
        ::close(fd);
    }
    return Success();
}

Status Configure(sqlite3* db, const std::string& path, const DurableFileOptions& options) {
    sqlite3_extended_result_codes(db, 1);  // "disk I/O error" alone does not say which I/O
    sqlite3_busy_timeout(db, options.BusyTimeoutMs);
    Result<Statement> journal =
        Statement::Prepare(db, "set journal mode", "PRAGMA journal_mode=WAL");
    if (!journal.Ok()) {
        return journal.Err();
    }
    Result<bool> row = journal->Step();
    if (!row.Ok()) {
        return row.Err();
    }
    // SQLite keeps the old mode, without an error, when WAL is impossible (e.g. no shared memory).
    std::string mode = *row ? journal->ColumnText(0) : "";
    if (mode != "wal") {
        return Error{options.Noun + " " + path +
                         " cannot use write-ahead logging (journal mode is '" + mode + "')",
                     SQLITE_ERROR};
    }
    if (Status synchronous = ExecSql(db, "set synchronous=FULL", "PRAGMA synchronous=FULL");
        !synchronous.Ok()) {
        return synchronous;
    }
    return ExecSql(db, "enable foreign keys", "PRAGMA foreign_keys=ON");
}

// Brings the file to the last step's version, one step (and one transaction) at a time.
Result<int> Migrate(sqlite3* db, const std::string& path, const DurableFileOptions& options,
                    std::span<const SchemaStep> steps) {
    const int latest = steps.empty() ? 0 : steps.back().Version;
    for (;;) {
        Result<int64_t> found = QueryInt64(db, "read schema version", "PRAGMA user_version");
        if (!found.Ok()) {
            return found.Err();
        }
        if (*found < 0 || *found > latest) {
            return Error{options.Noun + " " + path + " has schema version " +
                             std::to_string(*found) +
                             ", which this build does not know (it knows 0 to " +
                             std::to_string(latest) + "); " + options.NewerBuildHint,
                         SQLITE_ERROR};
        }
        if (*found == latest) {
            return latest;
        }
        const SchemaStep& step = steps[static_cast<size_t>(*found)];  // *found -> *found + 1
        std::string operation =
            "migrate " + options.Noun + " to schema version " + std::to_string(step.Version);
        Result<Transaction> transaction = Transaction::Begin(db, operation);
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        // Read again under the write lock: another process may have migrated in the meantime.
        Result<int64_t> locked = QueryInt64(db, "read schema version", "PRAGMA user_version");
        if (!locked.Ok()) {
            return locked.Err();
        }
        if (*locked != *found) {
            continue;  // the transaction rolls back (it changed nothing); look again
        }
        std::string set_version = "PRAGMA user_version = " + std::to_string(step.Version);
        for (const char* sql : {step.Sql, set_version.c_str()}) {
            if (Status applied = ExecSql(db, operation, sql); !applied.Ok()) {
                return applied.Err();
            }
        }
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
        Log(LogLevel::Debug, options.Noun, "migrated schema",
            {{"path", path}, {"version", std::to_string(step.Version)}});
    }
}

}  // namespace

Result<DurableFile> OpenDurableFile(const std::string& path, const DurableFileOptions& options,
                                    std::span<const SchemaStep> steps) {
    if (Status made = MakePrivateFile(path, options.Noun); !made.Ok()) {
        return made.Err();
    }
    sqlite3* db = nullptr;
    // NOMUTEX: every connection is used by one thread at a time (the store's and the server's own
    // locks see to that), so SQLite's per-call mutexes would only cost time.
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                             options.Vfs.empty() ? nullptr : options.Vfs.c_str());
    auto fail = [&](Error error) {
        sqlite3_close_v2(db);
        return error;
    };
    if (rc != SQLITE_OK) {
        return fail(SqliteError(db, "open " + options.Noun + " " + path, rc));
    }
    if (Status configured = Configure(db, path, options); !configured.Ok()) {
        return fail(Error{"open " + options.Noun + " " + path + ": " + configured.Err().Message,
                          configured.Err().Code});
    }
    Result<int> version = Migrate(db, path, options, steps);
    if (!version.Ok()) {
        return fail(version.Err());
    }
    return DurableFile{db, *version};
}

}  // namespace doorstep
