// What only PostgreSQL has to show: several servers on one database. Two stores opened on one
// database stand for two doorstep-server processes at the store level (their own connections,
// nothing shared in memory); then two real server processes on two ports take one kiosk's
// batches and nonces in turn. Run by `ctest -R server_postgres` (with-postgres.sh); skipped
// against SQLite.
#include <doctest/doctest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <tuple>

#include "live_server.hpp"
#include "server/fleet/enrollment.hpp"
#include "server/store/open/open_store.hpp"
#include "server/store/postgres/pg_server_schema.hpp"
#include "test_database.hpp"

namespace doorstep::server {
namespace {

using testing::TestDatabase;

constexpr int64_t kNow = 1'795'549'384'722;

std::vector<IncomingResponse> Items(int64_t first_seq, int count) {
    return testing::SampleItems(first_seq, count);
}

std::string Enroll(ServerStore& store) {
    return testing::EnrollDevice(store, "lisbon", "checkout", kNow);
}

}  // namespace

TEST_CASE("postgresql: a database from a newer doorstep-server is refused" *
          DOORSTEP_POSTGRES_ONLY) {
    TestDatabase db;
    db.Open();
    db.Exec("UPDATE doorstep_schema SET version = 999");
    Result<std::unique_ptr<ServerStore>> future = OpenServerStore(db.Url());
    REQUIRE_FALSE(future.Ok());
    CHECK(future.Err().Message.find("999") != std::string::npos);
}

TEST_CASE("postgresql: a version 1 database is migrated, its answers counted for the fleet" *
          DOORSTEP_POSTGRES_ONLY) {
    TestDatabase db;
    db.Exec(std::string(kPgServerMigrations[0].Sql) +
            "CREATE TABLE doorstep_schema (version INTEGER NOT NULL);"
            "INSERT INTO doorstep_schema VALUES (1);"
            "INSERT INTO devices (device_id, store, door, secret_hex, enrolled_at_ms) VALUES "
            "('dev-v1', 'lisbon', 'checkout', repeat('a', 64), 1);"
            "INSERT INTO responses (device_id, seq, uuid, survey_id, survey_version, door, lang, "
            "kind, status, abandoned_at, started_at_ms, ended_at_ms, duration_ms, least_met, "
            "intent, comment, synthetic, received_at_ms) VALUES ('dev-v1', 7, 'u-7', 's', 1, "
            "'checkout', 'en', 'customer', 'completed', '', 1, 2, 1, '', 4, '', 0, 99);");
    std::unique_ptr<ServerStore> store = db.Open();
    CHECK(db.QueryInt("SELECT version FROM doorstep_schema") == kLatestPgSchemaVersion);
    Result<Completeness> migrated = store->DeviceCompleteness("dev-v1");
    REQUIRE(migrated.Ok());
    CHECK(migrated->StoredCount == 1);
    CHECK(migrated->HighestStoredSeq == 7);
    CHECK(migrated->LastReceivedAtMs == 99);
    CHECK(migrated->Missing == SeqRanges{{1, 6}});
}

TEST_CASE("postgresql: two servers starting at once migrate the database once" *
          DOORSTEP_POSTGRES_ONLY) {
    TestDatabase db;
    std::vector<Result<std::unique_ptr<ServerStore>>> opened;
    opened.reserve(2);
    std::vector<std::thread> starts;
    starts.reserve(2);
    std::vector<std::string> errors(2);
    for (int i = 0; i < 2; ++i) {
        starts.emplace_back([&, i] {
            Result<std::unique_ptr<ServerStore>> store = OpenServerStore(db.Url());
            errors[static_cast<size_t>(i)] = store.Ok() ? "" : store.Err().Message;
        });
    }
    for (std::thread& start : starts) {
        start.join();
    }
    CHECK(errors[0] == "");
    CHECK(errors[1] == "");
    CHECK(db.QueryInt("SELECT count(*) FROM doorstep_schema") == 1);
}

TEST_CASE("postgresql: one kiosk's batches through two servers at once are stored once" *
          DOORSTEP_POSTGRES_ONLY) {
    TestDatabase db;
    std::unique_ptr<ServerStore> first = db.Open();
    std::unique_ptr<ServerStore> second = db.Open();
    std::string device = Enroll(*first);
    // Both servers get every batch (a kiosk retrying after a lost answer, through the balancer),
    // at the same time, in opposite orders.
    std::vector<IncomingResponse> answers = Items(1, 240);
    std::vector<std::vector<IncomingResponse>> batches;
    for (size_t start = 0; start < answers.size(); start += 40) {
        // Overlapping: the last 20 of each batch are the first 20 of the next.
        size_t end = std::min(answers.size(), start + 60);
        batches.emplace_back(answers.begin() + static_cast<std::ptrdiff_t>(start),
                             answers.begin() + static_cast<std::ptrdiff_t>(end));
    }
    std::atomic<int64_t> newly_stored{0};
    std::atomic<int> conflicts{0};
    std::atomic<int> failures{0};
    auto send_all = [&](ServerStore& store, bool backwards) {
        for (size_t i = 0; i < batches.size(); ++i) {
            const auto& batch = batches[backwards ? batches.size() - 1 - i : i];
            Result<BatchOutcome> outcome = store.StoreBatch(device, batch, kNow);
            if (!outcome.Ok()) {
                ++failures;
                continue;
            }
            newly_stored += outcome->NewlyStored;
            conflicts += static_cast<int>(outcome->Conflicts.size());
            if (outcome->Held.size() != batch.size()) {
                ++failures;
            }
        }
    };
    std::thread one(send_all, std::ref(*first), false);
    std::thread other(send_all, std::ref(*second), true);
    one.join();
    other.join();
    CHECK(failures == 0);
    CHECK(conflicts == 0);
    CHECK(newly_stored == 240);
    CHECK(*first->CountResponses() == 240);
    CHECK(db.QueryInt("SELECT count(*) FROM response_scores") == 720);
    CHECK(db.QueryInt("SELECT sum(answers) FROM rollup_answers") == 240);
    Result<Completeness> complete = second->DeviceCompleteness(device);
    REQUIRE(complete.Ok());
    CHECK(complete->Missing.empty());
    CHECK(complete->HighestStoredSeq == 240);
}

TEST_CASE("postgresql: a nonce, a code and a webhook delivery are each taken by one server" *
          DOORSTEP_POSTGRES_ONLY) {
    TestDatabase db;
    std::unique_ptr<ServerStore> first = db.Open();
    std::unique_ptr<ServerStore> second = db.Open();
    std::vector<ServerStore*> servers = {first.get(), second.get()};

    // The same nonce at once on both: one accepts it, the other hears "replay".
    for (int round = 0; round < 20; ++round) {
        std::string nonce = "nonce-" + std::to_string(round);
        std::atomic<int> fresh{0};
        std::vector<std::thread> threads;
        threads.reserve(2);
        threads.reserve(2);
        for (ServerStore* store : servers) {
            threads.emplace_back([&, store] {
                Result<bool> remembered = store->RememberNonce("dev_x", nonce, kNow);
                fresh += remembered.Ok() && *remembered ? 1 : 0;
            });
        }
        for (std::thread& thread : threads) {
            thread.join();
        }
        CHECK(fresh == 1);
    }

    // One code redeemed on both at once: one device.
    Result<std::string> code = CreateEnrollmentCode(*first, "porto", "entrance", 24, kNow);
    REQUIRE(code.Ok());
    std::atomic<int> enrolled{0};
    std::vector<std::thread> redeems;
    redeems.reserve(2);
    for (ServerStore* store : servers) {
        redeems.emplace_back([&, store] {
            auto device = RedeemEnrollmentCode(*store, *code, kNow);
            enrolled += device.Ok() && device->has_value() ? 1 : 0;
        });
    }
    for (std::thread& thread : redeems) {
        thread.join();
    }
    CHECK(enrolled == 1);
    CHECK(db.QueryInt("SELECT count(*) FROM devices") == 1);

    // Alerts found by both at once open once; each pending delivery is claimed once.
    std::vector<AlertFinding> findings;
    for (const char* need : {"speed", "clean", "advice", "trust"}) {
        findings.push_back(AlertFinding{"porto", "entrance", need, 100, 25, 2.5, 300, 4.1});
    }
    std::vector<std::thread> evaluations;
    evaluations.reserve(2);
    for (ServerStore* store : servers) {
        evaluations.emplace_back(
            [&, store] { REQUIRE(store->ApplyAlertFindings(findings, kNow, true).Ok()); });
    }
    for (std::thread& thread : evaluations) {
        thread.join();
    }
    CHECK(db.QueryInt("SELECT count(*) FROM alerts") == 4);
    std::vector<std::vector<int64_t>> claimed(2);
    std::vector<std::thread> claims;
    for (size_t i = 0; i < servers.size(); ++i) {
        claims.emplace_back([&, i] {
            for (;;) {
                auto delivery = servers[i]->ClaimWebhookDelivery(kNow, 60'000);
                if (!delivery.Ok() || !delivery->has_value()) {
                    return;
                }
                claimed[i].push_back((*delivery)->Id);
            }
        });
    }
    for (std::thread& thread : claims) {
        thread.join();
    }
    std::vector<int64_t> all = claimed[0];
    all.insert(all.end(), claimed[1].begin(), claimed[1].end());
    std::sort(all.begin(), all.end());
    CHECK(all.size() == 4);
    CHECK(std::unique(all.begin(), all.end()) == all.end());
}

// Counts the rows and checks they come in (store, device, seq) order.
class OrderCheckingSink final : public ExportSink {
  public:
    Status Begin(const std::vector<std::string>& need_ids) override {
        Needs = need_ids;
        return Success();
    }
    Status Row(const ExportRow& row) override {
        auto key = std::make_tuple(row.Store, row.DeviceId, row.Seq);
        InOrder = InOrder && (Rows == 0 || Last < key);
        Last = key;
        ++Rows;
        Scores += static_cast<int64_t>(row.Data.Scores.size());
        return Success();
    }
    std::vector<std::string> Needs;
    int64_t Rows = 0;
    int64_t Scores = 0;
    bool InOrder = true;
    std::tuple<std::string, std::string, int64_t> Last;
};

TEST_CASE("postgresql: an export larger than one page comes whole and in order" *
          DOORSTEP_POSTGRES_ONLY) {
    TestDatabase db;
    std::unique_ptr<ServerStore> store = db.Open();
    std::string lisbon = Enroll(*store);
    Result<std::string> code = CreateEnrollmentCode(*store, "braga", "entrance", 24, kNow);
    REQUIRE(code.Ok());
    std::string braga = (*RedeemEnrollmentCode(*store, *code, kNow))->DeviceId;
    for (const std::string& device : {lisbon, braga}) {
        for (int64_t first = 1; first <= 1500; first += 500) {
            REQUIRE(store->StoreBatch(device, Items(first, 500), kNow).Ok());
        }
    }
    OrderCheckingSink sink;
    REQUIRE(store->ExportResponses(ExportFilter{}, sink).Ok());
    CHECK(sink.Rows == 3000);
    CHECK(sink.Scores == 9000);
    CHECK(sink.InOrder);
    CHECK(sink.Needs == std::vector<std::string>{"advice", "clean", "speed"});
}

TEST_CASE("postgresql: a NUL character in a text is refused for that answer alone" *
          DOORSTEP_POSTGRES_ONLY) {
    TestDatabase db;
    std::unique_ptr<ServerStore> store = db.Open();
    std::string device = Enroll(*store);
    std::vector<IncomingResponse> batch = Items(1, 3);
    batch[1].Data.Comment = std::string("before\0after", 12);
    Result<BatchOutcome> outcome = store->StoreBatch(device, batch, kNow);
    REQUIRE(outcome.Ok());
    CHECK(outcome->Held == std::vector<int64_t>{1, 3});
    REQUIRE(outcome->Rejected.size() == 1);
    CHECK(outcome->Rejected[0].Field == "responses[1]");
    CHECK(outcome->Rejected[0].Message.find("NUL") != std::string::npos);
}

}  // namespace doorstep::server

namespace doorstep::testing {

TEST_CASE("postgresql: two doorstep-server processes on one database, one kiosk through both" *
          DOORSTEP_POSTGRES_ONLY) {
    LiveServer server;
    ServerProcess second(server.DbUrl(), server.File("second.log"));
    SyncClient to_first = server.Client();
    SyncClient to_second(second.Port());
    Credentials kiosk = server.Enroll("lisbon", "checkout");

    std::vector<Response> answers;
    answers.reserve(6);
    for (int i = 0; i < 6; ++i) {
        answers.push_back(SampleResponse(i));
    }
    std::vector<Response> first_half(answers.begin(), answers.begin() + 3);
    std::vector<Response> second_half(answers.begin() + 3, answers.end());

    // Seqs 1-3 through the first server; the same request replayed on the second is refused.
    Outgoing batch{.Body = BatchBody(kiosk.DeviceId, first_half, 1)};
    Reply stored = to_first.Send(batch, kiosk);
    REQUIRE_MESSAGE(stored.Status == 200, stored.Body);
    Outgoing replay = batch;  // same timestamp, nonce and signature
    Reply replayed = to_second.Send(replay, kiosk);
    CHECK(replayed.Status == 401);
    CHECK(replayed.ErrorCode() == "replayed_nonce");

    // Seqs 4-6 through the second; then the whole batch again, fresh nonce, through either:
    // acked 1-6, nothing stored twice.
    Outgoing next{.Body = BatchBody(kiosk.DeviceId, second_half, 4)};
    REQUIRE(to_second.Send(next, kiosk).Status == 200);
    for (SyncClient* client : {&to_first, &to_second}) {
        Outgoing again{.Body = BatchBody(kiosk.DeviceId, answers, 1)};
        Reply acked = client->Send(again, kiosk);
        REQUIRE_MESSAGE(acked.Status == 200, acked.Body);
        REQUIRE(acked.Json["acked"].size() == 1);
        CHECK(acked.Json["acked"][0] == nlohmann::json::array({1, 6}));
        CHECK(acked.Json["conflicts"].empty());
    }
    // A changed answer under a held seq is a conflict on the server that did not store it.
    std::vector<Response> edited = first_half;
    edited[0].Comment = "changed";
    Outgoing conflicting{.Body = BatchBody(kiosk.DeviceId, edited, 1)};
    Reply conflict = to_second.Send(conflicting, kiosk);
    REQUIRE(conflict.Status == 200);
    CHECK(conflict.Json["conflicts"].size() == 1);
    CHECK(server.Count() == 6);
    CHECK(server.Count("response_scores") == 18);

    // A revocation through one is seen by the other at once.
    REQUIRE(server.Cli({"revoke", "--device", kiosk.DeviceId}).ExitCode == 0);
    Outgoing after{.Body = BatchBody(kiosk.DeviceId, first_half, 1)};
    CHECK(to_second.Send(after, kiosk).Status == 403);
    CHECK(second.StopWith(SIGTERM) == 0);
}

}  // namespace doorstep::testing
