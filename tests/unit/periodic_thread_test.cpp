// The background thread head office's schedules run on: Wake() runs the step again at once,
// however long the step asked to wait, and a Wake() during a step is not lost.
#include <doctest/doctest.h>

#include "core/base/periodic_thread.hpp"
#include "counter.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kHourMs = 3'600'000;

}  // namespace

TEST_CASE("periodic thread: Wake() ends an hour's wait at once; Stop() ends it too") {
    testing::Counter runs;
    PeriodicThread thread;
    thread.Start([&] {
        runs.Add();
        return kHourMs;
    });
    REQUIRE(runs.WaitFor(1));
    thread.Wake();
    REQUIRE(runs.WaitFor(2));  // without Wake() this would wait an hour (WaitFor would give up)
    thread.Wake();
    REQUIRE(runs.WaitFor(3));
    thread.Stop();
    CHECK(runs.Now() == 3);
}

TEST_CASE("periodic thread: a Wake() while the step runs makes the step run again") {
    testing::Counter runs;
    std::mutex gate;
    std::unique_lock hold(gate);  // the first step blocks here until the test has woken it
    PeriodicThread thread;
    thread.Start([&] {
        runs.Add();
        std::lock_guard pass(gate);
        return kHourMs;
    });
    REQUIRE(runs.WaitFor(1));
    thread.Wake();  // during the first step
    hold.unlock();
    REQUIRE(runs.WaitFor(2));
    thread.Stop();
    CHECK(runs.Now() == 2);
}

}  // namespace doorstep::server
