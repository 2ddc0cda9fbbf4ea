// Opening a durable SQLite file the way every Doorstep database needs it: private (0600), WAL,
// synchronous=FULL, foreign keys on, and migrated through a list of schema steps, each in its own
// transaction. Shared by the kiosk's store and the server's.
#pragma once

#include <span>
#include <string>

#include "core/base/result.hpp"

struct sqlite3;

namespace doorstep {

struct SchemaStep {
    int Version;  // PRAGMA user_version once this step has run
    const char* Sql;
};

struct DurableFileOptions {
    std::string Vfs;  // SQLite VFS name; empty = default
    int BusyTimeoutMs = 250;
    std::string Noun = "store";  // how messages name the file: "store", "database"
    std::string NewerBuildHint;  // what to do when a newer build wrote the file
};

// Returns an open connection (the caller closes it with sqlite3_close_v2) and the schema
// version reached, which is always the last step's.
struct DurableFile {
    sqlite3* Db = nullptr;
    int SchemaVersion = 0;
};
Result<DurableFile> OpenDurableFile(const std::string& path, const DurableFileOptions& options,
                                    std::span<const SchemaStep> steps);

// True when the steps number 1, 2, 3... in order; for static_assert in schema headers.
constexpr bool StepsAreConsecutive(std::span<const SchemaStep> steps) {
    for (size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].Version != static_cast<int>(i) + 1) {
            return false;
        }
    }
    return true;
}

}  // namespace doorstep
