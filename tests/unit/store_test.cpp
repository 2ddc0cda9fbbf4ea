// The local store, on real files: durability settings, verbatim round trips, sequence numbers,
// atomicity, migrations, and what a failing disk or a locked file does to it.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>
#include <set>

#include "core/base/clock.hpp"
#include "faulty_vfs.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/store/store_schema.hpp"
#include "store_fixtures.hpp"

namespace doorstep {
namespace {

using testing::FaultKind;
using testing::FaultyVfs;
using testing::RawDb;
using testing::SampleResponse;
using testing::TempDir;

std::unique_ptr<Store> OpenOrFail(const std::string& path, StoreOptions options = {}) {
    Result<std::unique_ptr<Store>> store = Store::Open(path, options);
    INFO((store.Ok() ? std::string() : store.Err().Message));
    REQUIRE(store.Ok());
    return std::move(*store);
}

unsigned FileMode(const std::string& path) {
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    return info.st_mode & 0777;
}

int64_t Count(const Store& store) {
    Result<int64_t> count = store.CountResponses();
    REQUIRE(count.Ok());
    return *count;
}

std::string Integrity(const Store& store) {
    Result<std::string> report = store.IntegrityCheck();
    REQUIRE(report.Ok());
    return *report;
}

}  // namespace

TEST_CASE("Store: response uuids are canonical, version 7, time-ordered and distinct") {
    std::set<std::string> seen;
    std::string previous;
    for (int64_t i = 0; i < 1000; ++i) {
        std::string uuid = NewUuidV7(1'700'000'000'000 + i);
        REQUIRE(IsUuid(uuid));
        CHECK(uuid[14] == '7');                                                    // version
        CHECK(std::string_view("89ab").find(uuid[19]) != std::string_view::npos);  // variant
        CHECK(uuid > previous);  // a later millisecond sorts later, as text
        previous = uuid;
        seen.insert(uuid);
    }
    CHECK(seen.size() == 1000);
    // The first 48 bits are the Unix time in milliseconds: 1700000000000 = 0x018bcfe56800.
    CHECK(NewUuidV7(1'700'000'000'000).substr(0, 13) == "018bcfe5-6800");
    CHECK(NewUuidV7(WallClockMs()).size() == 36);
    CHECK(IsUuid("123e4567-e89b-42d3-a456-426614174000"));
    CHECK_FALSE(IsUuid("123E4567-E89B-42D3-A456-426614174000"));  // upper case
    CHECK_FALSE(IsUuid("123e4567e89b-42d3-a456-426614174000-"));  // hyphens misplaced
    CHECK_FALSE(IsUuid("123e4567-e89b-42d3-a456-42661417400"));   // too short
    CHECK_FALSE(IsUuid("123e4567-e89b-42d3-a456-42661417400g"));  // not hex
    CHECK_FALSE(IsUuid(""));
}

TEST_CASE("Store: open creates a private file in WAL mode with synchronous=FULL") {
    TempDir dir;
    std::string path = dir.File("store.db");
    std::unique_ptr<Store> store = OpenOrFail(path);

    CHECK(FileMode(path) == 0600);
    CHECK(store->SchemaVersion() == kLatestSchemaVersion);
    Result<StoreSettings> settings = store->Settings();
    REQUIRE(settings.Ok());
    CHECK(settings->JournalMode == "wal");
    CHECK(settings->Synchronous == 2);  // FULL
    CHECK(settings->ForeignKeys);

    // SQLite gives the WAL and shared-memory files the main file's mode.
    REQUIRE(store->Append(SampleResponse()).Ok());
    CHECK(FileMode(path + "-wal") == 0600);
    CHECK(FileMode(path + "-shm") == 0600);
}

TEST_CASE("Store: open tightens an existing file to 0600") {
    TempDir dir;
    std::string path = dir.File("store.db");
    OpenOrFail(path).reset();
    REQUIRE(::chmod(path.c_str(), 0644) == 0);
    std::unique_ptr<Store> store = OpenOrFail(path);
    CHECK(FileMode(path) == 0600);
}

TEST_CASE("Store: a file that is not a database is refused with a clear error") {
    TempDir dir;
    std::string path = dir.File("store.db");
    std::ofstream(path) << "this is not an SQLite database, just some text long enough to be read";
    Result<std::unique_ptr<Store>> store = Store::Open(path);
    REQUIRE_FALSE(store.Ok());
    CHECK(store.Err().Message.find(path) != std::string::npos);
    CHECK(store.Err().Message.find("not a database") != std::string::npos);
    CHECK(store.Err().Code == SQLITE_NOTADB);
}

TEST_CASE("Store: every field round-trips verbatim") {
    TempDir dir;
    std::unique_ptr<Store> store = OpenOrFail(dir.File("store.db"));

    Response full = SampleResponse(7);
    full.Kind = ResponseKind::Staff;
    full.Door = "'); DROP TABLE responses;--";
    full.LeastMet = "clean";
    full.Intent = 0;  // a real answer, not "none"
    full.Comment = "Très bien — 很好 👍\n\"quoted\" 'single' ; DROP TABLE response_scores; --";
    full.Synthetic = true;

    Response sparse = SampleResponse(8);
    sparse.Status = ResponseStatus::Abandoned;
    sparse.AbandonedAt = "need:clean";
    sparse.Scores = {{"speed", 4}};
    sparse.LeastMet.clear();
    sparse.Intent.reset();
    sparse.Comment.clear();

    Result<int64_t> full_seq = store->Append(full);
    Result<int64_t> sparse_seq = store->Append(sparse);
    REQUIRE(full_seq.Ok());
    REQUIRE(sparse_seq.Ok());

    Result<std::vector<StoredResponse>> rows = store->ReadFrom(0, 10);
    REQUIRE(rows.Ok());
    REQUIRE(rows->size() == 2);
    CHECK(rows->at(0).Seq == *full_seq);
    CHECK(rows->at(0).Sync == SyncState::Pending);
    CHECK(rows->at(0).Data == full);
    CHECK(rows->at(1).Seq == *sparse_seq);
    CHECK(rows->at(1).Data == sparse);
    CHECK_FALSE(rows->at(1).Data.Intent.has_value());

    Result<std::optional<StoredResponse>> found = store->FindByUuid(full.Uuid);
    REQUIRE(found.Ok());
    REQUIRE(found->has_value());
    CHECK((*found)->Data == full);
    Result<std::optional<StoredResponse>> missing = store->FindByUuid(NewUuidV7(WallClockMs()));
    REQUIRE(missing.Ok());
    CHECK_FALSE(missing->has_value());

    CHECK(Count(*store) == 2);
    Result<int64_t> abandoned = store->CountResponses(ResponseStatus::Abandoned);
    REQUIRE(abandoned.Ok());
    CHECK(*abandoned == 1);

    Result<std::vector<StoredResponse>> after_first = store->ReadFrom(*full_seq, 10);
    REQUIRE(after_first.Ok());
    REQUIRE(after_first->size() == 1);
    CHECK(after_first->front().Data == sparse);
    Result<std::vector<StoredResponse>> limited = store->ReadFrom(0, 1);
    REQUIRE(limited.Ok());
    REQUIRE(limited->size() == 1);
    CHECK(limited->front().Data.Scores == full.Scores);
}

TEST_CASE("Store: seq is strictly increasing across reopen and after the newest row is deleted") {
    TempDir dir;
    std::string path = dir.File("store.db");
    int64_t last = 0;
    {
        std::unique_ptr<Store> store = OpenOrFail(path);
        for (int i = 0; i < 3; ++i) {
            Result<int64_t> seq = store->Append(SampleResponse(i));
            REQUIRE(seq.Ok());
            CHECK(*seq > last);
            last = *seq;
        }
    }
    {
        std::unique_ptr<Store> store = OpenOrFail(path);
        Result<int64_t> seq = store->Append(SampleResponse(3));
        REQUIRE(seq.Ok());
        CHECK(*seq > last);
        last = *seq;
    }
    {
        // As pruning will: the newest row goes, and its scores with it.
        RawDb raw(path);
        REQUIRE(raw.Exec("PRAGMA foreign_keys=ON") == SQLITE_OK);
        std::string sql = "DELETE FROM responses WHERE seq = " + std::to_string(last);
        REQUIRE(raw.Exec(sql.c_str()) == SQLITE_OK);
        std::string scores =
            "SELECT count(*) FROM response_scores WHERE seq = " + std::to_string(last);
        CHECK(raw.QueryInt(scores.c_str()) == 0);
    }
    std::unique_ptr<Store> store = OpenOrFail(path);
    Result<int64_t> seq = store->Append(SampleResponse(4));
    REQUIRE(seq.Ok());
    CHECK(*seq > last);  // never reused
}

TEST_CASE("Store: a duplicate uuid is refused and nothing is half-written") {
    TempDir dir;
    std::string path = dir.File("store.db");
    std::unique_ptr<Store> store = OpenOrFail(path);
    Response original = SampleResponse(1);
    REQUIRE(store->Append(original).Ok());

    Response copy = SampleResponse(2);
    copy.Uuid = original.Uuid;
    copy.Scores = {{"queue", 3}};
    Result<int64_t> refused = store->Append(copy);
    REQUIRE_FALSE(refused.Ok());
    CHECK(refused.Err().Code == SQLITE_CONSTRAINT);
    CHECK(refused.Err().Message.find("insert response") != std::string::npos);
    CHECK(refused.Err().Message.find("UNIQUE") != std::string::npos);

    CHECK(Count(*store) == 1);
    RawDb raw(path);
    CHECK(raw.QueryInt("SELECT count(*) FROM response_scores") == 3);
    CHECK(raw.QueryInt("SELECT count(*) FROM response_scores WHERE need = 'queue'") == 0);
    Result<std::optional<StoredResponse>> found = store->FindByUuid(original.Uuid);
    REQUIRE(found.Ok());
    REQUIRE(found->has_value());
    CHECK((*found)->Data == original);
}

TEST_CASE("Store: a response whose scores cannot be written is not stored at all") {
    TempDir dir;
    std::string path = dir.File("store.db");
    std::unique_ptr<Store> store = OpenOrFail(path);
    Response response = SampleResponse(1);
    response.Scores.push_back({"speed", 2});  // the same need twice: fails after the row went in

    Result<int64_t> refused = store->Append(response);
    REQUIRE_FALSE(refused.Ok());
    CHECK(refused.Err().Message.find("insert response score") != std::string::npos);
    CHECK(Count(*store) == 0);
    RawDb raw(path);
    CHECK(raw.QueryInt("SELECT count(*) FROM response_scores") == 0);
}

TEST_CASE("Store: invalid responses are refused with the field named") {
    TempDir dir;
    std::unique_ptr<Store> store = OpenOrFail(dir.File("store.db"));
    Response bad_uuid = SampleResponse();
    bad_uuid.Uuid = "not-a-uuid";
    Response bad_intent = SampleResponse();
    bad_intent.Intent = 11;
    Response bad_score = SampleResponse();
    bad_score.Scores[1].Score = 6;

    Result<int64_t> uuid_result = store->Append(bad_uuid);
    Result<int64_t> intent_result = store->Append(bad_intent);
    Result<int64_t> score_result = store->Append(bad_score);
    REQUIRE_FALSE(uuid_result.Ok());
    REQUIRE_FALSE(intent_result.Ok());
    REQUIRE_FALSE(score_result.Ok());
    CHECK(uuid_result.Err().Message.find("uuid") != std::string::npos);
    CHECK(intent_result.Err().Message.find("intent 11") != std::string::npos);
    CHECK(score_result.Err().Message.find("'clean'") != std::string::npos);
    CHECK(Count(*store) == 0);
}

TEST_CASE("Store: AppendBatch is all or nothing") {
    TempDir dir;
    std::string path = dir.File("store.db");
    std::unique_ptr<Store> store = OpenOrFail(path);
    std::vector<Response> batch = {SampleResponse(1), SampleResponse(2), SampleResponse(3)};

    SUBCASE("an invalid row stores none") {
        batch[2].Intent = 11;
        CHECK_FALSE(store->AppendBatch(batch).Ok());
        CHECK(Count(*store) == 0);
    }
    SUBCASE("a row refused by the database half way stores none") {
        batch[2].Uuid = batch[0].Uuid;  // passes validation, fails on insert after two rows
        Result<std::vector<int64_t>> result = store->AppendBatch(batch);
        REQUIRE_FALSE(result.Ok());
        CHECK(result.Err().Code == SQLITE_CONSTRAINT);
        CHECK(Count(*store) == 0);
        RawDb raw(path);
        CHECK(raw.QueryInt("SELECT count(*) FROM response_scores") == 0);
    }
    SUBCASE("a valid batch stores all, in order") {
        Result<std::vector<int64_t>> seqs = store->AppendBatch(batch);
        REQUIRE(seqs.Ok());
        REQUIRE(seqs->size() == 3);
        CHECK(seqs->at(0) < seqs->at(1));
        CHECK(seqs->at(1) < seqs->at(2));
        Result<std::vector<StoredResponse>> rows = store->ReadFrom(0, 10);
        REQUIRE(rows.Ok());
        REQUIRE(rows->size() == 3);
        for (size_t i = 0; i < 3; ++i) {
            CHECK(rows->at(i).Data == batch[i]);
        }
    }
}

TEST_CASE("Store: a file with a newer schema version is refused with a clear message") {
    TempDir dir;
    std::string path = dir.File("store.db");
    OpenOrFail(path).reset();
    std::string newer = std::to_string(kLatestSchemaVersion + 1);
    {
        RawDb raw(path);
        REQUIRE(raw.Exec(("PRAGMA user_version = " + newer).c_str()) == SQLITE_OK);
    }
    Result<std::unique_ptr<Store>> store = Store::Open(path);
    REQUIRE_FALSE(store.Ok());
    const std::string& message = store.Err().Message;
    CHECK(message.find("schema version " + newer) != std::string::npos);
    CHECK(message.find("newer Doorstep") != std::string::npos);
    RawDb raw(path);
    CHECK(raw.QueryInt("PRAGMA user_version") == kLatestSchemaVersion + 1);  // left as it was
}

TEST_CASE("Store: survey definitions are kept and the latest is returned") {
    TempDir dir;
    std::string path = dir.File("store.db");
    {
        std::unique_ptr<Store> store = OpenOrFail(path);
        Result<std::optional<std::string>> none = store->LatestSurveyJson();
        REQUIRE(none.Ok());
        CHECK_FALSE(none->has_value());
        REQUIRE(store->SaveSurvey("default", 1, R"({"version": 1})").Ok());
        REQUIRE(store->SaveSurvey("default", 2, R"({"version": 2, "text": "é"})").Ok());
    }
    std::unique_ptr<Store> store = OpenOrFail(path);
    Result<std::optional<std::string>> latest = store->LatestSurveyJson();
    REQUIRE(latest.Ok());
    REQUIRE(latest->has_value());
    CHECK(**latest == R"({"version": 2, "text": "é"})");
}

TEST_CASE("Store: integrity_check reports ok on a used store") {
    TempDir dir;
    std::unique_ptr<Store> store = OpenOrFail(dir.File("store.db"));
    CHECK(Integrity(*store) == "ok");
    for (int i = 0; i < 50; ++i) {
        REQUIRE(store->Append(SampleResponse(i)).Ok());
    }
    CHECK(Integrity(*store) == "ok");
}

TEST_CASE("Store: an injected write failure leaves no partial row and a sound file") {
    FaultyVfs::Register();
    TempDir dir;
    std::string path = dir.File("store.db");
    FaultKind kind = FaultKind::IoError;
    int expected_code = SQLITE_IOERR;
    SUBCASE("I/O error") {}
    SUBCASE("disk full") {
        kind = FaultKind::DiskFull;
        expected_code = SQLITE_FULL;
    }
    std::unique_ptr<Store> store = OpenOrFail(path, {.Vfs = FaultyVfs::kName});
    Response kept = SampleResponse(1);
    Result<int64_t> kept_seq = store->Append(kept);
    REQUIRE(kept_seq.Ok());

    int faults_before = FaultyVfs::InjectedFaults();
    Response lost = SampleResponse(2);
    FaultyVfs::FailWritesAfter(1, kind);
    Result<int64_t> failed = store->Append(lost);
    FaultyVfs::Heal();
    REQUIRE_FALSE(failed.Ok());
    CHECK(FaultyVfs::InjectedFaults() > faults_before);
    CHECK(failed.Err().Code == expected_code);
    CHECK(failed.Err().Message.find("append response") != std::string::npos);

    CHECK(Count(*store) == 1);
    Result<std::optional<StoredResponse>> absent = store->FindByUuid(lost.Uuid);
    REQUIRE(absent.Ok());
    CHECK_FALSE(absent->has_value());
    CHECK(Integrity(*store) == "ok");

    // The same connection works again once the disk does.
    Result<int64_t> retried = store->Append(lost);
    REQUIRE(retried.Ok());
    CHECK(*retried > *kept_seq);
    store.reset();
    std::unique_ptr<Store> reopened = OpenOrFail(path);
    CHECK(Count(*reopened) == 2);
    CHECK(Integrity(*reopened) == "ok");
}

// As SQLite's ioerr.test does: fail the 1st, 2nd, ... write-type call of an Append until one
// Append gets through untouched. Each time the response is stored whole or not at all.
TEST_CASE("Store: failing the N-th write of an Append, for every N, never leaves a partial row") {
    FaultyVfs::Register();
    bool got_through = false;
    for (int n = 1; n < 50 && !got_through; ++n) {
        CAPTURE(n);
        TempDir dir;
        std::string path = dir.File("store.db");
        std::unique_ptr<Store> store = OpenOrFail(path, {.Vfs = FaultyVfs::kName});
        REQUIRE(store->Append(SampleResponse(0)).Ok());

        Response response = SampleResponse(n);
        int faults_before = FaultyVfs::InjectedFaults();
        FaultyVfs::FailWritesAfter(n);
        Result<int64_t> result = store->Append(response);
        FaultyVfs::Heal();
        bool faulted = FaultyVfs::InjectedFaults() > faults_before;

        Result<std::optional<StoredResponse>> found = store->FindByUuid(response.Uuid);
        REQUIRE(found.Ok());
        CHECK(found->has_value() == result.Ok());
        if (found->has_value()) {
            CHECK((*found)->Data == response);
        }
        CHECK(Integrity(*store) == "ok");
        store.reset();

        // After a restart the file is sound and holds the response whole, or not at all.
        std::unique_ptr<Store> reopened = OpenOrFail(path);
        CHECK(Integrity(*reopened) == "ok");
        Result<std::optional<StoredResponse>> after = reopened->FindByUuid(response.Uuid);
        REQUIRE(after.Ok());
        if (after->has_value()) {
            CHECK((*after)->Data == response);
        }
        RawDb raw(path);
        CHECK(raw.QueryInt("SELECT count(*) FROM response_scores") == 3 * Count(*reopened));
        if (!faulted) {
            CHECK(result.Ok());
            CHECK(n > 1);  // at least one write was failed before this
            got_through = true;
        }
    }
    CHECK(got_through);
}

TEST_CASE("Store: a locked database makes Append fail after the busy timeout, not hang") {
    TempDir dir;
    std::string path = dir.File("store.db");
    std::unique_ptr<Store> store = OpenOrFail(path, {.Vfs = {}, .BusyTimeoutMs = 50});
    REQUIRE(store->Append(SampleResponse(1)).Ok());

    RawDb other(path);
    REQUIRE(other.Exec("BEGIN EXCLUSIVE") == SQLITE_OK);
    Result<int64_t> blocked = store->Append(SampleResponse(2));
    REQUIRE_FALSE(blocked.Ok());
    CHECK(blocked.Err().Code == SQLITE_BUSY);
    CHECK(blocked.Err().Message.find("locked") != std::string::npos);
    CHECK(Count(*store) == 1);  // WAL: reading goes on while another connection writes

    REQUIRE(other.Exec("COMMIT") == SQLITE_OK);
    CHECK(store->Append(SampleResponse(3)).Ok());
    CHECK(Count(*store) == 2);
}

}  // namespace doorstep
