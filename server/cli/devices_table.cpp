#include "server/cli/devices_table.hpp"

#include <algorithm>

#include "core/base/clock.hpp"
#include "core/base/text.hpp"

namespace doorstep::server {
namespace {

// "2026-11-24 19:21Z": minutes are enough to tell a quiet kiosk from a live one.
std::string ShortTime(int64_t utc_ms) {
    std::string iso = FormatUtcIso8601(utc_ms);  // 2026-11-24T19:21:20.123Z
    if (iso.size() < 16) {
        return iso;
    }
    std::string shown = iso.substr(0, 16) + "Z";
    shown[10] = ' ';
    return shown;
}

std::string LastSeen(const DeviceOverview& device) {
    std::optional<int64_t> last = device.LastSeenMs();
    return last ? ShortTime(*last) : "never";
}

}  // namespace

std::string FormatRanges(const SeqRanges& ranges, size_t max_ranges) {
    if (ranges.empty()) {
        return "none";
    }
    std::string text;
    size_t shown = std::min(ranges.size(), max_ranges);
    for (size_t i = 0; i < shown; ++i) {
        if (i > 0) {
            text += ", ";
        }
        const auto& [first, last] = ranges[i];
        text += std::to_string(first);
        if (last != first) {
            text += "-" + std::to_string(last);
        }
    }
    if (ranges.size() > shown) {
        text += " (+" + std::to_string(ranges.size() - shown) + " more)";
    }
    return text;
}

std::string FormatDevicesTable(const std::vector<DeviceOverview>& devices) {
    std::vector<std::vector<std::string>> rows = {{"DEVICE", "STORE", "DOOR", "LAST SEEN",
                                                   "BACKLOG", "HIGHEST SEQ", "STORED", "MISSING",
                                                   "REVOKED"}};
    for (const DeviceOverview& device : devices) {
        rows.push_back({
            device.Device.DeviceId,
            device.Device.Store,
            device.Device.Door,
            LastSeen(device),
            device.LastHeartbeat ? std::to_string(device.LastHeartbeat->Data.Backlog) : "-",
            std::to_string(device.Stored.HighestStoredSeq),
            std::to_string(device.Stored.StoredCount),
            FormatRanges(device.Stored.Missing),
            device.Device.RevokedAtMs ? ShortTime(*device.Device.RevokedAtMs) : "no",
        });
    }
    // Widths in code points, so store names in Greek or Portuguese line up too.
    std::vector<size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows) {
        for (size_t column = 0; column < row.size(); ++column) {
            widths[column] = std::max(widths[column], CountCodePoints(row[column]));
        }
    }
    std::string table;
    for (const auto& row : rows) {
        std::string line;
        for (size_t column = 0; column < row.size(); ++column) {
            line += row[column];
            if (column + 1 < row.size()) {
                line.append(widths[column] - CountCodePoints(row[column]) + 2, ' ');
            }
        }
        table += line + "\n";
    }
    if (devices.empty()) {
        table += "(no devices enrolled yet: make a code with `doorstep-server enroll`)\n";
    }
    return table;
}

}  // namespace doorstep::server
