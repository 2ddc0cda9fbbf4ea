// Two connections to one store in one process (the UI thread's and the uploader's), with another
// process reading the file in between, as the sqlite3 shell or a backup would: every commit of
// either connection is seen by the others. (Opening the second connection once dropped the first
// one's POSIX locks, see sqlite_file.cpp; that loss is reproduced end to end by
// tests/e2e/kiosk_sync_e2e.sh, which lost an answer every time with the old code.)
#include <doctest/doctest.h>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk/store/store.hpp"
#include "store_fixtures.hpp"

using namespace doorstep;

namespace {

// Counts rows from a separate process with its own plain connection, then closes it.
int CountFromAnotherProcess(const std::string& path) {
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        sqlite3* db = nullptr;
        int count = -1;
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
            sqlite3_stmt* statement = nullptr;
            sqlite3_prepare_v2(db, "SELECT count(*) FROM responses", -1, &statement, nullptr);
            if (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
                count = sqlite3_column_int(statement, 0);
            }
            sqlite3_finalize(statement);
        }
        sqlite3_close(db);
        _exit(count < 0 ? 255 : count);
    }
    int status = 0;
    waitpid(child, &status, 0);
    REQUIRE(WIFEXITED(status));
    return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("store: a second connection in the process keeps the first one's commits safe") {
    doorstep::testing::TempDir dir;
    std::string path = dir.File("kiosk.db");
    auto ui = Store::Open(path);
    REQUIRE(ui.Ok());
    auto uploader = Store::Open(path);  // the uploader opens its own connection at start-up
    REQUIRE(uploader.Ok());
    REQUIRE((*ui)->Append(doorstep::testing::SampleResponse(1)).Ok());
    REQUIRE((*uploader)->ApplySyncOutcome({{1}, {}, {}}, 1000).Ok());
    CHECK(CountFromAnotherProcess(path) == 1);
    REQUIRE((*ui)->Append(doorstep::testing::SampleResponse(2)).Ok());
    CHECK(CountFromAnotherProcess(path) == 2);
    auto pending = (*uploader)->ReadPending(10);
    REQUIRE(pending.Ok());
    CHECK(pending->size() == 1);
}
