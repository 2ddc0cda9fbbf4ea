#include "server/fleet/fleet.hpp"

namespace doorstep::server {
namespace {

using Json = nlohmann::json;

Json CompletenessJson(const DeviceOverview& device) {
    int64_t missing = 0;
    Json gaps = Json::array();
    for (const auto& [first, last] : device.Stored.Missing) {
        missing += last - first + 1;
        if (gaps.size() < kMaxListedGaps) {
            gaps.push_back({first, last});
        }
    }
    return {{"stored", device.Stored.StoredCount},
            {"highest_seq", device.Stored.HighestStoredSeq},
            {"missing", missing},
            {"gaps", gaps},
            {"gaps_listed", gaps.size()},
            {"gaps_total", device.Stored.Missing.size()}};
}

}  // namespace

Json FleetJson(const std::vector<DeviceOverview>& devices, int64_t now_ms,
               int64_t silent_after_ms) {
    Json list = Json::array();
    int64_t silent_count = 0;
    for (const DeviceOverview& device : devices) {
        std::optional<int64_t> last_seen = device.LastSeenMs();
        bool revoked = device.Device.RevokedAtMs.has_value();
        bool silent = !revoked && (!last_seen || now_ms - *last_seen > silent_after_ms);
        silent_count += silent ? 1 : 0;
        Json row{{"device_id", device.Device.DeviceId},
                 {"store", device.Device.Store},
                 {"door", device.Device.Door},
                 {"enrolled_at_ms", device.Device.EnrolledAtMs},
                 {"revoked", revoked},
                 {"revoked_at_ms", revoked ? Json(*device.Device.RevokedAtMs) : Json(nullptr)},
                 {"last_seen_ms", last_seen ? Json(*last_seen) : Json(nullptr)},
                 {"silent", silent},
                 {"completeness", CompletenessJson(device)}};
        if (device.LastHeartbeat) {
            const Heartbeat& beat = device.LastHeartbeat->Data;
            row["heartbeat"] = {{"received_at_ms", device.LastHeartbeat->ReceivedAtMs},
                                {"backlog", beat.Backlog},
                                {"oldest_unsent_age_s", beat.OldestUnsentAgeS},
                                {"clock_offset_ms", beat.ClockOffsetMs},
                                {"free_disk_bytes", beat.FreeDiskBytes},
                                {"app_version", beat.AppVersion},
                                {"survey_version", beat.SurveyVersion},
                                {"last_error", beat.LastError},
                                {"unsaved_answers", beat.UnsavedAnswers},
                                {"storage_error", beat.StorageError}};
        } else {
            row["heartbeat"] = nullptr;
        }
        list.push_back(std::move(row));
    }
    return {{"devices", list},
            {"silent", silent_count},
            {"silent_after_min", silent_after_ms / 60'000},
            {"now_ms", now_ms}};
}

}  // namespace doorstep::server
