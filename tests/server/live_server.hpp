// A running doorstep-server with its own database (test_database.hpp: an SQLite file, or a fresh
// PostgreSQL database when the suite runs against PostgreSQL), and the steps the integration tests
// repeat: enroll through the CLI and /v1/enroll, count what is stored, check
// that the server still answers.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/wire/gzip.hpp"
#include "server_process.hpp"
#include "store_fixtures.hpp"
#include "sync_client.hpp"
#include "test_database.hpp"

namespace doorstep::testing {

class LiveServer {
  public:
    // `extra_args` go to `serve`; with `ca_cert_path` the clients speak HTTPS and trust it.
    explicit LiveServer(const std::vector<std::string>& extra_args = {},
                        std::string ca_cert_path = "")
        : CaCertPath_(std::move(ca_cert_path)),
          Process_(std::make_unique<ServerProcess>(DbUrl(), Db_.File("server.log"), extra_args)) {}

    std::string DbUrl() const { return Db_.Url(); }
    const TestDatabase& Db() const { return Db_; }
    std::string File(const std::string& name) const { return Db_.File(name); }
    SyncClient Client() const { return SyncClient(Process_->Port(), CaCertPath_); }
    ServerProcess& Process() { return *Process_; }

    CommandResult Cli(std::vector<std::string> args, const std::string& stdin_text = "") const {
        args.insert(args.begin() + 1, {"--db", DbUrl()});
        return RunServerCommand(args, Db_.File(""), stdin_text);
    }

    // A one-time code from `doorstep-server enroll`.
    std::string MakeCode(const std::string& store, const std::string& door) const {
        CommandResult made = Cli({"enroll", "--store", store, "--door", door});
        REQUIRE_MESSAGE(made.ExitCode == 0, made.Stderr);
        std::string code = made.Stdout.substr(0, made.Stdout.find('\n'));
        REQUIRE(code.size() == 14);
        return code;
    }

    // A device enrolled the way a kiosk does it.
    Credentials Enroll(const std::string& store, const std::string& door) const {
        Outgoing request{.Path = "/v1/enroll", .Body = EnrollBody(MakeCode(store, door))};
        Reply reply = Client().SendUnsigned(request);
        REQUIRE_MESSAGE(reply.Status == 200, reply.Body);
        CHECK(reply.Json["store"] == store);
        CHECK(reply.Json["door"] == door);
        CHECK(reply.Json["server_time_ms"].is_number_integer());
        return Credentials{reply.Json["device_id"].get<std::string>(),
                           reply.Json["device_secret"].get<std::string>()};
    }

    // A head-office user "ana" made with the command line, and a new API token for her.
    std::string AddUserWithToken() const {
        REQUIRE(Cli({"add-user", "--name", "ana"}, "correct horse battery\n").ExitCode == 0);
        CommandResult token = Cli({"add-token", "--user", "ana", "--label", "tests"});
        REQUIRE_MESSAGE(token.ExitCode == 0, token.Stderr);
        return token.Stdout.substr(0, 68);
    }

    // A kiosk enrolled at store/door that has sent SampleResponse(0 .. count-1) as seqs 1..count.
    Credentials KioskWithAnswers(const std::string& store, const std::string& door,
                                 int count) const {
        Credentials kiosk = Enroll(store, door);
        std::vector<Response> answers;
        answers.reserve(static_cast<size_t>(count));
        for (int n = 0; n < count; ++n) {
            answers.push_back(SampleResponse(n));
        }
        Outgoing batch{.Body = BatchBody(kiosk.DeviceId, answers, 1)};
        REQUIRE(Client().Send(batch, kiosk).Status == 200);
        return kiosk;
    }

    // POST /v1/alerts as `kiosk` sends it: the JSON body gzipped and signed.
    Reply PostAlerts(const Credentials& kiosk, const nlohmann::json& body) const {
        Outgoing request{.Path = "/v1/alerts", .Body = GzipCompress(body.dump())};
        return Client().Send(request, kiosk);
    }

    int64_t Count(const char* table = "responses") const {
        return Db_.QueryInt("SELECT count(*) FROM " + std::string(table));
    }

    // After a refused request: nothing new in the tables that hold answers, and the server still
    // answers (in JSON) on a fresh connection.
    void ExpectNothingStoredAndAlive(int64_t responses_before, int64_t scores_before) const {
        CHECK(Count("responses") == responses_before);
        CHECK(Count("response_scores") == scores_before);
        Reply alive = Client().Get("/no-such-page");
        CHECK(alive.Status == 404);
        CHECK(alive.ErrorCode() == "not_found");
    }

  private:
    TestDatabase Db_;  // outlives the server process
    std::string CaCertPath_;
    std::unique_ptr<ServerProcess> Process_;
};

}  // namespace doorstep::testing
