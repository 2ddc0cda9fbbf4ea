#include "sync_client.hpp"

#include <httplib.h>

#include "core/base/clock.hpp"
#include "core/wire/gzip.hpp"
#include "core/wire/signing.hpp"
#include "core/wire/wire.hpp"

namespace doorstep::testing {
namespace {

Reply ReplyOf(const httplib::Result& result) {
    Reply reply;
    if (!result) {
        return reply;
    }
    reply.Status = result->status;
    reply.Body = result->body;
    reply.Json = nlohmann::json::parse(reply.Body, nullptr, false);
    return reply;
}

}  // namespace

// A new connection per request: a refused request's unread body can never reach the next one,
// and each request is exactly what the test built.
std::unique_ptr<httplib::Client> SyncClient::Connect() const {
    std::string scheme = CaCertPath_.empty() ? "http://" : "https://";
    auto client = std::make_unique<httplib::Client>(scheme + "127.0.0.1:" + std::to_string(Port_));
    if (!CaCertPath_.empty()) {
        client->set_ca_cert_path(CaCertPath_);
        client->enable_server_certificate_verification(true);
    }
    client->set_read_timeout(120, 0);
    client->set_write_timeout(120, 0);
    return client;
}

Reply SyncClient::Post(const Outgoing& request, httplib::Headers headers) const {
    headers.emplace("Doorstep-Protocol", request.Protocol);
    for (const auto& [name, value] : request.ExtraHeaders) {
        headers.emplace(name, value);
    }
    return ReplyOf(Connect()->Post(request.Path, headers, request.Body, request.ContentType));
}

std::string Reply::ErrorCode() const {
    if (!Json.is_object() || !Json.contains("error") || !Json["error"].is_string()) {
        return "";
    }
    return Json["error"].get<std::string>();
}

Reply SyncClient::Send(Outgoing& request, const Credentials& signer) const {
    if (request.TimestampMs == 0) {
        request.TimestampMs = WallClockMs();
    }
    if (request.Nonce.empty()) {
        request.Nonce = NewNonce();
    }
    std::string canonical =
        CanonicalRequest("POST", request.Path, request.TimestampMs, request.Nonce,
                         request.SignedBody.empty() ? request.Body : request.SignedBody);
    httplib::Headers headers = {
        {"Doorstep-Device", signer.DeviceId},
        {"Doorstep-Timestamp", std::to_string(request.TimestampMs)},
        {"Doorstep-Nonce", request.Nonce},
        {"Doorstep-Signature", SignCanonical(signer.SecretHex, canonical)},
    };
    return Post(request, std::move(headers));
}

Reply SyncClient::SendUnsigned(const Outgoing& request) const {
    return Post(request, {});
}

Reply SyncClient::Get(const std::string& path) const {
    return ReplyOf(Connect()->Get(path));
}

std::string BatchBody(const std::string& device_id, const std::vector<Response>& responses,
                      int64_t first_seq) {
    std::vector<StoredResponse> rows;
    for (size_t i = 0; i < responses.size(); ++i) {
        StoredResponse row;
        row.Seq = first_seq + static_cast<int64_t>(i);
        row.Data = responses[i];
        rows.push_back(std::move(row));
    }
    return GzipCompress(EncodeBatch(device_id, rows));
}

std::string EnrollBody(const std::string& code) {
    return GzipCompress(nlohmann::json{{"code", code}, {"app_version", "test"}}.dump());
}

std::string HeartbeatBody(const std::string& device_id, int64_t highest_seq) {
    Heartbeat heartbeat;
    heartbeat.DeviceId = device_id;
    heartbeat.Backlog = 2;
    heartbeat.OldestUnsentAgeS = 30;
    heartbeat.LastError = "connect to head office timed out";
    heartbeat.AppVersion = "0.1.0";
    heartbeat.SurveyVersion = 1;
    heartbeat.FreeDiskBytes = 5'000'000'000;
    heartbeat.HighestSeq = highest_seq;
    heartbeat.UnsavedAnswers = 3;
    heartbeat.StorageError = "database or disk is full";
    return GzipCompress(EncodeHeartbeat(heartbeat));
}

}  // namespace doorstep::testing
