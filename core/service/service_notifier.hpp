// Tells systemd how a Type=notify service is doing (sd_notify): ready, still alive (the
// watchdog), stopping. Outside systemd (no NOTIFY_SOCKET) every call does nothing.
//
//   started --Ready()--> ready --Alive()...--> ready --Stopping()--> stopping
//
// Alive() is meant for every turn of a main loop that never sleeps longer than a second: it pings
// at most four times per watchdog interval, so a loop that stops turning (a hung UI) misses the
// interval and systemd restarts the service, while one that sleeps correctly never does.
#pragma once

#include <cstdint>

namespace doorstep {

class ServiceNotifier {
  public:
    ServiceNotifier();  // reads the watchdog interval systemd gave the service, if any

    void Ready();
    void Alive();
    void Stopping();
    int64_t PingIntervalMs() const { return PingIntervalMs_; }  // 0: no watchdog

  private:
    int64_t PingIntervalMs_ = 0;
    int64_t LastPingMs_ = 0;
    bool Pinged_ = false;
};

}  // namespace doorstep
