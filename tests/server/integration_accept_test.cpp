// The real doorstep-server binary, driven the way kiosks drive it: enrollment, batches acked and
// stored exactly once, conflicts and rejected items inside the answer, heartbeats, the CLI
// tools, and a clean exit on SIGTERM.
#include <doctest/doctest.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "core/base/csv.hpp"
#include "live_server.hpp"
#include "self_signed.hpp"

namespace doorstep::testing {
namespace {

using Ranges = std::vector<std::pair<int64_t, int64_t>>;

Ranges AckedOf(const Reply& reply) {
    Ranges ranges;
    for (const auto& range : reply.Json["acked"]) {
        ranges.emplace_back(range[0].get<int64_t>(), range[1].get<int64_t>());
    }
    return ranges;
}

std::vector<Response> Samples(int count, int first = 0) {
    std::vector<Response> responses;
    for (int i = 0; i < count; ++i) {
        responses.push_back(SampleResponse(first + i));
    }
    return responses;
}

}  // namespace

TEST_CASE("a batch is stored once: re-sent, it is acked again and not stored twice") {
    LiveServer server;
    Credentials kiosk = server.Enroll("lisbon-chiado", "checkout");
    std::vector<Response> batch = Samples(3);
    SyncClient client = server.Client();

    Outgoing first{.Body = BatchBody(kiosk.DeviceId, batch, 1)};
    Reply acked = client.Send(first, kiosk);
    REQUIRE_MESSAGE(acked.Status == 200, acked.Body);
    CHECK(AckedOf(acked) == Ranges{{1, 3}});
    CHECK(acked.Json["conflicts"].empty());
    CHECK(acked.Json["rejected"].empty());
    CHECK(acked.Json["server_time_ms"].is_number_integer());
    CHECK(server.Count() == 3);
    CHECK(server.Count("response_scores") == 9);

    Outgoing again{.Body = first.Body};  // the same bytes, a new timestamp and nonce
    Reply reacked = client.Send(again, kiosk);
    REQUIRE_MESSAGE(reacked.Status == 200, reacked.Body);
    CHECK(AckedOf(reacked) == Ranges{{1, 3}});
    CHECK(server.Count() == 3);
    CHECK(server.Count("response_scores") == 9);
}

TEST_CASE("conflicts and malformed items are answered per item while the rest are stored") {
    LiveServer server;
    Credentials kiosk = server.Enroll("porto-baixa", "entrance");
    SyncClient client = server.Client();
    std::vector<Response> stored = Samples(2);
    Outgoing first{.Body = BatchBody(kiosk.DeviceId, stored, 1)};
    REQUIRE(client.Send(first, kiosk).Status == 200);

    SUBCASE("same uuid, different content: 409 inside the answer, nothing changes") {
        std::vector<Response> changed = {stored[1]};
        changed[0].Comment = "edited after the fact";
        Outgoing request{.Body = BatchBody(kiosk.DeviceId, changed, 2)};
        Reply reply = client.Send(request, kiosk);
        REQUIRE(reply.Status == 200);
        CHECK(AckedOf(reply).empty());
        REQUIRE(reply.Json["conflicts"].size() == 1);
        CHECK(reply.Json["conflicts"][0]["seq"] == 2);
        CHECK(reply.Json["conflicts"][0]["status"] == 409);
        CHECK(reply.Json["conflicts"][0]["uuid"] == stored[1].Uuid);
        CHECK(server.Count() == 2);
    }
    SUBCASE("same seq, another uuid: 409 inside the answer") {
        Outgoing request{.Body = BatchBody(kiosk.DeviceId, Samples(1, 7), 1)};
        Reply reply = client.Send(request, kiosk);
        REQUIRE(reply.Status == 200);
        REQUIRE(reply.Json["conflicts"].size() == 1);
        CHECK(reply.Json["conflicts"][0]["seq"] == 1);
        CHECK(server.Count() == 2);
    }
    SUBCASE("a malformed item is rejected with its field; the others are stored") {
        std::vector<Response> mixed = Samples(3, 10);
        mixed[1].Intent = 11;
        Outgoing request{.Body = BatchBody(kiosk.DeviceId, mixed, 3)};
        Reply reply = client.Send(request, kiosk);
        REQUIRE_MESSAGE(reply.Status == 200, reply.Body);
        CHECK(AckedOf(reply) == Ranges{{3, 3}, {5, 5}});
        REQUIRE(reply.Json["rejected"].size() == 1);
        CHECK(reply.Json["rejected"][0]["seq"] == 4);
        CHECK(reply.Json["rejected"][0]["status"] == 400);
        CHECK(reply.Json["rejected"][0]["field"] == "responses[1].intent");
        CHECK(server.Count() == 4);
    }
}

TEST_CASE("an SQL-looking comment is stored and exported verbatim") {
    LiveServer server;
    Credentials kiosk = server.Enroll("faro", "checkout");
    const std::string comment = "'); DROP TABLE responses;--";
    std::vector<Response> batch = Samples(1);
    batch[0].Comment = comment;
    Outgoing request{.Body = BatchBody(kiosk.DeviceId, batch, 1)};
    Reply reply = server.Client().Send(request, kiosk);
    REQUIRE_MESSAGE(reply.Status == 200, reply.Body);
    CHECK(server.Count() == 1);

    CommandResult exported = server.Cli({"export", "--out", server.File("export.csv")});
    REQUIRE_MESSAGE(exported.ExitCode == 0, exported.Stderr);
    std::ifstream in(server.File("export.csv"), std::ios::binary);
    std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto records = ParseCsv(csv);
    REQUIRE(records.has_value());
    REQUIRE(records->size() == 2);
    const auto& header = records->front();
    auto column = std::find(header.begin(), header.end(), "comment") - header.begin();
    CHECK((*records)[1][column] == comment);
}

TEST_CASE("enrollment codes work once; devices, heartbeats and revocation through the CLI") {
    LiveServer server;
    SyncClient client = server.Client();
    std::string code = server.MakeCode("braga", "service desk");
    Outgoing enroll{.Path = "/v1/enroll", .Body = EnrollBody(code)};
    Reply enrolled = client.SendUnsigned(enroll);
    REQUIRE(enrolled.Status == 200);
    Credentials kiosk{enrolled.Json["device_id"].get<std::string>(),
                      enrolled.Json["device_secret"].get<std::string>()};
    CHECK(kiosk.SecretHex.size() == 64);
    Reply again = client.SendUnsigned(enroll);
    CHECK(again.Status == 401);
    CHECK(again.ErrorCode() == "bad_code");

    Outgoing batch{.Body = BatchBody(kiosk.DeviceId, Samples(2), 1)};
    REQUIRE(client.Send(batch, kiosk).Status == 200);
    Outgoing beat{.Path = "/v1/heartbeat", .Body = HeartbeatBody(kiosk.DeviceId, 5)};
    Reply beat_reply = client.Send(beat, kiosk);
    REQUIRE_MESSAGE(beat_reply.Status == 200, beat_reply.Body);
    CHECK(beat_reply.Json["server_time_ms"].is_number_integer());
    CHECK(server.Count("heartbeats") == 1);

    CommandResult listed = server.Cli({"devices"});
    REQUIRE(listed.ExitCode == 0);
    CHECK(listed.Stdout.find(kiosk.DeviceId) != std::string::npos);
    CHECK(listed.Stdout.find("braga") != std::string::npos);
    CHECK(listed.Stdout.find("3-5") != std::string::npos);  // reported seq 5, holds 1-2

    CommandResult revoked = server.Cli({"revoke", "--device", kiosk.DeviceId});
    REQUIRE_MESSAGE(revoked.ExitCode == 0, revoked.Stderr);
    Outgoing after{.Body = BatchBody(kiosk.DeviceId, Samples(1, 3), 3)};
    Reply refused = client.Send(after, kiosk);
    CHECK(refused.Status == 403);
    CHECK(refused.ErrorCode() == "device_revoked");
    server.ExpectNothingStoredAndAlive(2, 6);
    CHECK(server.Cli({"revoke", "--device", "dev_0000000000000000"}).ExitCode == 1);
}

TEST_CASE("SIGTERM and SIGINT stop the server cleanly with exit status 0") {
    for (int signal : {SIGTERM, SIGINT}) {
        CAPTURE(signal);
        LiveServer server;
        Credentials kiosk = server.Enroll("coimbra", "entrance");
        Outgoing batch{.Body = BatchBody(kiosk.DeviceId, Samples(2), 1)};
        REQUIRE(server.Client().Send(batch, kiosk).Status == 200);
        CHECK(server.Process().StopWith(signal) == 0);
        CHECK(server.Process().Log().find("msg=stopped") != std::string::npos);
        CHECK(server.Count() == 2);
        if (!server.Db().IsPostgres()) {
            CHECK(server.Db().QueryInt("SELECT count(*) FROM pragma_integrity_check "
                                       "WHERE integrity_check = 'ok'") == 1);
        }
    }
}

TEST_CASE("serve --tls-cert --tls-key answers over HTTPS, and only over HTTPS") {
    TempDir keys;
    std::optional<CertificateFiles> made = MakeSelfSignedCertificate(keys);
    if (!made) {
        MESSAGE("openssl is not installed: the HTTPS test is skipped");
        return;
    }
    const std::string& cert = made->Cert;
    const std::string& key = made->Key;
    LiveServer server({"--tls-cert", cert, "--tls-key", key}, cert);
    Credentials kiosk = server.Enroll("lisbon-chiado", "checkout");
    Outgoing batch{.Body = BatchBody(kiosk.DeviceId, Samples(2), 1)};
    Reply reply = server.Client().Send(batch, kiosk);
    CHECK(reply.Status == 200);
    CHECK(server.Count() == 2);
    CHECK(server.Process().Log().find("tls=on") != std::string::npos);
    CHECK(SyncClient(server.Process().Port()).Get("/").Status != 404);  // plain HTTP: no answer
}

TEST_CASE("command-line mistakes exit with status 2 and say what is wrong") {
    TempDir dir;
    struct Case {
        std::vector<std::string> Args;
        std::string Says;
    };
    const Case cases[] = {
        {{"serve", "--listen", "nowhere"}, "--listen"},
        {{"serve", "--db", "mysql://u:secret@db/x"}, "mysql"},
        {{"serve", "--bogus"}, "--bogus"},
        {{"enroll", "--store", "x"}, "--door"},
        {{"enroll", "--store", "x", "--door", "y", "--expires", "0"}, "--expires"},
        {{"export", "--out", "x.csv", "--from", "2026-02-30"}, "--from"},
        {{"export", "--out", "x.csv", "--from", "2026-03-02", "--to", "2026-03-01"}, "after"},
        {{}, "subcommand is required"},
    };
    for (const Case& mistake : cases) {
        CAPTURE(mistake.Says);
        CommandResult result = RunServerCommand(mistake.Args, dir.File(""));
        CHECK(result.ExitCode == 2);
        CHECK(result.Stderr.find(mistake.Says) != std::string::npos);
        CHECK(result.Stderr.find("secret") == std::string::npos);  // URLs are not echoed whole
    }
    CHECK(RunServerCommand({"--help"}, dir.File("")).ExitCode == 0);
}

TEST_CASE("a PostgreSQL URL that is malformed or unreachable is named, without its password") {
    TempDir dir;
    CommandResult malformed = RunServerCommand(
        {"serve", "--db", "postgresql://ana:secret@127.0.0.1/doorstep?bogus=1"}, dir.File(""));
    CHECK(malformed.ExitCode == 2);
    CHECK(malformed.Stderr.find("bogus") != std::string::npos);
    CHECK(malformed.Stderr.find("ana:***@127.0.0.1") != std::string::npos);
    CHECK(malformed.Stderr.find("secret") == std::string::npos);
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    CommandResult unreachable = RunServerCommand(
        {"devices", "--db", "postgresql://ana:secret@127.0.0.1:1/doorstep"}, dir.File(""));
    CHECK(unreachable.ExitCode == 1);
    CHECK(unreachable.Stderr.find("cannot connect to PostgreSQL at "
                                  "postgresql://ana:***@127.0.0.1:1/doorstep") !=
          std::string::npos);
    CHECK(unreachable.Stderr.find("secret") == std::string::npos);
}

}  // namespace doorstep::testing
