// A background thread that runs one step, sleeps as long as the step asks, and runs it again,
// until Stop(). Head office's schedules (alerts, retention) run on it inside `serve`.
//
// THE THREAD
//   (idle) --Start(step)--> running: step() -> wait(ms it returned, or until Stop) -> step() ...
//   running --Wake()--> the wait ends at once and the step runs again (a Wake() during a step
//                       makes the next wait end at once: nothing asked for is missed).
//   running --Stop()--> (joined): a step in progress finishes first; the wait ends at once.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace doorstep::server {

class PeriodicThread {
  public:
    using Step = std::function<int64_t()>;  // returns how many ms to wait before the next run

    PeriodicThread() = default;
    ~PeriodicThread() { Stop(); }
    PeriodicThread(const PeriodicThread&) = delete;
    PeriodicThread& operator=(const PeriodicThread&) = delete;

    void Start(Step step);
    void Wake();  // from any thread
    void Stop();

  private:
    std::mutex Mutex_;
    std::condition_variable Wakeup_;
    bool Stopping_ = false;
    bool Woken_ = false;
    std::thread Thread_;
};

}  // namespace doorstep::server
