// doorstep-kiosk alerts: the store's alerts as manager mode shows them, one line each, and an
// act on one of them, which the next sync hands to head office.
#include <cstdio>

#include "core/base/clock.hpp"
#include "kiosk/app/commands.hpp"
#include "kiosk/store/store.hpp"

namespace doorstep {
namespace {

std::string Summary(const KioskAlert& alert) {
    std::string text;
    auto add = [&](const std::string& part) { text += (text.empty() ? "" : " · ") + part; };
    if (!alert.LowNeeds.empty()) {
        std::string needs;
        for (const std::string& need : alert.LowNeeds) {
            needs += (needs.empty() ? "" : ", ") + need;
        }
        add("rated low: " + needs);
    }
    if (alert.Intent) {
        add("would come back " + std::to_string(*alert.Intent) + "/10");
    }
    if (!alert.LeastMet.empty()) {
        add("least met " + alert.LeastMet);
    }
    if (!alert.Need.empty() && alert.ResponseUuid.empty()) {
        add(alert.Need);
    }
    if (!alert.Comment.empty()) {
        add("\"" + alert.Comment + "\"");
    }
    return text;
}

}  // namespace

int RunAlerts(const AlertsOptionsCli& options) {
    Result<std::unique_ptr<Store>> store = Store::Open(options.DataDir + "/kiosk.db");
    if (!store.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk alerts: %s\n", store.Err().Message.c_str());
        return 1;
    }
    Result<std::vector<KioskAlert>> alerts = (*store)->ListAlerts();
    if (!alerts.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk alerts: %s\n", alerts.Err().Message.c_str());
        return 1;
    }
    const std::string& key = options.Acknowledge.empty() ? options.Resolve : options.Acknowledge;
    if (!key.empty()) {
        for (const KioskAlert& alert : *alerts) {
            if (alert.Key() != key) {
                continue;
            }
            const char* act = options.Acknowledge.empty() ? "resolve" : "acknowledge";
            Status done = (*store)->RecordAlertAct(alert, act, options.Note, WallClockMs());
            if (!done.Ok()) {
                std::fprintf(stderr, "doorstep-kiosk alerts: %s\n", done.Err().Message.c_str());
                return 1;
            }
            std::printf("%s %sd; head office hears of it at the next sync\n", key.c_str(), act);
            return 0;
        }
        std::fprintf(stderr,
                     "doorstep-kiosk alerts: no alert %s here; `doorstep-kiosk alerts` lists "
                     "them\n",
                     key.c_str());
        return 2;
    }
    for (const KioskAlert& alert : *alerts) {
        std::printf("%-12s %-12s %-10s %-12s %s %s%s\n", alert.Key().c_str(), alert.State.c_str(),
                    alert.Kind.c_str(), alert.Door.c_str(),
                    FormatUtcIso8601(alert.OpenedAtMs).c_str(), Summary(alert).c_str(),
                    alert.Unsynced ? " (not yet at head office)" : "");
    }
    if (alerts->empty()) {
        std::printf("no alerts\n");
    }
    return 0;
}

}  // namespace doorstep
