// A count another thread adds to, which a test waits for without a clock of its own: the wait is
// bounded only so that a count that never comes fails the test instead of hanging it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace doorstep::testing {

class Counter {
  public:
    void Add() {
        std::lock_guard lock(Mutex_);
        ++Count_;
        Changed_.notify_all();
    }
    // True once the count reaches `count`; false if it has not after a minute.
    bool WaitFor(int count) {
        std::unique_lock lock(Mutex_);
        return Changed_.wait_for(lock, std::chrono::minutes(1), [&] { return Count_ >= count; });
    }
    int Now() {
        std::lock_guard lock(Mutex_);
        return Count_;
    }

  private:
    std::mutex Mutex_;
    std::condition_variable Changed_;
    int Count_ = 0;
};

}  // namespace doorstep::testing
