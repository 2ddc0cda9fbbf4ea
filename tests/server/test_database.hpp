// The database a server test runs against. By default an SQLite file in a temporary directory;
// when DOORSTEP_TEST_POSTGRES names a PostgreSQL server (tests/server/with-postgres.sh starts
// one), a fresh database of its own on that server, dropped again at the end. The same test
// cases run on both: `ctest -R server` runs the binary once per backend.
//
// QueryInt() and QueryText() look at the database from outside the store, in SQL both backends
// understand, for facts the ServerStore interface does not show (how many score rows, what a
// column holds).
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "server/store/server_store.hpp"
#include "store_fixtures.hpp"

namespace doorstep::testing {

// The PostgreSQL server's URL from DOORSTEP_TEST_POSTGRES, or "" to test SQLite.
const std::string& PostgresServerUrl();
inline bool UsingPostgres() {
    return !PostgresServerUrl().empty();
}

// For TEST_CASE decorators: a test that only means something on SQLite's file (its VFS, its
// pragmas, its migrations from older files) or only on PostgreSQL.
#define DOORSTEP_SQLITE_ONLY doctest::skip(::doorstep::testing::UsingPostgres())
#define DOORSTEP_POSTGRES_ONLY doctest::skip(!::doorstep::testing::UsingPostgres())

class TestDatabase {
  public:
    TestDatabase();
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    const std::string& Url() const { return Url_; }
    bool IsPostgres() const { return !PgName_.empty(); }
    // A file in the test's own temporary directory (logs, exports, the SQLite file).
    std::string File(const std::string& name) const { return Dir_.File(name); }
    std::string SqlitePath() const { return Dir_.File("server.db"); }

    // Opens the store the URL names; REQUIREs that it opens.
    std::unique_ptr<server::ServerStore> Open() const;

    int64_t QueryInt(const std::string& sql) const;
    // Every row, one line each, columns joined by '|' (NULL as "").
    std::string QueryText(const std::string& sql) const;
    void Exec(const std::string& sql) const;

  private:
    TempDir Dir_;
    std::string PgName_;  // the database made for this test, on PostgreSQL
    std::string Url_;
};

// COUNT sample answers (SampleResponse(n), "comment n") with seqs FIRST_SEQ.., as one batch.
std::vector<server::IncomingResponse> SampleItems(int64_t first_seq, int count);

// Enrolls a device at `store` / `door` through a one-time code, as the CLI does; its id.
std::string EnrollDevice(server::ServerStore& store, const std::string& store_name,
                         const std::string& door, int64_t now_ms);

}  // namespace doorstep::testing
