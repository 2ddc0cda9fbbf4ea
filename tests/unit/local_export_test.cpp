// The terminal's CSV export: exact output for known rows, text that must come back unchanged,
// formula injection, progress and cancel, and the ways the destination can refuse the file.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/base/csv.hpp"
#include "kiosk/store/local_export.hpp"
#include "kiosk/store/store.hpp"
#include "store_fixtures.hpp"

using namespace doorstep;
using doorstep::testing::RawDb;
using doorstep::testing::SampleResponse;
using doorstep::testing::TempDir;

namespace {

using Records = std::vector<std::vector<std::string>>;

std::unique_ptr<Store> OpenStore(const TempDir& dir) {
    Result<std::unique_ptr<Store>> store = Store::Open(dir.File("kiosk.db"));
    REQUIRE(store.Ok());
    return std::move(*store);
}

std::string ReadAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The store may carry suspect_reason (a later schema step) or not; the export follows it.
bool HasSuspectColumn(const TempDir& dir) {
    RawDb raw(dir.File("kiosk.db"));
    return raw.QueryInt(
               "SELECT count(*) FROM pragma_table_info('responses') WHERE name = "
               "'suspect_reason'") > 0;
}

Records ExportAndParse(const TempDir& dir) {
    REQUIRE(ExportResponsesCsv(dir.File("kiosk.db"), dir.File("out.csv"), nullptr).Ok());
    std::optional<Records> records = ParseCsv(ReadAll(dir.File("out.csv")));
    REQUIRE(records.has_value());
    return *records;
}

size_t ColumnOf(const Records& records, const std::string& name) {
    const std::vector<std::string>& header = records.at(0);
    auto found = std::find(header.begin(), header.end(), name);
    REQUIRE(found != header.end());
    return static_cast<size_t>(found - header.begin());
}

Response WithComment(int n, const std::string& comment) {
    Response response = SampleResponse(n);
    response.Comment = comment;
    return response;
}

}  // namespace

TEST_CASE("terminal export: known rows become exactly this CSV") {
    TempDir dir;
    auto store = OpenStore(dir);
    Response customer;
    customer.Uuid = "0b7e5a52-2f1c-4c61-9d35-6a1a1d1f0a01";
    customer.SurveyId = "default";
    customer.SurveyVersion = 3;
    customer.Door = "entrance";
    customer.Language = "el";
    customer.StartedAtMs = 1'790'000'000'000;
    customer.EndedAtMs = 1'790'000'042'000;
    customer.DurationMs = 41'500;
    customer.Scores = {{"control", 2}, {"trust", 4}, {"speed", 5}};
    customer.LeastMet = "control";
    customer.Intent = 9;
    customer.Comment = "fine, \"thanks\"";
    Response staff;
    staff.Uuid = "0b7e5a52-2f1c-4c61-9d35-6a1a1d1f0a02";
    staff.SurveyId = "default";
    staff.SurveyVersion = 3;
    staff.Door = "checkout";
    staff.Language = "en";
    staff.Kind = ResponseKind::Staff;
    staff.Status = ResponseStatus::Abandoned;
    staff.AbandonedAt = "least_met";
    staff.StartedAtMs = 1'790'000'123'456;
    staff.EndedAtMs = 1'790'000'150'000;
    staff.DurationMs = 26'544;
    staff.Scores = {{"advice", 1}};
    staff.Synthetic = true;
    REQUIRE(store->Append(customer).Ok());
    REQUIRE(store->Append(staff).Ok());
    REQUIRE(store->ApplySyncOutcome({{1}, {}, {}}, 1'790'000'200'000).Ok());

    REQUIRE(ExportResponsesCsv(store->Path(), dir.File("out.csv"), nullptr).Ok());
    const bool suspect = HasSuspectColumn(dir);
    std::string expected =
        "seq,uuid,kind,status,abandoned_at,survey_id,survey_version,door,lang,started_at,"
        "ended_at,duration_ms,score_trust,score_control,score_support,score_flexibility,"
        "score_balance,score_advice,score_speed,least_met,intent,comment,synthetic,sync_state" +
        std::string(suspect ? ",suspect_reason" : "") + "\r\n" +
        "1,0b7e5a52-2f1c-4c61-9d35-6a1a1d1f0a01,customer,completed,,default,3,entrance,el,"
        "2026-09-21T14:13:20.000Z,2026-09-21T14:14:02.000Z,41500,4,2,,,,,5,control,9,"
        "\"fine, \"\"thanks\"\"\",false,synced" +
        std::string(suspect ? "," : "") + "\r\n" +
        "2,0b7e5a52-2f1c-4c61-9d35-6a1a1d1f0a02,staff,abandoned,least_met,default,3,checkout,en,"
        "2026-09-21T14:15:23.456Z,2026-09-21T14:15:50.000Z,26544,,,,,,1,,,,,true,pending" +
        std::string(suspect ? "," : "") + "\r\n";
    CHECK(ReadAll(dir.File("out.csv")) == expected);
}

TEST_CASE("terminal export: an empty store still has the header and the five standard needs") {
    TempDir dir;
    auto store = OpenStore(dir);
    Records records = ExportAndParse(dir);
    REQUIRE(records.size() == 1);
    CHECK(records[0] == LocalExportHeader({"trust", "control", "support", "flexibility", "balance"},
                                          HasSuspectColumn(dir)));
}

TEST_CASE(
    "terminal export: comments with commas, quotes, line breaks and Greek come back exactly") {
    TempDir dir;
    auto store = OpenStore(dir);
    const std::vector<std::string> comments = {
        "plain",
        "commas, and more, commas",
        "she said \"no\", twice \"\"",
        "line one\nline two\r\nline three\r",
        "Πολύ καλή εξυπηρέτηση, «ευχαριστώ»\nκαι \"ξανά\"",
        "",
        "trailing comma,",
    };
    for (size_t i = 0; i < comments.size(); ++i) {
        REQUIRE(store->Append(WithComment(static_cast<int>(i), comments[i])).Ok());
    }
    Records records = ExportAndParse(dir);
    REQUIRE(records.size() == comments.size() + 1);
    size_t comment = ColumnOf(records, "comment");
    for (size_t i = 0; i < comments.size(); ++i) {
        CAPTURE(i);
        CHECK(records[i + 1].size() == records[0].size());
        CHECK(records[i + 1][comment] == comments[i]);
    }
}

TEST_CASE("terminal export: text that a spreadsheet would run as a formula is neutralised") {
    TempDir dir;
    auto store = OpenStore(dir);
    const std::vector<std::string> comments = {
        "=HYPERLINK(\"http://x.example\",\"click\")", "+1", "-2", "@SUM(A1:A9)", "\tcmd", "\r=1+1"};
    for (size_t i = 0; i < comments.size(); ++i) {
        REQUIRE(store->Append(WithComment(static_cast<int>(i), comments[i])).Ok());
    }
    Response door = SampleResponse(99);
    door.Door = "=cmd|' /C calc'!A0";
    REQUIRE(store->Append(door).Ok());
    Records records = ExportAndParse(dir);
    size_t comment = ColumnOf(records, "comment");
    for (size_t i = 0; i < comments.size(); ++i) {
        CHECK(records[i + 1][comment] == "'" + comments[i]);
    }
    CHECK(records.back()[ColumnOf(records, "door")] == "'" + door.Door);
    // Values the terminal writes itself are never prefixed.
    CHECK(records[1][ColumnOf(records, "intent")] == "0");
    CHECK(records[1][ColumnOf(records, "started_at")].rfind("2026-", 0) == 0);
}

TEST_CASE("terminal export: progress comes per chunk, and a cancel leaves no file") {
    TempDir dir;
    auto store = OpenStore(dir);
    std::vector<Response> batch;
    for (int i = 0; i < 4500; ++i) {
        batch.push_back(SampleResponse(i));
    }
    REQUIRE(store->AppendBatch(batch).Ok());

    std::vector<std::pair<int64_t, int64_t>> calls;
    Status exported =
        ExportResponsesCsv(store->Path(), dir.File("all.csv"), [&](int64_t done, int64_t total) {
            calls.emplace_back(done, total);
            return true;
        });
    REQUIRE(exported.Ok());
    CHECK(calls == std::vector<std::pair<int64_t, int64_t>>{
                       {0, 4500}, {2000, 4500}, {4000, 4500}, {4500, 4500}});
    std::optional<Records> all = ParseCsv(ReadAll(dir.File("all.csv")));
    REQUIRE(all.has_value());
    CHECK(all->size() == 4501);
    CHECK(all->back()[0] == "4500");

    int calls_before_cancel = 0;
    Status cancelled =
        ExportResponsesCsv(store->Path(), dir.File("cancelled.csv"),
                           [&](int64_t, int64_t) { return ++calls_before_cancel < 2; });
    REQUIRE_FALSE(cancelled.Ok());
    CHECK(cancelled.Err().Code == ECANCELED);
    CHECK(calls_before_cancel == 2);
    CHECK_FALSE(std::filesystem::exists(dir.File("cancelled.csv")));
    CHECK_FALSE(std::filesystem::exists(dir.File("cancelled.csv.partial")));

    // Cancelling over an earlier export leaves that one as it was.
    std::string before = ReadAll(dir.File("all.csv"));
    REQUIRE_FALSE(ExportResponsesCsv(store->Path(), dir.File("all.csv"), [](int64_t, int64_t) {
                      return false;
                  }).Ok());
    CHECK(ReadAll(dir.File("all.csv")) == before);
}

TEST_CASE("terminal export: the file is private (0600), even over a wider older file") {
    TempDir dir;
    auto store = OpenStore(dir);
    REQUIRE(store->Append(SampleResponse(1)).Ok());
    std::ofstream(dir.File("out.csv.partial")) << "stale";
    REQUIRE(::chmod(dir.File("out.csv.partial").c_str(), 0666) == 0);
    REQUIRE(ExportResponsesCsv(store->Path(), dir.File("out.csv"), nullptr).Ok());
    struct stat info {};
    REQUIRE(::stat(dir.File("out.csv").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK_FALSE(std::filesystem::exists(dir.File("out.csv.partial")));
}

TEST_CASE("terminal export: a directory that cannot take the file is an error naming it") {
    TempDir dir;
    auto store = OpenStore(dir);
    REQUIRE(store->Append(SampleResponse(1)).Ok());

    Status missing = ExportResponsesCsv(store->Path(), dir.File("no/such/dir/out.csv"), nullptr);
    REQUIRE_FALSE(missing.Ok());
    CHECK(missing.Err().Message.find(dir.File("no/such/dir")) != std::string::npos);
    CHECK(missing.Err().Code == ENOENT);

    std::ofstream(dir.File("a-file")) << "not a directory";
    Status not_dir = ExportResponsesCsv(store->Path(), dir.File("a-file/out.csv"), nullptr);
    REQUIRE_FALSE(not_dir.Ok());
    CHECK(not_dir.Err().Message.find(dir.File("a-file")) != std::string::npos);

    if (::geteuid() != 0) {  // root writes anywhere; the permission check means nothing there
        std::filesystem::create_directory(dir.File("locked"));
        REQUIRE(::chmod(dir.File("locked").c_str(), 0500) == 0);
        Status denied = ExportResponsesCsv(store->Path(), dir.File("locked/out.csv"), nullptr);
        REQUIRE_FALSE(denied.Ok());
        CHECK(denied.Err().Message.find(dir.File("locked")) != std::string::npos);
        CHECK(denied.Err().Code == EACCES);
        ::chmod(dir.File("locked").c_str(), 0700);
    }
}

TEST_CASE("terminal export: a disk that stops taking bytes is an error and leaves nothing") {
    TempDir dir;
    auto store = OpenStore(dir);
    std::vector<Response> batch;
    for (int i = 0; i < 200; ++i) {
        batch.push_back(SampleResponse(i));
    }
    REQUIRE(store->AppendBatch(batch).Ok());

    // The file size limit makes write() fail part-way, as a full disk does (EFBIG for ENOSPC).
    struct rlimit saved {};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    void (*saved_handler)(int) = ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = saved;
    small.rlim_cur = 4096;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    Status full = ExportResponsesCsv(store->Path(), dir.File("out.csv"), nullptr);
    ::setrlimit(RLIMIT_FSIZE, &saved);
    ::signal(SIGXFSZ, saved_handler);

    REQUIRE_FALSE(full.Ok());
    CHECK(full.Err().Code == EFBIG);
    CHECK(full.Err().Message.find(dir.File("out.csv")) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.File("out.csv")));
    CHECK_FALSE(std::filesystem::exists(dir.File("out.csv.partial")));
}

TEST_CASE("terminal export: suspect_reason is the last column when the store has it") {
    TempDir dir;
    {
        auto store = OpenStore(dir);
        REQUIRE(store->Append(SampleResponse(1)).Ok());
        REQUIRE(store->Append(SampleResponse(2)).Ok());
    }
    RawDb raw(dir.File("kiosk.db"));
    if (!HasSuspectColumn(dir)) {
        REQUIRE(raw.Exec("ALTER TABLE responses ADD COLUMN suspect_reason TEXT") == 0);
    }
    REQUIRE(raw.Exec("UPDATE responses SET suspect_reason = '=too fast' WHERE seq = 2") == 0);
    Records records = ExportAndParse(dir);
    REQUIRE(records.size() == 3);
    CHECK(records[0].back() == "suspect_reason");
    CHECK(records[1].back() == "");
    CHECK(records[2].back() == "'=too fast");
}

TEST_CASE("terminal export: a missing store is an error, and no file is made") {
    TempDir dir;
    Status missing = ExportResponsesCsv(dir.File("kiosk.db"), dir.File("out.csv"), nullptr);
    REQUIRE_FALSE(missing.Ok());
    CHECK(missing.Err().Message.find(dir.File("kiosk.db")) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.File("out.csv")));
    CHECK_FALSE(std::filesystem::exists(dir.File("kiosk.db")));  // reading never creates one
}
