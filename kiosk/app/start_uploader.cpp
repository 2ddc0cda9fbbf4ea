#include "kiosk/app/start_uploader.hpp"

#include <optional>
#include <utility>

#include "core/base/log.hpp"
#include "kiosk/sync/device_identity.hpp"

namespace doorstep {

std::unique_ptr<Uploader> StartUploader(const KioskOptions& options, int survey_version) {
    Result<std::optional<DeviceIdentity>> identity = LoadDeviceIdentity(options.DataDir);
    if (!identity.Ok()) {
        Log(LogLevel::Error, "sync", "cannot read the device identity; answers stay on the device",
            {{"error", identity.Err().Message}});
        return nullptr;
    }
    if (!identity->has_value()) {
        Log(LogLevel::Warning, "sync",
            "not enrolled: answers stay on the device until `doorstep-kiosk enroll` is run");
        return nullptr;
    }
    UploaderConfig config;
    config.StorePath = options.DataDir + "/kiosk.db";
    config.Identity = **identity;
    config.SurveyVersion = survey_version;
    config.HeartbeatIntervalMs = static_cast<int64_t>(options.HeartbeatIntervalS) * 1000;
    config.RetentionMs = static_cast<int64_t>(options.KeepSyncedDays) * 24 * 3600 * 1000;
    Result<std::unique_ptr<Uploader>> uploader = Uploader::Create(std::move(config));
    if (!uploader.Ok()) {
        Log(LogLevel::Error, "sync", "cannot start the uploader; answers stay on the device",
            {{"error", uploader.Err().Message}});
        return nullptr;
    }
    return std::move(*uploader);
}

}  // namespace doorstep
