// Shared by the store and recorder tests: a fresh temporary directory per test, sample
// responses, and a plain second SQLite connection for looking at (or locking) the file from
// outside the Store.
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "core/base/clock.hpp"
#include "core/base/uuid.hpp"
#include "core/response/response.hpp"

namespace doorstep::testing {

class TempDir {
  public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "doorstep-test-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        Path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(Path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string File(std::string_view name) const { return Path_ + "/" + std::string(name); }

  private:
    std::string Path_;
};

// A completed customer response with every field set; `n` varies the values.
inline Response SampleResponse(int n = 0) {
    Response response;
    response.Uuid = NewUuidV7(WallClockMs());
    response.SurveyId = "store-test";
    response.SurveyVersion = 3;
    response.Door = "entrance";
    response.Language = "en";
    response.StartedAtMs = 1'790'000'000'000 + n * 60'000;
    response.EndedAtMs = response.StartedAtMs + 42'000;
    response.DurationMs = 41'500;
    // Deliberately not alphabetical: scores must come back in survey order.
    response.Scores = {{"speed", 1 + n % 5}, {"clean", 5}, {"advice", 2}};
    response.LeastMet = "speed";
    response.Intent = n % 11;
    response.Comment = "comment " + std::to_string(n);
    return response;
}

// A second connection to the store file, through the default VFS.
class RawDb {
  public:
    explicit RawDb(const std::string& path) {
        REQUIRE(sqlite3_open_v2(path.c_str(), &Db_, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
        sqlite3_busy_timeout(Db_, 2000);
    }
    ~RawDb() { sqlite3_close_v2(Db_); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    int Exec(const char* sql) { return sqlite3_exec(Db_, sql, nullptr, nullptr, nullptr); }
    int64_t QueryInt(const char* sql) {
        sqlite3_stmt* statement = nullptr;
        REQUIRE(sqlite3_prepare_v2(Db_, sql, -1, &statement, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
        int64_t value = sqlite3_column_int64(statement, 0);
        sqlite3_finalize(statement);
        return value;
    }
    // Every row of a query, one line each with columns joined by '|', for whole-table checks.
    std::string QueryText(const char* sql) {
        sqlite3_stmt* statement = nullptr;
        REQUIRE(sqlite3_prepare_v2(Db_, sql, -1, &statement, nullptr) == SQLITE_OK);
        std::string text;
        while (sqlite3_step(statement) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(statement); ++i) {
                const unsigned char* value = sqlite3_column_text(statement, i);
                text += (i == 0 ? "" : "|") +
                        std::string(value != nullptr ? reinterpret_cast<const char*>(value) : "");
            }
            text += "\n";
        }
        sqlite3_finalize(statement);
        return text;
    }

  private:
    sqlite3* Db_ = nullptr;
};

}  // namespace doorstep::testing
