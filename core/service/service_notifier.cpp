#include "core/service/service_notifier.hpp"

#include <systemd/sd-daemon.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>

namespace doorstep {
namespace {

int64_t SteadyMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// WATCHDOG_USEC read directly, not through sd_watchdog_enabled(): under cage the unit's main PID
// is cage, WATCHDOG_PID names it, and sd_watchdog_enabled() would say "not for you" to the kiosk
// that cage started. NotifyAccess=all lets the kiosk's pings count.
int64_t WatchdogUsec() {
    const char* text = std::getenv("WATCHDOG_USEC");
    if (text == nullptr) {
        return 0;
    }
    int64_t usec = 0;
    auto [end, error] = std::from_chars(text, text + std::strlen(text), usec);
    return error == std::errc() && *end == '\0' && usec > 0 ? usec : 0;
}

}  // namespace

ServiceNotifier::ServiceNotifier() {
    if (int64_t usec = WatchdogUsec(); usec > 0) {
        PingIntervalMs_ = std::max<int64_t>(1, usec / 4000);
    }
}

void ServiceNotifier::Ready() {
    sd_notify(0, "READY=1");
    Alive();
}

void ServiceNotifier::Alive() {
    if (PingIntervalMs_ <= 0) {
        return;
    }
    int64_t now = SteadyMs();
    if (Pinged_ && now - LastPingMs_ < PingIntervalMs_) {
        return;
    }
    sd_notify(0, "WATCHDOG=1");
    LastPingMs_ = now;
    Pinged_ = true;
}

void ServiceNotifier::Stopping() {
    sd_notify(0, "STOPPING=1");
}

}  // namespace doorstep
