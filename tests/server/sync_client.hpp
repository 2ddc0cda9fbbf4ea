// Crafted protocol requests for the integration tests: signed exactly as docs/protocol.md says
// (core/wire/signing.hpp), with any part overridable to make the request wrong on purpose.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/response/response.hpp"

namespace doorstep::testing {

struct Credentials {
    std::string DeviceId;
    std::string SecretHex;
};

struct Outgoing {
    std::string Path = "/v1/responses";
    // Every member has an initializer, so designated initializers may leave any of them out.
    std::string Body{};        // exactly as sent
    std::string SignedBody{};  // what the signature covers; empty: Body (set it to tamper)
    int64_t TimestampMs = 0;   // 0: now
    std::string Nonce{};       // empty: a fresh one
    std::string Protocol = "1";
    std::string ContentType = "application/gzip";
    std::vector<std::pair<std::string, std::string>> ExtraHeaders{};
};

struct Reply {
    int Status = 0;  // 0: no answer at all (connection failed)
    std::string Body;
    nlohmann::json Json;            // discarded when the body is not JSON
    std::string ErrorCode() const;  // Json["error"], or ""
};

class SyncClient {
  public:
    // Plain HTTP; or HTTPS when `ca_cert_path` names the certificate to trust.
    explicit SyncClient(int port, std::string ca_cert_path = "")
        : Port_(port), CaCertPath_(std::move(ca_cert_path)) {}

    // Signed with `signer`; fills in the timestamp and nonce it used, so a test can replay it.
    Reply Send(Outgoing& request, const Credentials& signer) const;
    // Without the device headers (enrollment, or deliberately unsigned).
    Reply SendUnsigned(const Outgoing& request) const;
    Reply Get(const std::string& path) const;

  private:
    std::unique_ptr<httplib::Client> Connect() const;
    Reply Post(const Outgoing& request, httplib::Headers headers) const;

    int Port_;
    std::string CaCertPath_;
};

// A gzip batch body for these responses, numbered from `first_seq`.
std::string BatchBody(const std::string& device_id, const std::vector<Response>& responses,
                      int64_t first_seq);
// A gzip /v1/enroll body.
std::string EnrollBody(const std::string& code);
// A gzip heartbeat body reporting `highest_seq`.
std::string HeartbeatBody(const std::string& device_id, int64_t highest_seq);

}  // namespace doorstep::testing
