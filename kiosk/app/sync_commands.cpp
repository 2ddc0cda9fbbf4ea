// `doorstep-kiosk enroll` and `doorstep-kiosk sync --once`.
#include <cstdio>

#include "core/base/clock.hpp"
#include "core/base/paths.hpp"
#include "kiosk/app/commands.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/sync/enrollment.hpp"
#include "kiosk/sync/uploader.hpp"

namespace doorstep {

int RunEnroll(const EnrollOptionsCli& options) {
    if (Status dir = EnsurePrivateDirectory(options.DataDir); !dir.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk enroll: %s\n", dir.Err().Message.c_str());
        return 1;
    }
    DeviceIdentity identity;
    identity.ServerUrl = options.Server;
    identity.CaFile = options.CaFile;
    identity.PinnedPublicKey = options.PinnedPublicKey;
    identity.AllowInsecureHttp = options.InsecureHttp;
    Result<EnrollmentResult> enrolled = Enroll(identity, options.Code, HttpOptions{});
    if (!enrolled.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk enroll: %s\n", enrolled.Err().Message.c_str());
        return 1;
    }
    if (Status saved = SaveDeviceIdentity(options.DataDir, enrolled->Identity); !saved.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk enroll: %s\n", saved.Err().Message.c_str());
        return 1;
    }
    // Start with head office's clock, so the first signed request is not refused for skew.
    Result<std::unique_ptr<Store>> store = Store::Open(options.DataDir + "/kiosk.db");
    if (store.Ok()) {
        static_cast<void>(
            (*store)->WriteMeta("clock_offset_ms", std::to_string(enrolled->ClockOffsetMs)));
    }
    std::printf("enrolled as %s for store %s, door %s; identity in %s\n",
                enrolled->Identity.DeviceId.c_str(), enrolled->Identity.StoreName.c_str(),
                enrolled->Identity.Door.c_str(), DeviceIdentityPath(options.DataDir).c_str());
    if (options.SetPin) {
        return RunSetPin(SetPinOptionsCli{options.DataDir});
    }
    return 0;
}

int RunSync(const SyncOptionsCli& options) {
    Result<std::optional<DeviceIdentity>> identity = LoadDeviceIdentity(options.DataDir);
    if (!identity.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk sync: %s\n", identity.Err().Message.c_str());
        return 1;
    }
    if (!identity->has_value()) {
        std::fprintf(stderr,
                     "doorstep-kiosk sync: this terminal is not enrolled (no %s); run "
                     "doorstep-kiosk enroll --server URL --code CODE first\n",
                     DeviceIdentityPath(options.DataDir).c_str());
        return 1;
    }
    UploaderConfig config;
    config.StorePath = options.DataDir + "/kiosk.db";
    config.Identity = **identity;
    config.BatchSize = static_cast<size_t>(options.BatchSize);
    config.Http.ConnectTimeoutS = options.ConnectTimeoutS;
    config.Http.TotalTimeoutS = options.TotalTimeoutS;
    config.BackoffBaseMs = options.BackoffBaseMs;
    Result<std::unique_ptr<Uploader>> uploader = Uploader::Create(std::move(config));
    if (!uploader.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk sync: %s\n", uploader.Err().Message.c_str());
        return 1;
    }
    Result<bool> drained = (*uploader)->Drain(options.Attempts);
    SyncStatus status = (*uploader)->CurrentStatus();
    std::printf("pending %lld, conflicts %lld, rejected %lld, requests %lld\n",
                static_cast<long long>(status.Backlog), static_cast<long long>(status.Conflicts),
                static_cast<long long>(status.Rejected),
                static_cast<long long>(status.RequestsSent));
    if (!drained.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk sync: %s\n", drained.Err().Message.c_str());
        return 1;
    }
    if (Status alerts = (*uploader)->SyncAlertsNow(); !alerts.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk sync: alerts: %s\n", alerts.Err().Message.c_str());
        return 1;
    }
    if (options.Heartbeat) {
        if (Status reported = (*uploader)->ReportHealth(); !reported.Ok()) {
            std::fprintf(stderr, "doorstep-kiosk sync: %s\n", reported.Err().Message.c_str());
            return 1;
        }
    }
    return status.Backlog == 0 ? 0 : 1;
}

}  // namespace doorstep
