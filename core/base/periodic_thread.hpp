// A background thread that runs one step, sleeps as long as the step asks, and runs it again,
// until Stop(). Head office's schedules (alerts, retention) run on it inside `serve`.
//
// THE THREAD
//   (idle) --Start(step)--> running: step() -> wait(ms it returned, or until Stop) -> step() ...
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
    void Stop();

  private:
    std::mutex Mutex_;
    std::condition_variable Wakeup_;
    bool Stopping_ = false;
    std::thread Thread_;
};

}  // namespace doorstep::server
