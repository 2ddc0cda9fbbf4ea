// The uploader against a canned server: the exact bytes it sends for a canned batch (compared
// with tests/data/upload-request-1.*, as curl's tests do), and what it does with each answer.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "capture_server.hpp"
#include "core/wire/gzip.hpp"
#include "core/wire/protocol.hpp"
#include "kiosk/sync/uploader.hpp"
#include "store_fixtures.hpp"
#include "summary_fixtures.hpp"

using namespace doorstep;
using doorstep::testing::CaptureServer;
using doorstep::testing::ScopedTimeZone;
using doorstep::testing::TempDir;

namespace {

constexpr int64_t kNow = 1795549384722;
// The boot clock when the canned answers ended, and now: the wall clock and the boot clock agree,
// so the ages are the wall-clock differences.
constexpr int64_t kEndedOnBootMs = 4'000'000;
constexpr int64_t kBootNowMs = kEndedOnBootMs + 62'221;
constexpr const char* kSecret = "6b1d0c2f8e7a49d3b5c4a1e0f9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0";
constexpr InflateLimits kLimits{1u << 20, 1000};

std::string ReadFile(const std::string& name) {
    std::ifstream in(std::string(DOORSTEP_TEST_DATA_DIR) + "/" + name, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

// Two fixed responses: every byte of the batch is known in advance.
Response Canned(int n) {
    Response r;
    r.Uuid =
        n == 1 ? "0d8e6f0c-3b7a-4a51-9d1e-2f7c4b9a8e11" : "7f3c2a10-5e4d-4b6a-8c9d-0e1f2a3b4c5d";
    r.SurveyId = "default";
    r.SurveyVersion = 1;
    r.Door = "checkout";
    r.Language = n == 1 ? "el" : "en";
    r.Status = n == 1 ? ResponseStatus::Completed : ResponseStatus::Abandoned;
    r.AbandonedAt = n == 1 ? "" : "need:control";
    r.StartedAtMs = 1795549301000 + n;
    r.EndedAtMs = 1795549322500 + n;
    r.DurationMs = 21500;
    r.Scores = n == 1 ? std::vector<NeedScore>{{"trust", 4}, {"control", 2}, {"support", 5}}
                      : std::vector<NeedScore>{{"trust", 1}};
    r.LeastMet = n == 1 ? "control" : "";
    r.Intent = n == 1 ? std::optional<int>(8) : std::nullopt;
    r.Comment = n == 1 ? "Ευχαριστώ!" : "";
    return r;
}

struct Fixture {
    // The offset each answer carries comes from the terminal's zone: pin it (CET, +60 in winter).
    ScopedTimeZone Zone;
    TempDir Dir;
    std::unique_ptr<Store> Local;

    Fixture() {
        auto store = Store::Open(Dir.File("kiosk.db"));
        REQUIRE(store.Ok());
        Local = std::move(*store);
        for (int n : {1, 2}) {
            Response canned = Canned(n);
            REQUIRE(Local->Append(canned, ClockStamp{canned.EndedAtMs, kEndedOnBootMs}).Ok());
        }
    }

    std::unique_ptr<Uploader> UploaderFor(const CaptureServer& server, int64_t now = kNow) {
        UploaderConfig config;
        config.StorePath = Dir.File("kiosk.db");
        config.Identity.DeviceId = "dev_wiretest";
        config.Identity.SecretHex = kSecret;
        config.Identity.ServerUrl = server.Url();
        config.BackoffBaseMs = 1;
        config.WallClock = [now] { return now; };
        config.BootClock = [] { return kBootNowMs; };
        config.NewNonce = [] { return std::string("000102030405060708090a0b0c0d0e0f"); };
        auto uploader = Uploader::Create(std::move(config));
        REQUIRE(uploader.Ok());
        return std::move(*uploader);
    }

    SyncCounts Counts() {
        auto counts = Local->CountSync();
        REQUIRE(counts.Ok());
        return *counts;
    }
};

std::string Body(const std::string& request) {
    return request.substr(request.find("\r\n\r\n") + 4);
}
std::string Head(const std::string& request) {
    return request.substr(0, request.find("\r\n\r\n") + 4);
}

}  // namespace

TEST_CASE("uploader: the exact request bytes for a canned batch") {
    Fixture f;
    CaptureServer server({CaptureServer::Reply(
        200, "{\"acked\":[[1,2]],\"conflicts\":[],\"rejected\":[],\"server_time_ms\":1}")});
    auto drained = f.UploaderFor(server)->Drain(1);
    REQUIRE(drained.Ok());
    CHECK(*drained);
    auto requests = server.Requests();
    REQUIRE(requests.size() == 1);
    std::string expected_json = ReadFile("upload-request-1.json");
    while (!expected_json.empty() && expected_json.back() == '\n') {
        expected_json.pop_back();
    }
    std::string expected_head = ReadFile("upload-request-1.head");
    expected_head = Replace(expected_head, "\n", "\r\n");
    expected_head = Replace(expected_head, "%PORT%", std::to_string(server.Port()));
    expected_head = Replace(expected_head, "%VERSION%", DOORSTEP_VERSION);
    CHECK(Head(requests[0]) == expected_head);
    CHECK(Body(requests[0]) == GzipCompress(expected_json));
    CHECK(GzipInflate(Body(requests[0]), kLimits).Data == expected_json);
    CHECK(f.Counts().Synced == 2);
}

TEST_CASE("uploader: conflicts and rejections are marked and kept; the queue moves on") {
    Fixture f;
    CaptureServer server({CaptureServer::Reply(
        200,
        "{\"acked\":[],\"conflicts\":[{\"seq\":1,\"uuid\":\"x\",\"status\":409,\"message\":\"m\"}],"
        "\"rejected\":[{\"seq\":2,\"uuid\":\"y\",\"status\":400,\"field\":\"responses[1].door\","
        "\"message\":\"door must be 1..64 bytes long, got 0\"}],\"server_time_ms\":1}")});
    auto drained = f.UploaderFor(server)->Drain(1);
    REQUIRE(drained.Ok());
    SyncCounts counts = f.Counts();
    CHECK(counts.Pending == 0);
    CHECK(counts.Conflict == 1);
    CHECK(counts.Rejected == 1);
    CHECK(*f.Local->CountResponses() == 2);
}

TEST_CASE("uploader: a lost answer leaves rows pending; the next try sends them again") {
    Fixture f;
    CaptureServer server(
        {"", CaptureServer::Reply(200, "{\"acked\":[[1,2]],\"server_time_ms\":1}")});
    auto first = f.UploaderFor(server)->Drain(1);
    CHECK_FALSE(first.Ok());
    CHECK(f.Counts().Pending == 2);
    auto second = f.UploaderFor(server)->Drain(1);
    REQUIRE(second.Ok());
    CHECK(f.Counts().Synced == 2);
    auto requests = server.Requests();
    REQUIRE(requests.size() == 2);
    CHECK(Body(requests[0]) == Body(requests[1]));  // the same batch, byte for byte
}

TEST_CASE("uploader: clock skew is corrected from the server's time and signed again") {
    Fixture f;
    int64_t server_time = kNow + 2 * 3600 * 1000;
    CaptureServer server(
        {CaptureServer::Reply(401,
                              "{\"error\":\"clock_skew\",\"message\":\"m\",\"server_time_ms\":" +
                                  std::to_string(server_time) + "}"),
         CaptureServer::Reply(200, "{\"acked\":[[1,2]],\"server_time_ms\":1}")});
    auto drained = f.UploaderFor(server)->Drain(1);
    REQUIRE(drained.Ok());
    auto requests = server.Requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[1].find("Doorstep-Timestamp: " + std::to_string(server_time) + "\r\n") !=
          std::string::npos);
    CHECK(f.Local->ReadMeta("clock_offset_ms")->value_or("") == std::to_string(2 * 3600 * 1000));
}

TEST_CASE("uploader: busy servers and revocation") {
    SUBCASE("503 with Retry-After is retried") {
        Fixture f;
        CaptureServer server(
            {CaptureServer::Reply(503, "{\"error\":\"busy\"}", "Retry-After: 0\r\n"),
             CaptureServer::Reply(200, "{\"acked\":[[1,2]],\"server_time_ms\":1}")});
        auto drained = f.UploaderFor(server)->Drain(3);
        REQUIRE(drained.Ok());
        CHECK(f.Counts().Synced == 2);
    }
    SUBCASE("426 stops with words a technician can act on, keeping every row") {
        Fixture f;
        CaptureServer server({CaptureServer::Reply(426, "{\"error\":\"protocol_unsupported\"}")});
        auto drained = f.UploaderFor(server)->Drain(5);
        REQUIRE_FALSE(drained.Ok());
        CHECK(drained.Err().Message.find("protocol version 1") != std::string::npos);
        CHECK(server.Requests().size() == 1);
        CHECK(f.Counts().Pending == 2);
    }
    SUBCASE("403 revoked keeps every row") {
        Fixture f;
        CaptureServer server({CaptureServer::Reply(403, "{\"error\":\"device_revoked\"}")});
        auto drained = f.UploaderFor(server)->Drain(5);
        REQUIRE_FALSE(drained.Ok());
        CHECK(drained.Err().Message.find("revoked") != std::string::npos);
        CHECK(f.Counts().Pending == 2);
    }
}

TEST_CASE("uploader: a batch refused as a whole is split until the poison row is isolated") {
    Fixture f;
    CaptureServer server({CaptureServer::Reply(400, "{\"error\":\"bad_json\"}"),
                          CaptureServer::Reply(400, "{\"error\":\"bad_json\"}"),
                          CaptureServer::Reply(200, "{\"acked\":[[2,2]],\"server_time_ms\":1}")});
    auto drained = f.UploaderFor(server)->Drain(5);
    REQUIRE(drained.Ok());
    SyncCounts counts = f.Counts();
    CHECK(counts.Rejected == 1);
    CHECK(counts.Synced == 1);
    CHECK(*f.Local->CountResponses() == 2);
}
