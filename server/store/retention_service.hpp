// Keeps head office's answers only as long as the company says: `serve --retention-days N`
// deletes, every hour, the answers whose store-local day is more than N days ago, as
// `doorstep-server purge --before` does by hand (the same store code, the same transactions);
// and the customers' contacts (service recovery) `--contact-days` after they were left.
//
// THE THREAD (PeriodicThread)
//   Start() --at once, then every IntervalMs: ExpireContacts(), PurgeExpired()--> ...
//   Stop() joins; a purge in progress finishes its current transaction's work first. A purge cut
//   short (a kill, a full disk) is finished by the next one.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>

#include "core/base/periodic_thread.hpp"
#include "core/base/result.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

struct RetentionOptions {
    int Days = 0;  // 0: keep every answer
    int64_t IntervalMs = 60 * 60 * 1000;
    // Customers' contacts go this many days after they were left (never later than answers).
    int ContactDays = 30;

    // How many days a contact is kept: ContactDays, or Days when that is sooner.
    int ContactKeepDays() const { return Days > 0 ? std::min(Days, ContactDays) : ContactDays; }
};

class RetentionService {
  public:
    using Clock = std::function<int64_t()>;  // Unix milliseconds

    RetentionService(ServerStore& store, RetentionOptions options, Clock clock = nullptr);

    // The first day kept: today (UTC) less Days.
    int64_t FirstKeptDay() const;
    // Deletes the answers that have expired now (none when Days is 0); returns what went.
    Result<PurgeCounts> PurgeExpired();
    // The contacts left before this: ContactDays ago, or Days when that is sooner.
    int64_t ContactsLeftBeforeMs() const;
    // Deletes the contacts that have expired now; how many went.
    Result<int64_t> ExpireContacts();

    void Start();  // expires contacts, and answers when Days is set, at once and then hourly
    void Stop() { Worker_.Stop(); }

  private:
    ServerStore& Store_;
    RetentionOptions Options_;
    Clock Clock_;
    PeriodicThread Worker_;
};

}  // namespace doorstep::server
