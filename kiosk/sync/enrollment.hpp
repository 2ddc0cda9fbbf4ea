// Enrollment: a one-time code from head office becomes this terminal's device id and secret.
#pragma once

#include <string>

#include "core/base/result.hpp"
#include "kiosk/sync/device_identity.hpp"
#include "kiosk/sync/http_client.hpp"

namespace doorstep {

struct EnrollmentResult {
    DeviceIdentity Identity;
    int64_t ClockOffsetMs = 0;  // server time minus ours, measured at enrollment
};

// POSTs the code to SERVER/v1/enroll. `identity` carries the server URL and TLS options; the
// result adds the device id, secret, store and door the server assigned.
Result<EnrollmentResult> Enroll(DeviceIdentity identity, const std::string& code, HttpOptions http);

}  // namespace doorstep
