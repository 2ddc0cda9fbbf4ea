// ServerStore on PostgreSQL through libpq: every piece of state in the database, so several
// doorstep-server processes can serve behind a load balancer against one database.
// (States, transitions, invariants and what guards each against other servers: see the header
// comment of pg_server_store.cpp.)
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "server/store/postgres/pg_connection.hpp"
#include "server/store/sql_server_store.hpp"

namespace doorstep::server {

// A pool of connections, one per thread in a call at a time; each call runs in its own
// transaction on the connection it takes. Other processes hold their own pools.
class PgServerStore final : public SqlServerStore {
  public:
    // Connects, then applies every pending migration under an advisory lock. `url` is a libpq
    // connection URI (postgresql://USER:PASSWORD@HOST:PORT/DATABASE?...).
    static Result<std::unique_ptr<PgServerStore>> Open(const std::string& url);

    // How many of the newest answers a word search walks before it asks the word index
    // (pg_server_comments.cpp). Tests make it small to reach every path; set it before use.
    static constexpr int64_t kDefaultSearchWalk = 50'000;
    void SetSearchWalk(int64_t answers) { SearchWalk_ = answers; }

    // What the two databases do differently (the rest: sql_server_store.hpp).
    Result<BatchOutcome> StoreBatch(std::string_view device_id,
                                    const std::vector<IncomingResponse>& items,
                                    int64_t received_at_ms) override;
    Result<CommentPage> ListComments(const ReportFilter& filter) override;
    Result<PurgeCounts> CountPurge(int64_t before_day) override;
    Result<PurgeCounts> Purge(int64_t before_day) override;
    Status ExportResponses(const ExportFilter& filter, ExportSink& sink) override;

    int SchemaVersion() const { return SchemaVersion_; }

  private:
    explicit PgServerStore(const std::string& url) : Pool_(url) {}
    Status WithSession(const SessionWork& work) override {
        return WithConnection([&](PgConnection& db) { return work(db); });
    }

    // Runs `work(PgConnection&)` on a pooled connection. A deadlock or serialization failure
    // rolled the work's transaction back whole, so it runs again, a few times at most.
    template <typename Work>
    auto WithConnection(Work work) -> decltype(work(std::declval<PgConnection&>())) {
        constexpr int kAttempts = 4;
        for (int attempt = 1;; ++attempt) {
            Result<PgPool::Lease> lease = Pool_.Acquire();
            if (!lease.Ok()) {
                return lease.Err();
            }
            auto result = work(**lease);
            if (result.Ok() || result.Err().Code != kPgRetryCode || attempt == kAttempts) {
                return result;
            }
        }
    }

    PgPool Pool_;
    int64_t SearchWalk_ = kDefaultSearchWalk;
    int SchemaVersion_ = 0;
};

}  // namespace doorstep::server
