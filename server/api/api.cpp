#include "server/api/api.hpp"

#include <nlohmann/json.hpp>

#include "core/base/clock.hpp"
#include "core/base/log.hpp"
#include "core/base/text.hpp"
#include "core/wire/protocol.hpp"
#include "core/wire/wire.hpp"
#include "server/api/request_checks.hpp"
#include "server/fleet/enrollment.hpp"
#include "server/store/answer_dating.hpp"
#include "server/surveys/survey_push.hpp"

namespace doorstep::server {
namespace {

ApiReply DeviceMismatch(const std::string& body_device, const std::string& header_device) {
    nlohmann::json extra{{"field", "device_id"}};
    return ErrorReply(400, "bad_request",
                      "device_id in the body ('" + body_device.substr(0, 64) +
                          "') is not the signing device ('" + header_device + "')",
                      extra.dump());
}

}  // namespace

Api::Api(ServerStore& store, Clock clock)
    : Store_(store), Clock_(clock ? std::move(clock) : Clock(WallClockMs)) {}

ApiReply Api::Handle(const ApiRequest& request) {
    using Endpoint = ApiReply (Api::*)(const ApiRequest&);
    Endpoint endpoint = nullptr;
    if (request.Path == protocol::kPathEnroll) {
        endpoint = &Api::HandleEnroll;
    } else if (request.Path == protocol::kPathResponses) {
        endpoint = &Api::HandleResponses;
    } else if (request.Path == protocol::kPathHeartbeat) {
        endpoint = &Api::HandleHeartbeat;
    } else if (request.Path == protocol::kPathSurvey) {
        endpoint = &Api::HandleSurvey;
    } else if (request.Path == protocol::kPathAlerts) {
        endpoint = &Api::HandleAlerts;
    } else {
        return ErrorReply(404, "not_found", "no such endpoint: " + request.Path.substr(0, 80));
    }
    if (request.Method != "POST") {
        ApiReply reply = ErrorReply(405, "method_not_allowed", request.Path + " takes POST only");
        reply.Headers.emplace_back("Allow", "POST");
        return reply;
    }
    if (std::optional<ApiReply> refusal = CheckProtocolVersion(request)) {
        return *refusal;
    }
    if (std::optional<ApiReply> refusal = CheckBodyEncoding(request)) {
        return *refusal;
    }
    return (this->*endpoint)(request);
}

// Unsigned: the one-time code is the credential. Every failure of the code itself is the same
// 401 bad_code, so an answer never tells a guesser which codes exist.
ApiReply Api::HandleEnroll(const ApiRequest& request) {
    std::variant<std::string, ApiReply> body = InflateBody(request);
    if (ApiReply* refusal = std::get_if<ApiReply>(&body)) {
        return std::move(*refusal);
    }
    const std::string& text = std::get<std::string>(body);
    if (size_t offset = FindInvalidUtf8(text); offset != std::string::npos) {
        return ErrorReply(400, "invalid_utf8",
                          "the body is not valid UTF-8 at byte " + std::to_string(offset),
                          nlohmann::json{{"offset", offset}}.dump());
    }
    nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        return ErrorReply(400, "bad_json", "the body is not a JSON object");
    }
    auto code = document.find("code");
    if (code == document.end() || !code->is_string()) {
        return ErrorReply(400, "bad_request", "\"code\" must be a string",
                          nlohmann::json{{"field", "code"}}.dump());
    }
    std::string app_version;
    if (auto version = document.find("app_version");
        version != document.end() && version->is_string()) {
        app_version = version->get<std::string>().substr(0, 64);
    }

    int64_t now_ms = Clock_();
    Result<std::optional<DeviceRecord>> device =
        RedeemEnrollmentCode(Store_, code->get<std::string>(), now_ms);
    if (!device.Ok()) {
        return StoreFailureReply(device.Err(), "enroll the device");
    }
    if (!device->has_value()) {
        return ErrorReply(401, "bad_code",
                          "this enrollment code is unknown, already used or expired; ask head "
                          "office for a new one");
    }
    const DeviceRecord& enrolled = **device;
    Log(LogLevel::Info, "api", "device enrolled",
        {{"device", enrolled.DeviceId},
         {"store", enrolled.Store},
         {"door", enrolled.Door},
         {"app_version", app_version}});
    nlohmann::json answer{{"device_id", enrolled.DeviceId},
                          {"device_secret", enrolled.SecretHex},
                          {"store", enrolled.Store},
                          {"door", enrolled.Door},
                          {"server_time_ms", now_ms}};
    ApiReply reply = JsonReply(answer.dump());
    reply.DeviceId = enrolled.DeviceId;
    return reply;
}

std::variant<Api::Authenticated, ApiReply> Api::AuthenticateAndInflate(const ApiRequest& request) {
    std::variant<DeviceRecord, ApiReply> auth = Authenticate(request, Store_, Clock_());
    if (ApiReply* refusal = std::get_if<ApiReply>(&auth)) {
        return std::move(*refusal);
    }
    std::variant<std::string, ApiReply> body = InflateBody(request);
    if (ApiReply* refusal = std::get_if<ApiReply>(&body)) {
        return std::move(*refusal);
    }
    return Authenticated{std::move(std::get<DeviceRecord>(auth)),
                         std::move(std::get<std::string>(body))};
}

ApiReply Api::HandleResponses(const ApiRequest& request) {
    std::variant<Authenticated, ApiReply> checked = AuthenticateAndInflate(request);
    if (ApiReply* refusal = std::get_if<ApiReply>(&checked)) {
        return std::move(*refusal);
    }
    const DeviceRecord& device = std::get<Authenticated>(checked).Device;
    const std::string& text = std::get<Authenticated>(checked).Body;
    BatchDecode decoded = DecodeBatch(text);
    if (!decoded.Request) {
        return WireErrorReply(decoded.Error, text);
    }
    BatchRequest& batch = *decoded.Request;
    if (batch.DeviceId != device.DeviceId) {
        return DeviceMismatch(batch.DeviceId, device.DeviceId);
    }

    int64_t received_at_ms = Clock_();
    std::vector<IncomingResponse> valid;
    std::vector<ItemIssue> rejected;
    for (size_t i = 0; i < batch.Items.size(); ++i) {
        BatchItem& item = batch.Items[i];
        if (!item.Data.has_value()) {
            rejected.push_back(ItemIssue{item.Seq, item.Uuid, 400, item.Field, item.Problem});
            continue;
        }
        Response& data = *item.Data;
        int64_t shift = AnswerClockShiftMs({data.StartedAtMs, data.EndedAtMs, item.AgeMs},
                                           batch.SentAtMs, received_at_ms);
        data.StartedAtMs += shift;
        data.EndedAtMs += shift;
        valid.push_back(IncomingResponse{i, item.Seq, std::move(data), std::move(item.Suspect),
                                         item.UtcOffsetMin, shift});
    }
    Result<BatchOutcome> outcome = Store_.StoreBatch(device.DeviceId, valid, received_at_ms);
    if (!outcome.Ok()) {
        return StoreFailureReply(outcome.Err(), "store the batch");
    }
    // Only now, after COMMIT, is anything acknowledged.
    BatchAck ack;
    ack.Acked = ToRanges(outcome->Held);
    ack.Conflicts = std::move(outcome->Conflicts);
    ack.Rejected = std::move(rejected);
    ack.Rejected.insert(ack.Rejected.end(), outcome->Rejected.begin(), outcome->Rejected.end());
    ack.ServerTimeMs = Clock_();
    if (!ack.Conflicts.empty() || !ack.Rejected.empty()) {
        Log(LogLevel::Warning, "api", "batch had items that were not stored",
            {{"device", device.DeviceId},
             {"conflicts", std::to_string(ack.Conflicts.size())},
             {"rejected", std::to_string(ack.Rejected.size())},
             {"first", (ack.Conflicts.empty() ? ack.Rejected : ack.Conflicts).front().Message}});
    }
    ApiReply reply = JsonReply(EncodeAck(ack));
    reply.DeviceId = device.DeviceId;
    reply.Items = batch.Items.size();
    return reply;
}

ApiReply Api::HandleHeartbeat(const ApiRequest& request) {
    std::variant<Authenticated, ApiReply> checked = AuthenticateAndInflate(request);
    if (ApiReply* refusal = std::get_if<ApiReply>(&checked)) {
        return std::move(*refusal);
    }
    const DeviceRecord& device = std::get<Authenticated>(checked).Device;
    const std::string& text = std::get<Authenticated>(checked).Body;
    WireError error;
    std::optional<Heartbeat> heartbeat = DecodeHeartbeat(text, error);
    if (!heartbeat) {
        return WireErrorReply(error, text);
    }
    if (heartbeat->DeviceId != device.DeviceId) {
        return DeviceMismatch(heartbeat->DeviceId, device.DeviceId);
    }
    int64_t now_ms = Clock_();
    if (Status saved = Store_.SaveHeartbeat(*heartbeat, now_ms); !saved.Ok()) {
        return StoreFailureReply(saved.Err(), "save the heartbeat");
    }
    nlohmann::json answer{{"server_time_ms", now_ms}};
    // The survey this kiosk should run: it fetches the definition when the ETag is new to it.
    Result<std::vector<SurveyAssignment>> current = Store_.ListSurveyAssignments(false);
    if (!current.Ok()) {
        return StoreFailureReply(current.Err(), "look up the survey");
    }
    if (std::optional<SurveyAssignment> survey =
            AssignmentFor(*current, device.Store, device.Door)) {
        answer["survey"] = {
            {"survey_id", survey->SurveyId}, {"version", survey->Version}, {"etag", survey->Etag}};
    }
    ApiReply reply = JsonReply(answer.dump());
    reply.DeviceId = device.DeviceId;
    return reply;
}

// The definition the kiosk's scope runs (survey_push.hpp), for a kiosk whose heartbeat answer
// named an ETag it does not hold.
std::variant<Api::DeviceJson, ApiReply> Api::AuthenticateJson(const ApiRequest& request,
                                                              std::string_view shape) {
    std::variant<Authenticated, ApiReply> checked = AuthenticateAndInflate(request);
    if (ApiReply* refusal = std::get_if<ApiReply>(&checked)) {
        return std::move(*refusal);
    }
    DeviceRecord& device = std::get<Authenticated>(checked).Device;
    nlohmann::json body =
        nlohmann::json::parse(std::get<Authenticated>(checked).Body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("device_id") ||
        !body["device_id"].is_string()) {
        return ErrorReply(400, "bad_request", "the body must be " + std::string(shape),
                          nlohmann::json{{"field", "device_id"}}.dump());
    }
    if (body["device_id"] != device.DeviceId) {
        return DeviceMismatch(body["device_id"].get<std::string>(), device.DeviceId);
    }
    return DeviceJson{std::move(device), std::move(body)};
}

ApiReply Api::HandleSurvey(const ApiRequest& request) {
    std::variant<DeviceJson, ApiReply> checked =
        AuthenticateJson(request, "{\"device_id\": \"...\"}");
    if (ApiReply* refusal = std::get_if<ApiReply>(&checked)) {
        return std::move(*refusal);
    }
    const DeviceRecord& device = std::get<DeviceJson>(checked).Device;
    Result<std::vector<SurveyAssignment>> current = Store_.ListSurveyAssignments(false);
    if (!current.Ok()) {
        return StoreFailureReply(current.Err(), "look up the survey");
    }
    std::optional<SurveyAssignment> survey = AssignmentFor(*current, device.Store, device.Door);
    if (!survey) {
        return ErrorReply(404, "no_survey",
                          "head office has published no survey for this store and door; keep "
                          "the installed one");
    }
    Result<std::optional<SurveyVersionRecord>> version =
        Store_.FindSurveyVersion(survey->SurveyId, survey->Version);
    if (!version.Ok()) {
        return StoreFailureReply(version.Err(), "read the survey");
    }
    if (!version->has_value()) {
        return ErrorReply(500, "server_error", "the assigned survey version is missing");
    }
    nlohmann::json definition = nlohmann::json::parse((*version)->Definition, nullptr, false);
    ApiReply reply = JsonReply(nlohmann::json{
        {"survey_id", survey->SurveyId},
        {"version", survey->Version},
        {"etag", survey->Etag},
        {"definition", definition}}.dump());
    reply.Headers.emplace_back("ETag", survey->Etag);
    reply.DeviceId = device.DeviceId;
    return reply;
}

}  // namespace doorstep::server
