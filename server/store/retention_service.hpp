// Keeps head office's answers only as long as the company says: `serve --retention-days N`
// deletes, every hour, the answers whose store-local day is more than N days ago, as
// `doorstep-server purge --before` does by hand (the same store code, the same transactions).
//
// THE THREAD (PeriodicThread)
//   Start() --at once, then every IntervalMs: PurgeExpired()--> ...
//   Stop() joins; a purge in progress finishes its current transaction's work first. A purge cut
//   short (a kill, a full disk) is finished by the next one.
#pragma once

#include <cstdint>
#include <functional>

#include "core/base/periodic_thread.hpp"
#include "core/base/result.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

struct RetentionOptions {
    int Days = 0;  // 0: keep every answer
    int64_t IntervalMs = 60 * 60 * 1000;
};

class RetentionService {
  public:
    using Clock = std::function<int64_t()>;  // Unix milliseconds

    RetentionService(ServerStore& store, RetentionOptions options, Clock clock = nullptr);

    // The first day kept: today (UTC) less Days.
    int64_t FirstKeptDay() const;
    // Deletes what has expired now; returns what went.
    Result<PurgeCounts> PurgeExpired();

    void Start();  // does nothing when Days is 0
    void Stop() { Worker_.Stop(); }

  private:
    ServerStore& Store_;
    RetentionOptions Options_;
    Clock Clock_;
    PeriodicThread Worker_;
};

}  // namespace doorstep::server
