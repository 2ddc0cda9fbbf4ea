#include "core/base/periodic_thread.hpp"

#include <algorithm>
#include <chrono>

namespace doorstep::server {

void PeriodicThread::Start(Step step) {
    Thread_ = std::thread([this, step = std::move(step)] {
        for (;;) {
            int64_t wait_ms = std::max<int64_t>(step(), 0);
            std::unique_lock lock(Mutex_);
            Wakeup_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                             [this] { return Stopping_ || Woken_; });
            if (Stopping_) {
                return;
            }
            Woken_ = false;
        }
    });
}

void PeriodicThread::Wake() {
    {
        std::lock_guard lock(Mutex_);
        Woken_ = true;
    }
    Wakeup_.notify_all();
}

void PeriodicThread::Stop() {
    {
        std::lock_guard lock(Mutex_);
        Stopping_ = true;
    }
    Wakeup_.notify_all();
    if (Thread_.joinable()) {
        Thread_.join();
    }
}

}  // namespace doorstep::server
