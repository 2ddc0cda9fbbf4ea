#include "server/cli/commands.hpp"

#include <iostream>
#include <memory>

#include "core/base/clock.hpp"
#include "core/base/log.hpp"
#include "server/alerts/contact_key.hpp"
#include "server/cli/devices_table.hpp"
#include "server/fleet/enrollment.hpp"
#include "server/http/http_server.hpp"
#include "server/reports/export_csv.hpp"
#include "server/store/open/open_store.hpp"
#include "server/store/report_filter.hpp"

namespace doorstep::server {

std::unique_ptr<ServerStore> OpenOrReport(const ServerCommandLine& command) {
    Result<std::unique_ptr<ServerStore>> store = OpenServerStore(command.DbUrl);
    if (!store.Ok()) {
        Log(LogLevel::Error, "server", "cannot open the database",
            {{"error", store.Err().Message}});
        return nullptr;
    }
    return std::move(*store);
}

int RunServe(const ServerCommandLine& command) {
    std::unique_ptr<ServerStore> store = OpenOrReport(command);
    if (!store) {
        return 1;
    }
    ServeOptions serve = command.Serve;
    serve.DbUrl = command.DbUrl;
    if (serve.ContactKeyPath.empty()) {
        serve.ContactKeyPath = DefaultContactKeyPath(command.DbUrl);
    }
    Result<ContactKeyPair> keys = LoadContactKey(serve.ContactKeyPath, *store);
    if (!keys.Ok()) {
        Log(LogLevel::Error, "server", "cannot start: " + keys.Err().Message,
            {{"contact_key", serve.ContactKeyPath}});
        return 1;
    }
    serve.ContactKeys = std::move(*keys);
    return RunServer(serve, *store);  // the store closes only after the last request
}

int RunEnroll(const ServerCommandLine& command) {
    std::unique_ptr<ServerStore> store = OpenOrReport(command);
    if (!store) {
        return 1;
    }
    int64_t now_ms = WallClockMs();
    Result<std::string> code =
        CreateEnrollmentCode(*store, command.Store, command.Door, command.ExpiresHours, now_ms);
    if (!code.Ok()) {
        Log(LogLevel::Error, "server", "cannot make an enrollment code",
            {{"error", code.Err().Message}});
        return 1;
    }
    // The code alone on stdout, so scripts can take it; the explanation on stderr.
    std::cout << *code << "\n";
    std::cerr << "Type this code into the kiosk at " << command.Store << " / " << command.Door
              << ". It works once, until "
              << FormatUtcIso8601(now_ms + command.ExpiresHours * 3'600'000) << ".\n";
    return 0;
}

int RunRevoke(const ServerCommandLine& command) {
    std::unique_ptr<ServerStore> store = OpenOrReport(command);
    if (!store) {
        return 1;
    }
    Result<bool> revoked = store->RevokeDevice(command.DeviceId, WallClockMs());
    if (!revoked.Ok()) {
        Log(LogLevel::Error, "server", "cannot revoke the device",
            {{"device", command.DeviceId}, {"error", revoked.Err().Message}});
        return 1;
    }
    if (!*revoked) {
        std::cerr << "no device " << command.DeviceId
                  << " is enrolled; `doorstep-server devices` lists them\n";
        return 1;
    }
    std::cout << "revoked " << command.DeviceId
              << ": its requests are refused from now on; responses already stored are kept\n";
    return 0;
}

int RunDevices(const ServerCommandLine& command) {
    std::unique_ptr<ServerStore> store = OpenOrReport(command);
    if (!store) {
        return 1;
    }
    Result<std::vector<DeviceOverview>> devices = store->ListDevices();
    if (!devices.Ok()) {
        Log(LogLevel::Error, "server", "cannot list devices", {{"error", devices.Err().Message}});
        return 1;
    }
    std::cout << FormatDevicesTable(*devices);
    return 0;
}

int RunExport(const ServerCommandLine& command) {
    std::unique_ptr<ServerStore> store = OpenOrReport(command);
    if (!store) {
        return 1;
    }
    Result<int64_t> rows = ExportCsvFile(*store, command.Export, command.OutPath);
    if (!rows.Ok()) {
        Log(LogLevel::Error, "server", "export failed",
            {{"out", command.OutPath}, {"error", rows.Err().Message}});
        return 1;
    }
    std::cerr << "exported " << *rows << " responses to " << command.OutPath << "\n";
    return 0;
}

int RunPurge(const ServerCommandLine& command) {
    std::unique_ptr<ServerStore> store = OpenOrReport(command);
    if (!store) {
        return 1;
    }
    std::string before = DayToIsoDate(command.PurgeBeforeDay);
    Result<PurgeCounts> counts = command.PurgeConfirmed ? store->Purge(command.PurgeBeforeDay)
                                                        : store->CountPurge(command.PurgeBeforeDay);
    if (!counts.Ok()) {
        Log(LogLevel::Error, "server", "purge failed; run it again to finish",
            {{"error", counts.Err().Message}});
        return 1;
    }
    std::cout << (command.PurgeConfirmed ? "Deleted " : "Would delete ") << counts->Answers
              << " answers from before " << before << " (" << counts->Comments
              << " with comments) and " << counts->RollupRows << " report rollup rows.\n";
    if (!command.PurgeConfirmed) {
        std::cout << "Nothing was deleted. Run again with --yes to delete them.\n";
    }
    return 0;
}

}  // namespace doorstep::server
