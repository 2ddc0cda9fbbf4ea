// The background thread head office's schedules run on: Wake() runs the step again at once,
// however long the step asked to wait, and a Wake() during a step is not lost.
#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>

#include "core/base/periodic_thread.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kHourMs = 3'600'000;

// Counts the step's runs; lets the test wait for a count without a clock.
struct Runs {
    std::mutex Mutex;
    std::condition_variable Changed;
    int Count = 0;

    void Add() {
        std::lock_guard lock(Mutex);
        ++Count;
        Changed.notify_all();
    }
    void WaitFor(int count) {
        std::unique_lock lock(Mutex);
        Changed.wait(lock, [&] { return Count >= count; });
    }
    int Now() {
        std::lock_guard lock(Mutex);
        return Count;
    }
};

}  // namespace

TEST_CASE("periodic thread: Wake() ends an hour's wait at once; Stop() ends it too") {
    Runs runs;
    PeriodicThread thread;
    thread.Start([&] {
        runs.Add();
        return kHourMs;
    });
    runs.WaitFor(1);
    thread.Wake();
    runs.WaitFor(2);  // without Wake() this would wait an hour (and the test time out)
    thread.Wake();
    runs.WaitFor(3);
    thread.Stop();
    CHECK(runs.Now() == 3);
}

TEST_CASE("periodic thread: a Wake() while the step runs makes the step run again") {
    Runs runs;
    std::mutex gate;
    std::unique_lock hold(gate);  // the first step blocks here until the test has woken it
    PeriodicThread thread;
    thread.Start([&] {
        runs.Add();
        std::lock_guard pass(gate);
        return kHourMs;
    });
    runs.WaitFor(1);
    thread.Wake();  // during the first step
    hold.unlock();
    runs.WaitFor(2);
    thread.Stop();
    CHECK(runs.Now() == 2);
}

}  // namespace doorstep::server
