#include "kiosk/sync/enrollment.hpp"

#include <nlohmann/json.hpp>

#include "core/base/clock.hpp"
#include "core/wire/gzip.hpp"
#include "core/wire/protocol.hpp"

namespace doorstep {

Result<EnrollmentResult> Enroll(DeviceIdentity identity, const std::string& code,
                                HttpOptions http) {
    if (Status url = CheckServerUrl(identity.ServerUrl, identity.AllowInsecureHttp); !url.Ok()) {
        return url.Err();
    }
    http.CaFile = identity.CaFile;
    http.PinnedPublicKey = identity.PinnedPublicKey;
    HttpClient client(http);
    std::string body = nlohmann::json{{"code", code}, {"app_version", DOORSTEP_VERSION}}.dump();
    std::string url = identity.ServerUrl;
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    Result<HttpReply> reply = client.Post(
        url + std::string(protocol::kPathEnroll),
        {"Content-Type: " + std::string(protocol::kBodyContentType),
         std::string(protocol::kHeaderProtocol) + ": " + std::to_string(protocol::kVersion)},
        GzipCompress(body));
    if (!reply.Ok()) {
        return Error{"cannot reach head office: " + reply.Err().Message, reply.Err().Code};
    }
    nlohmann::json answer = nlohmann::json::parse(reply->Body, nullptr, false);
    if (reply->Status != 200) {
        std::string message = answer.is_object() ? answer.value("message", std::string()) : "";
        return Error{"head office refused the enrollment (HTTP " + std::to_string(reply->Status) +
                         (message.empty() ? ")" : "): " + message),
                     static_cast<int>(reply->Status)};
    }
    if (!answer.is_object() || !answer.contains("device_id") || !answer["device_id"].is_string() ||
        !answer.contains("device_secret") || !answer["device_secret"].is_string()) {
        return Error{"head office answered the enrollment without a device id and secret", 0};
    }
    identity.DeviceId = answer["device_id"].get<std::string>();
    identity.SecretHex = answer["device_secret"].get<std::string>();
    identity.StoreName = answer.value("store", std::string());
    identity.Door = answer.value("door", std::string());
    EnrollmentResult result{identity, 0};
    if (answer.contains("server_time_ms") && answer["server_time_ms"].is_number_integer()) {
        result.ClockOffsetMs = answer["server_time_ms"].get<int64_t>() - WallClockMs();
    }
    return result;
}

}  // namespace doorstep
