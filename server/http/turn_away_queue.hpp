// TurnAwayQueue: httplib's task queue for connections, with a bound on how many may wait for a
// worker. Past the bound a connection is not queued behind the others: a small pool of its own
// answers its request at once with 429 and Retry-After (http_server.cpp, TurningAway()), so a
// crowd of kiosks is told when to come back instead of each waiting for seconds, and none of
// them is refused silently by a full listen backlog.
//
//   accepted --waiting < max_waiting--> WAITING --a worker takes it--> SERVED (requests handled)
//   accepted --waiting >= max_waiting--> TURNED AWAY (each request: 429, Retry-After)
//
// Invariants:
//   * Waiting() counts the connections queued for a worker and not yet taken.
//   * A connection is turned away only while max_waiting others wait; it never waits itself for
//     a worker, so the answer costs no database work.
//   * shutdown() stops both pools after the jobs already queued have run (httplib's ThreadPool).
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <functional>

namespace doorstep::server {

class TurnAwayQueue final : public httplib::TaskQueue {
  public:
    TurnAwayQueue(size_t workers, size_t max_waiting, size_t turn_away_workers = 2)
        : Workers_(workers), TurnAway_(turn_away_workers), MaxWaiting_(max_waiting) {}

    void enqueue(std::function<void()> connection) override;
    void shutdown() override;

    size_t Waiting() const { return Waiting_.load(); }

  private:
    httplib::ThreadPool Workers_;
    httplib::ThreadPool TurnAway_;
    const size_t MaxWaiting_;
    std::atomic<size_t> Waiting_{0};
};

// True on a thread answering a turned-away connection: its requests get 429.
bool TurningAway();

}  // namespace doorstep::server
