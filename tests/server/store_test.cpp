// The store on a real database (an SQLite file, or PostgreSQL: test_database.hpp): a response
// stored at most once, conflicts and refused items per item, one transaction per batch (a write
// made to fail anywhere in it leaves nothing: SQLite's fault-injecting VFS), nonces, revocation
// and completeness; and the database URLs.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include "core/wire/protocol.hpp"
#include "faulty_vfs.hpp"
#include "server/fleet/enrollment.hpp"
#include "server/store/open/open_store.hpp"
#include "server/store/rollup_sql.hpp"
#include "server/store/sqlite/server_schema.hpp"
#include "server/store/sqlite/sqlite_server_store.hpp"
#include "store_fixtures.hpp"
#include "test_database.hpp"

namespace doorstep::server {
namespace {

using testing::RawDb;
using testing::SampleResponse;
using testing::TempDir;
using testing::TestDatabase;

constexpr int64_t kNow = 1'795'549'384'722;

std::unique_ptr<SqliteServerStore> OpenStore(const std::string& path,
                                             const StoreOpenOptions& options = {}) {
    Result<std::unique_ptr<SqliteServerStore>> store = SqliteServerStore::Open(path, options);
    REQUIRE_MESSAGE(store.Ok(), (store.Ok() ? "" : store.Err().Message));
    return std::move(*store);
}

DeviceRecord EnrollDevice(ServerStore& store, const std::string& store_name = "lisbon-chiado") {
    Result<std::string> code = CreateEnrollmentCode(store, store_name, "checkout", 24, kNow);
    REQUIRE(code.Ok());
    Result<std::optional<DeviceRecord>> device = RedeemEnrollmentCode(store, *code, kNow + 1);
    REQUIRE(device.Ok());
    REQUIRE(device->has_value());
    return **device;
}

std::vector<IncomingResponse> Items(int64_t first_seq, int count, int first_sample = 0) {
    std::vector<IncomingResponse> items;
    items.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
        items.push_back(IncomingResponse{static_cast<size_t>(i), first_seq + i,
                                         SampleResponse(first_sample + i), "", 0});
    }
    return items;
}

struct Fixture {
    TestDatabase Db;
    std::unique_ptr<ServerStore> Store = Db.Open();
    DeviceRecord Device = EnrollDevice(*Store);

    BatchOutcome StoreOk(const std::vector<IncomingResponse>& items) {
        Result<BatchOutcome> outcome = Store->StoreBatch(Device.DeviceId, items, kNow);
        REQUIRE_MESSAGE(outcome.Ok(), (outcome.Ok() ? "" : outcome.Err().Message));
        return std::move(*outcome);
    }
    int64_t Count() { return *Store->CountResponses(); }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "an identical re-send is held again and never stored twice") {
    std::vector<IncomingResponse> batch = Items(1, 3);
    BatchOutcome first = StoreOk(batch);
    CHECK(first.Held == std::vector<int64_t>{1, 2, 3});
    CHECK(first.NewlyStored == 3);
    BatchOutcome again = StoreOk(batch);
    CHECK(again.Held == std::vector<int64_t>{1, 2, 3});
    CHECK(again.NewlyStored == 0);
    CHECK(again.Conflicts.empty());
    CHECK(Count() == 3);
    CHECK(Db.QueryInt("SELECT count(*) FROM response_scores") == 9);
}

TEST_CASE_FIXTURE(Fixture, "a uuid twice in one batch is stored once") {
    std::vector<IncomingResponse> batch = Items(1, 1);
    batch.push_back(batch.front());
    batch.back().Index = 1;
    BatchOutcome outcome = StoreOk(batch);
    CHECK(outcome.Held == std::vector<int64_t>{1, 1});
    CHECK(outcome.NewlyStored == 1);
    CHECK(Count() == 1);
}

TEST_CASE_FIXTURE(Fixture,
                  "other content under a held uuid or seq is a conflict; nothing changes") {
    std::vector<IncomingResponse> batch = Items(1, 2);
    StoreOk(batch);

    std::vector<IncomingResponse> edited = {batch[1]};
    edited[0].Data.Comment = "changed my mind";
    BatchOutcome by_uuid = StoreOk(edited);
    CHECK(by_uuid.Held.empty());
    REQUIRE(by_uuid.Conflicts.size() == 1);
    CHECK(by_uuid.Conflicts[0].Status == 409);
    CHECK(by_uuid.Conflicts[0].Seq == 2);
    CHECK(by_uuid.Conflicts[0].Uuid == batch[1].Data.Uuid);

    std::vector<IncomingResponse> renumbered = {batch[0]};
    renumbered[0].Seq = 7;  // same uuid and content, another seq: not the same answer
    CHECK(StoreOk(renumbered).Conflicts.size() == 1);

    std::vector<IncomingResponse> other_uuid = Items(2, 1, 50);  // seq 2 is taken
    BatchOutcome by_seq = StoreOk(other_uuid);
    REQUIRE(by_seq.Conflicts.size() == 1);
    CHECK(by_seq.Conflicts[0].Message.find("seq 2") != std::string::npos);

    CHECK(Count() == 2);
    CHECK(Db.QueryInt("SELECT count(*) FROM responses WHERE comment = 'changed my mind'") == 0);
}

TEST_CASE_FIXTURE(Fixture, "each item is judged on what was held when its turn came") {
    StoreOk(Items(1, 2));
    // Seq 2 is held by another answer: this item conflicts. The next item has the same uuid and
    // a free seq, so it is stored, after the first was judged, as if they came one by one.
    std::vector<IncomingResponse> batch = Items(2, 1, 60);
    batch.push_back(batch.front());
    batch[1].Index = 1;
    batch[1].Seq = 5;
    BatchOutcome outcome = StoreOk(batch);
    REQUIRE(outcome.Conflicts.size() == 1);
    CHECK(outcome.Conflicts[0].Field == "responses[0]");
    CHECK(outcome.Conflicts[0].Message.find("seq 2 is already stored") != std::string::npos);
    CHECK(outcome.Held == std::vector<int64_t>{5});
    CHECK(outcome.NewlyStored == 1);
    CHECK(Count() == 3);
}

TEST_CASE_FIXTURE(Fixture, "suspect codes and the UTC offset are stored beside the answer") {
    std::vector<IncomingResponse> batch = Items(1, 2);
    batch[1].Suspect = "burst,repeat";
    batch[1].UtcOffsetMin = -240;
    StoreOk(batch);
    CHECK(Db.QueryInt("SELECT count(*) FROM responses WHERE seq = 1 AND suspect_reason = '' "
                      "AND utc_offset_min = 0") == 1);
    CHECK(Db.QueryInt("SELECT count(*) FROM responses WHERE seq = 2 AND "
                      "suspect_reason = 'burst,repeat' AND utc_offset_min = -240") == 1);
    // A resend saying something else about the same answer is still the same answer.
    batch[1].Suspect.clear();
    BatchOutcome again = StoreOk(batch);
    CHECK(again.Held == std::vector<int64_t>{1, 2});
    CHECK(again.Conflicts.empty());
}

TEST_CASE_FIXTURE(Fixture, "dated answers keep the terminal's stamps for comparing resends") {
    // Head office moved the answer by an hour (answer_dating.hpp); a resend dated a little
    // differently (its age was measured later) is the same answer, a re-stamped one is not.
    const std::vector<IncomingResponse> sent = Items(1, 1);
    auto dated = [&sent](int64_t shift) {
        std::vector<IncomingResponse> batch = sent;
        batch[0].Data.StartedAtMs += shift;
        batch[0].Data.EndedAtMs += shift;
        batch[0].ClockShiftMs = shift;
        return batch;
    };
    std::vector<IncomingResponse> first = dated(3'600'000);
    StoreOk(first);
    CHECK(Db.QueryInt("SELECT count(*) FROM responses WHERE clock_shift_ms = 3600000 AND "
                      "started_at_ms = " +
                      std::to_string(first[0].Data.StartedAtMs)) == 1);
    BatchOutcome again = StoreOk(dated(3'600'900));
    CHECK(again.Held == std::vector<int64_t>{1});
    CHECK(again.Conflicts.empty());
    std::vector<IncomingResponse> restamped = dated(3'600'000);
    restamped[0].Data.EndedAtMs += 1;
    CHECK(StoreOk(restamped).Conflicts.size() == 1);
    CHECK(Count() == 1);
}

TEST_CASE_FIXTURE(Fixture, "the same uuid from two devices is two responses") {
    DeviceRecord other = EnrollDevice(*Store, "porto");
    std::vector<IncomingResponse> batch = Items(1, 1);
    StoreOk(batch);
    Result<BatchOutcome> outcome = Store->StoreBatch(other.DeviceId, batch, kNow);
    REQUIRE(outcome.Ok());
    CHECK(outcome->NewlyStored == 1);
    CHECK(Count() == 2);
}

TEST_CASE_FIXTURE(Fixture, "an item the database refuses is rejected alone; its neighbours stay") {
    std::vector<IncomingResponse> batch = Items(1, 4);
    batch[1].Data.Intent = 11;          // fails a CHECK on the response row
    batch[2].Data.Scores[1].Score = 9;  // fails on a score, after its response row went in
    BatchOutcome outcome = StoreOk(batch);
    CHECK(outcome.Held == std::vector<int64_t>{1, 4});
    REQUIRE(outcome.Rejected.size() == 2);
    CHECK(outcome.Rejected[0].Field == "responses[1]");
    CHECK(outcome.Rejected[0].Status == 400);
    CHECK(outcome.Rejected[1].Field == "responses[2]");
    CHECK(Count() == 2);
    CHECK(Db.QueryInt("SELECT count(*) FROM response_scores") == 6);  // none of seq 3's
}

// SQLite only: the failures come from SQLite's VFS. (On PostgreSQL the server's own WAL and
// the transaction are PostgreSQL's business; a refused item's rollback is tested above.)
TEST_CASE("a write that fails anywhere in a batch leaves none of the batch" *
          DOORSTEP_SQLITE_ONLY) {
    testing::FaultyVfs::Register();
    int failures_seen = 0;
    for (int n = 1;; ++n) {
        CAPTURE(n);
        REQUIRE(n < 500);
        TempDir dir;
        std::string path = dir.File("server.db");
        std::unique_ptr<SqliteServerStore> store =
            OpenStore(path, StoreOpenOptions{.SqliteVfs = testing::FaultyVfs::kName});
        DeviceRecord device = EnrollDevice(*store);

        testing::FaultyVfs::FailWritesAfter(n);
        Result<BatchOutcome> outcome = store->StoreBatch(device.DeviceId, Items(1, 20), kNow);
        testing::FaultyVfs::Heal();
        if (outcome.Ok()) {
            CHECK(outcome->NewlyStored == 20);
            CHECK(*store->CountResponses() == 20);
            CHECK(failures_seen > 0);
            break;
        }
        ++failures_seen;
        // The connection that failed sees nothing of the batch ...
        CHECK(*store->CountResponses() == 0);
        store.reset();
        // ... and neither does a fresh one, after recovery. (A failed fsync after every frame of
        // the commit reached the WAL may still surface the whole batch on recovery: never part
        // of it. The kiosk was told "failed", re-sends, and the server acks without a copy.)
        std::unique_ptr<SqliteServerStore> reopened = OpenStore(path);
        int64_t count = *reopened->CountResponses();
        CHECK((count == 0 || count == 20));
        RawDb raw(path);
        CHECK(raw.QueryInt("SELECT count(*) FROM response_scores") == count * 3);
        CHECK(*reopened->IntegrityCheck() == "ok");
    }
    CHECK(testing::FaultyVfs::InjectedFaults() > 0);
}

TEST_CASE("a write that fails while a large batch is still being inserted leaves none of it" *
          DOORSTEP_SQLITE_ONLY) {
    // 1000 answers with long comments do not fit a 512 KiB page cache, so pages spill to the WAL
    // in the middle of the insert loop: the fault then hits an INSERT, not the COMMIT.
    testing::FaultyVfs::Register();
    std::vector<IncomingResponse> batch = Items(1, 1000);
    for (IncomingResponse& item : batch) {
        item.Data.Comment = std::string(1900, 'c');
    }
    bool failed_inside_the_loop = false;
    for (int n : {1, 5, 50, 200}) {
        CAPTURE(n);
        TempDir dir;
        std::string path = dir.File("server.db");
        std::unique_ptr<SqliteServerStore> store = OpenStore(
            path, StoreOpenOptions{.SqliteVfs = testing::FaultyVfs::kName, .PageCacheKiB = 512});
        DeviceRecord device = EnrollDevice(*store);
        testing::FaultyVfs::FailWritesAfter(n);
        Result<BatchOutcome> outcome = store->StoreBatch(device.DeviceId, batch, kNow);
        testing::FaultyVfs::Heal();
        REQUIRE_FALSE(outcome.Ok());
        failed_inside_the_loop |= outcome.Err().Message.find("insert") != std::string::npos;
        CHECK(*store->CountResponses() == 0);
        store.reset();
        std::unique_ptr<SqliteServerStore> reopened = OpenStore(path);
        CHECK(*reopened->CountResponses() == 0);
        CHECK(*reopened->IntegrityCheck() == "ok");
    }
    CHECK(failed_inside_the_loop);
}

TEST_CASE_FIXTURE(
    Fixture, "nonces: a replay within the memory window is refused, older ones are forgotten") {
    CHECK(*Store->RememberNonce(Device.DeviceId, "n1", kNow));
    CHECK_FALSE(*Store->RememberNonce(Device.DeviceId, "n1", kNow + 1000));
    CHECK(*Store->RememberNonce("dev_other", "n1", kNow + 1000));  // per device
    CHECK_FALSE(*Store->RememberNonce(Device.DeviceId, "n1", kNow + protocol::kNonceMemoryMs));
    CHECK(*Store->RememberNonce(Device.DeviceId, "n1", kNow + protocol::kNonceMemoryMs + 1));
    // Device's first n1 was pruned; its new n1 and dev_other's (still young) remain.
    CHECK(Db.QueryInt("SELECT count(*) FROM nonces") == 2);
}

TEST_CASE_FIXTURE(Fixture, "revoking a device keeps its first revocation time and its answers") {
    StoreOk(Items(1, 2));
    CHECK(*Store->RevokeDevice(Device.DeviceId, kNow + 10));
    CHECK(*Store->RevokeDevice(Device.DeviceId, kNow + 20));
    CHECK_FALSE(*Store->RevokeDevice("dev_unknown", kNow));
    std::optional<DeviceRecord> found = *Store->FindDevice(Device.DeviceId);
    REQUIRE(found.has_value());
    CHECK(found->RevokedAtMs == kNow + 10);
    CHECK(Count() == 2);
}

TEST_CASE_FIXTURE(Fixture, "completeness: gaps as ranges, and what the device says it has beyond") {
    std::vector<IncomingResponse> items = Items(1, 10);
    std::vector<IncomingResponse> some;
    for (int64_t seq : {2, 3, 6, 9}) {
        some.push_back(items[seq - 1]);
    }
    StoreOk(some);
    Completeness stored = *Store->DeviceCompleteness(Device.DeviceId);
    CHECK(stored.StoredCount == 4);
    CHECK(stored.HighestStoredSeq == 9);
    CHECK(stored.Missing == SeqRanges{{1, 1}, {4, 5}, {7, 8}});

    Heartbeat beat;
    beat.DeviceId = Device.DeviceId;
    beat.HighestSeq = 12;
    beat.Backlog = 3;
    REQUIRE(Store->SaveHeartbeat(beat, kNow).Ok());
    beat.HighestSeq = 14;  // only the latest heartbeat is kept
    REQUIRE(Store->SaveHeartbeat(beat, kNow + 5).Ok());
    stored = *Store->DeviceCompleteness(Device.DeviceId);
    CHECK(stored.Missing == SeqRanges{{1, 1}, {4, 5}, {7, 8}, {10, 14}});

    std::vector<DeviceOverview> devices = *Store->ListDevices();
    REQUIRE(devices.size() == 1);
    CHECK(devices[0].Device.SecretHex.empty());
    REQUIRE(devices[0].LastHeartbeat.has_value());
    CHECK(devices[0].LastHeartbeat->ReceivedAtMs == kNow + 5);
    CHECK(devices[0].Stored.StoredCount == 4);
}

TEST_CASE("the database file is private, in WAL mode, and refuses a schema from the future" *
          DOORSTEP_SQLITE_ONLY) {
    TempDir dir;
    std::string path = dir.File("nested/server.db");  // a missing parent directory is made
    {
        std::unique_ptr<SqliteServerStore> store = OpenStore(path);
        CHECK(store->SchemaVersion() >= 1);
    }
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    {
        RawDb raw(path);
        CHECK(raw.QueryInt("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") ==
              1);
        raw.Exec("PRAGMA user_version = 999");
    }
    Result<std::unique_ptr<SqliteServerStore>> future = SqliteServerStore::Open(path);
    REQUIRE_FALSE(future.Ok());
    CHECK(future.Err().Message.find("999") != std::string::npos);
}

TEST_CASE("a version 1 database is migrated: its answers stay and a re-send is still recognised" *
          DOORSTEP_SQLITE_ONLY) {
    TempDir dir;
    std::string path = dir.File("server.db");
    Response held = SampleResponse(4);  // intent 4; scores speed 5, clean 5, advice 2
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        std::string v1 =
            std::string(kServerMigrations[0].Sql) +
            "PRAGMA user_version = 1;"
            "INSERT INTO devices VALUES ('dev-v1', 'lisbon', 'checkout', '" +
            std::string(64, 'a') +
            "', 1, NULL);"
            "INSERT INTO responses VALUES (1, 'dev-v1', 7, '" +
            held.Uuid + "', 'a v1 content hash', 'store-test', 3, 'entrance', 'en', " +
            "'customer', 'completed', '', " + std::to_string(held.StartedAtMs) + ", " +
            std::to_string(held.EndedAtMs) + ", " + std::to_string(held.DurationMs) +
            ", 'speed', 4, 'comment 4', 0, 1);"
            "INSERT INTO response_scores VALUES (1, 'speed', 5, 0), (1, 'clean', 5, 1), "
            "(1, 'advice', 2, 2);";
        CHECK(sqlite3_exec(db, v1.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    std::unique_ptr<SqliteServerStore> store = OpenStore(path);
    CHECK(store->SchemaVersion() == kLatestServerSchemaVersion);
    CHECK(*store->CountResponses() == 1);
    Completeness migrated = *store->DeviceCompleteness("dev-v1");  // counted by the migration
    CHECK(migrated.StoredCount == 1);
    CHECK(migrated.HighestStoredSeq == 7);
    CHECK(migrated.Missing == SeqRanges{{1, 6}});
    {
        RawDb raw(path);
        CHECK(raw.QueryInt("SELECT count(*) FROM pragma_table_info('responses') "
                           "WHERE name = 'content_hash'") == 0);
        // Step 14 summed the terminal's hours into its shard of the fleet's.
        std::string in_shard =
            "SELECT sum(answers) FROM rollup_fleet_hours WHERE need = '' AND shard = " +
            std::to_string(FleetShardOf("dev-v1"));
        CHECK(raw.QueryInt(in_shard.c_str()) == 1);
        CHECK(raw.QueryInt("SELECT sum(score_sum) FROM rollup_fleet_hours WHERE need = ''") == 12);
    }
    Result<BatchOutcome> again =
        store->StoreBatch("dev-v1", {IncomingResponse{0, 7, held, "", 0}}, kNow);
    REQUIRE(again.Ok());
    CHECK(again->Held == std::vector<int64_t>{7});
    CHECK(again->NewlyStored == 0);
    Response changed = held;
    changed.Comment = "edited";
    Result<BatchOutcome> conflict =
        store->StoreBatch("dev-v1", {IncomingResponse{0, 7, changed, "", 0}}, kNow);
    REQUIRE(conflict.Ok());
    REQUIRE(conflict->Conflicts.size() == 1);
    CHECK(conflict->Conflicts[0].Status == 409);
    CHECK(*store->CountResponses() == 1);
}

TEST_CASE("database URLs: sqlite:PATH and postgresql:// open, anything else says what is") {
    TempDir dir;
    Result<std::unique_ptr<ServerStore>> opened = OpenServerStore("sqlite:" + dir.File("s.db"));
    CHECK(opened.Ok());
    for (const char* url : {"mysql://user:pw@host/db", "mysql:x", "sqlite:", "server.db"}) {
        CAPTURE(url);
        Result<std::unique_ptr<ServerStore>> refused = OpenServerStore(url);
        REQUIRE_FALSE(refused.Ok());
        CHECK(refused.Err().Message.find("sqlite:") != std::string::npos);
        CHECK(refused.Err().Message.find("pw") == std::string::npos);
    }
    CHECK_FALSE(StoreUrlProblem("postgresql://user:pw@db.example/doorstep?sslmode=require"));
    CHECK_FALSE(StoreUrlProblem("postgres://localhost/doorstep"));
    // A malformed URL is named without its password, and so is an unreachable server.
    std::optional<std::string> malformed =
        StoreUrlProblem("postgresql://user:pw@localhost/db?nosuchoption=1");
    REQUIRE(malformed.has_value());
    CHECK(malformed->find("nosuchoption") != std::string::npos);
    CHECK(malformed->find("pw") == std::string::npos);
    CHECK(malformed->find("user:***@localhost") != std::string::npos);
    std::optional<std::string> in_query =
        StoreUrlProblem("postgresql://localhost/db?password=hunter2&nosuchoption=1");
    REQUIRE(in_query.has_value());
    CHECK(in_query->find("password=***") != std::string::npos);
    CHECK(in_query->find("hunter2") == std::string::npos);
    Result<std::unique_ptr<ServerStore>> unreachable =
        OpenServerStore("postgresql://user:secretpw@127.0.0.1:1/db?connect_timeout=5");
    REQUIRE_FALSE(unreachable.Ok());
    CHECK(unreachable.Err().Message.find("cannot connect to PostgreSQL at "
                                         "postgresql://user:***@127.0.0.1:1/db") !=
          std::string::npos);
    CHECK(unreachable.Err().Message.find("secretpw") == std::string::npos);
}

}  // namespace doorstep::server
