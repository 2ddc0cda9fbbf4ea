// Who this terminal is to head office: the device id and secret from enrollment and where the
// server is. Kept in DATA_DIR/device.json, readable only by the kiosk's user.
#pragma once

#include <optional>
#include <string>

#include "core/base/result.hpp"

namespace doorstep {

struct DeviceIdentity {
    std::string DeviceId;
    std::string SecretHex;  // 64 hex digits; never logged
    std::string ServerUrl;  // e.g. https://hq.example.com or http://127.0.0.1:8470
    std::string StoreName;
    std::string Door;
    std::string CaFile;              // extra CA bundle for the server's certificate; empty = system
    std::string PinnedPublicKey;     // CURLOPT_PINNEDPUBLICKEY value, e.g. "sha256//..."; optional
    bool AllowInsecureHttp = false;  // plain http to a non-loopback host, explicitly allowed
};

std::string DeviceIdentityPath(const std::string& data_dir);
// Nothing (and no error) when the terminal was never enrolled.
Result<std::optional<DeviceIdentity>> LoadDeviceIdentity(const std::string& data_dir);
// Writes atomically (temporary file, fsync, rename) with mode 0600.
Status SaveDeviceIdentity(const std::string& data_dir, const DeviceIdentity& identity);

// https is always allowed; http only to a loopback address, or when explicitly allowed.
Status CheckServerUrl(const std::string& url, bool allow_insecure_http);

}  // namespace doorstep
