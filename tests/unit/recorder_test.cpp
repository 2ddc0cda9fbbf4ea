// The recorder: when the store refuses a commit, the answer waits in memory, in order, and
// reaches the file once the disk (or the lock) lets it. Faults come from the "faulty" VFS.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

#include "faulty_vfs.hpp"
#include "kiosk/store/recorder.hpp"
#include "store_fixtures.hpp"

namespace doorstep {
namespace {

using testing::FaultKind;
using testing::FaultyVfs;
using testing::RawDb;
using testing::SampleResponse;
using testing::TempDir;

std::unique_ptr<Store> OpenFaulty(const std::string& path) {
    FaultyVfs::Register();
    Result<std::unique_ptr<Store>> store = Store::Open(path, {.Vfs = FaultyVfs::kName});
    INFO((store.Ok() ? std::string() : store.Err().Message));
    REQUIRE(store.Ok());
    return std::move(*store);
}

int64_t SeqOf(const Store& store, const std::string& uuid) {
    Result<std::optional<StoredResponse>> found = store.FindByUuid(uuid);
    REQUIRE(found.Ok());
    REQUIRE(found->has_value());
    return (*found)->Seq;
}

int64_t Count(const Store& store) {
    Result<int64_t> count = store.CountResponses();
    REQUIRE(count.Ok());
    return *count;
}

// Heals the VFS even when an assertion ends the test early, so no fault leaks into the next test.
struct HealOnExit {
    ~HealOnExit() { FaultyVfs::Heal(); }
};

}  // namespace

TEST_CASE("Recorder: a durable commit reports its seq") {
    TempDir dir;
    std::unique_ptr<Store> store = OpenFaulty(dir.File("store.db"));
    ResponseRecorder recorder(*store);
    Response response = SampleResponse(1);
    RecordOutcome outcome = recorder.Record(response);
    CHECK(outcome.Durable);
    CHECK_FALSE(outcome.Held);
    CHECK(outcome.Seq == SeqOf(*store, response.Uuid));
    CHECK(recorder.PendingCount() == 0);
    CHECK(recorder.FailedCommitCount() == 0);
    CHECK(recorder.LastError().empty());
}

TEST_CASE("Recorder: a refused commit keeps the response, in order, until RetryPending") {
    TempDir dir;
    std::unique_ptr<Store> store = OpenFaulty(dir.File("store.db"));
    ResponseRecorder recorder(*store);
    HealOnExit heal;
    Response first = SampleResponse(1);
    Response second = SampleResponse(2);

    FaultyVfs::FailWritesAfter(1, FaultKind::DiskFull);
    RecordOutcome first_outcome = recorder.Record(first);
    CHECK_FALSE(first_outcome.Durable);
    CHECK(first_outcome.Held);
    CHECK(recorder.PendingCount() == 1);
    CHECK(recorder.FailedCommitCount() == 1);
    CHECK(recorder.LastError().find("full") != std::string::npos);

    RecordOutcome second_outcome = recorder.Record(second);  // queued behind the first
    CHECK_FALSE(second_outcome.Durable);
    CHECK(second_outcome.Held);
    CHECK(recorder.PendingCount() == 2);
    CHECK(recorder.FailedCommitCount() == 2);

    CHECK_FALSE(recorder.RetryPending().Ok());  // still failing: both stay
    CHECK(recorder.PendingCount() == 2);
    CHECK(recorder.FailedCommitCount() == 3);
    CHECK(Count(*store) == 0);

    FaultyVfs::Heal();
    Status retried = recorder.RetryPending();
    CHECK(retried.Ok());
    CHECK(recorder.PendingCount() == 0);
    CHECK(recorder.LastError().empty());
    CHECK(Count(*store) == 2);
    CHECK(SeqOf(*store, first.Uuid) < SeqOf(*store, second.Uuid));

    RecordOutcome third = recorder.Record(SampleResponse(3));
    CHECK(third.Durable);
    CHECK(third.Seq > SeqOf(*store, second.Uuid));
    CHECK(recorder.FailedCommitCount() == 3);  // a total, not reset by recovery
}

TEST_CASE("Recorder: once the disk recovers, the next Record writes the held ones first") {
    TempDir dir;
    std::unique_ptr<Store> store = OpenFaulty(dir.File("store.db"));
    ResponseRecorder recorder(*store);
    HealOnExit heal;
    Response held = SampleResponse(1);
    Response next = SampleResponse(2);

    FaultyVfs::FailWritesAfter(1);
    CHECK(recorder.Record(held).Held);
    FaultyVfs::Heal();
    RecordOutcome outcome = recorder.Record(next);
    CHECK(outcome.Durable);
    CHECK(recorder.PendingCount() == 0);
    CHECK(outcome.Seq == SeqOf(*store, next.Uuid));
    CHECK(SeqOf(*store, held.Uuid) < outcome.Seq);
}

TEST_CASE("Recorder: a locked database holds the response instead of blocking the UI") {
    TempDir dir;
    std::string path = dir.File("store.db");
    Result<std::unique_ptr<Store>> store = Store::Open(path, {.Vfs = {}, .BusyTimeoutMs = 20});
    REQUIRE(store.Ok());
    ResponseRecorder recorder(**store);
    Response response = SampleResponse(1);
    {
        RawDb other(path);
        REQUIRE(other.Exec("BEGIN EXCLUSIVE") == SQLITE_OK);
        RecordOutcome outcome = recorder.Record(response);
        CHECK(outcome.Held);
        CHECK(recorder.LastError().find("locked") != std::string::npos);
        REQUIRE(other.Exec("ROLLBACK") == SQLITE_OK);
    }
    CHECK(recorder.RetryPending().Ok());
    CHECK(recorder.PendingCount() == 0);
    CHECK(SeqOf(**store, response.Uuid) > 0);
}

TEST_CASE("Recorder: a response the store can never take is logged and not held") {
    TempDir dir;
    std::unique_ptr<Store> store = OpenFaulty(dir.File("store.db"));
    ResponseRecorder recorder(*store);
    Response invalid = SampleResponse(1);
    invalid.Intent = 11;

    RecordOutcome outcome = recorder.Record(invalid);
    CHECK_FALSE(outcome.Durable);
    CHECK_FALSE(outcome.Held);  // holding it would block every later answer
    CHECK(recorder.RefusedCount() == 1);
    CHECK(recorder.PendingCount() == 0);
    CHECK(recorder.Record(SampleResponse(2)).Durable);
}

TEST_CASE("Recorder: a response already in the store under its uuid counts as durable") {
    TempDir dir;
    std::unique_ptr<Store> store = OpenFaulty(dir.File("store.db"));
    ResponseRecorder recorder(*store);
    // As after a commit that reported failure yet reached the file.
    Response response = SampleResponse(1);
    Result<int64_t> seq = store->Append(response);
    REQUIRE(seq.Ok());

    RecordOutcome again = recorder.Record(response);
    CHECK(again.Durable);
    CHECK(again.Seq == *seq);
    CHECK(Count(*store) == 1);

    Response impostor = SampleResponse(2);  // same uuid, different answers: a real conflict
    impostor.Uuid = response.Uuid;
    RecordOutcome refused = recorder.Record(impostor);
    CHECK_FALSE(refused.Durable);
    CHECK(recorder.RefusedCount() == 1);
    CHECK(Count(*store) == 1);
}

TEST_CASE("Recorder: a response without a uuid is given one") {
    TempDir dir;
    std::unique_ptr<Store> store = OpenFaulty(dir.File("store.db"));
    ResponseRecorder recorder(*store);
    Response response = SampleResponse(1);
    response.Uuid.clear();
    REQUIRE(recorder.Record(response).Durable);
    Result<std::vector<StoredResponse>> rows = store->ReadFrom(0, 10);
    REQUIRE(rows.Ok());
    REQUIRE(rows->size() == 1);
    CHECK(IsUuid(rows->front().Data.Uuid));
}

// A whole process records through intermittent faults and exits; the file it leaves holds every
// response it was given, in recording order.
TEST_CASE("Recorder: nothing is lost across intermittent write failures (child process)") {
    TempDir dir;
    std::string path = dir.File("store.db");
    constexpr int kResponses = 60;
    std::vector<Response> responses;
    for (int i = 0; i < kResponses; ++i) {
        responses.push_back(SampleResponse(i));
    }

    FaultyVfs::Register();
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // No doctest assertions here: only the exit status speaks.
        Result<std::unique_ptr<Store>> store = Store::Open(path, {.Vfs = FaultyVfs::kName});
        if (!store.Ok()) {
            _exit(2);
        }
        ResponseRecorder recorder(**store);
        for (int i = 0; i < kResponses; ++i) {
            if (i % 7 == 3) {
                FaultyVfs::FailWritesAfter(1 + i % 4,
                                           i % 2 == 0 ? FaultKind::IoError : FaultKind::DiskFull);
            }
            if (i % 7 == 6) {
                FaultyVfs::Heal();
            }
            recorder.Record(responses[i]);
        }
        FaultyVfs::Heal();
        bool flushed = recorder.RetryPending().Ok() && recorder.PendingCount() == 0;
        bool faults_seen = recorder.FailedCommitCount() > 0;
        _exit(flushed && faults_seen ? 0 : 3);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);

    Result<std::unique_ptr<Store>> store = Store::Open(path);
    REQUIRE(store.Ok());
    CHECK(Count(**store) == kResponses);
    Result<std::vector<StoredResponse>> rows = (*store)->ReadFrom(0, kResponses + 1);
    REQUIRE(rows.Ok());
    REQUIRE(rows->size() == static_cast<size_t>(kResponses));
    for (int i = 0; i < kResponses; ++i) {
        CHECK(rows->at(i).Data == responses[i]);  // seq order == recording order
    }
    Result<std::string> integrity = (*store)->IntegrityCheck();
    REQUIRE(integrity.Ok());
    CHECK(*integrity == "ok");
}

}  // namespace doorstep
