// CSV: RFC 4180 escaping that any comment survives, formula neutralisation, and the export file
// with its columns, filters and dates.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "core/base/csv.hpp"
#include "server/cli/devices_table.hpp"
#include "server/fleet/enrollment.hpp"
#include "server/reports/export_csv.hpp"
#include "store_fixtures.hpp"
#include "test_database.hpp"

namespace doorstep::server {
namespace {

using testing::SampleResponse;

std::string RecordOf(const std::string& value) {
    CsvRecord record;
    record.AddPlain(value);
    return record.Finish();
}

std::string ReadAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("fields are quoted only when RFC 4180 needs it, with quotes doubled") {
    CHECK(EscapeCsvField("plain text") == "plain text");
    CHECK(EscapeCsvField("") == "");
    CHECK(EscapeCsvField("a,b") == "\"a,b\"");
    CHECK(EscapeCsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(EscapeCsvField("two\nlines") == "\"two\nlines\"");
    CHECK(EscapeCsvField("cr\rhere") == "\"cr\rhere\"");
    CHECK(RecordOf("x") == "x\r\n");
}

TEST_CASE("leading = + - @ tab or CR is neutralised with a single quote, and only then") {
    CHECK(NeutraliseFormula("=HYPERLINK(\"http://evil\")") == "'=HYPERLINK(\"http://evil\")");
    CHECK(NeutraliseFormula("+1") == "'+1");
    CHECK(NeutraliseFormula("-2+3") == "'-2+3");
    CHECK(NeutraliseFormula("@SUM(A1)") == "'@SUM(A1)");
    CHECK(NeutraliseFormula("\t=1") == "'\t=1");
    CHECK(NeutraliseFormula("\r=1") == "'\r=1");
    CHECK(NeutraliseFormula("a=1") == "a=1");
    CHECK(NeutraliseFormula("'already quoted") == "'already quoted");
    CHECK(NeutraliseFormula("") == "");
    CsvRecord record;
    record.AddText("=1+1");
    record.AddNumber(-5);  // our own numbers are not touched
    CHECK(record.Finish() == "'=1+1,-5\r\n");
}

TEST_CASE("any comment survives writing and reading back") {
    const std::vector<std::string> comments = {
        "plain",
        "commas, everywhere, ,",
        "\"quoted\" and \"\"doubled\"\"",
        "line one\nline two\r\nline three\r",
        "Ευχαριστώ! Obrigado, çà et là — 🙂",
        "'); DROP TABLE responses;--",
        "",
        " leading and trailing spaces ",
        ",",
        "\"",
        "\n",
    };
    std::string text;
    for (const std::string& comment : comments) {
        CsvRecord record;
        record.AddNumber(7);
        record.AddText(comment);
        record.AddEmpty();
        text += record.Finish();
    }
    auto records = ParseCsv(text);
    REQUIRE(records.has_value());
    REQUIRE(records->size() == comments.size());
    for (size_t i = 0; i < comments.size(); ++i) {
        CAPTURE(comments[i]);
        REQUIRE((*records)[i].size() == 3);
        CHECK((*records)[i][0] == "7");
        CHECK((*records)[i][1] == comments[i]);
        CHECK((*records)[i][2] == "");
    }
}

TEST_CASE("ParseCsv refuses what is not well-formed") {
    CHECK_FALSE(ParseCsv("a\"b\r\n").has_value());
    CHECK_FALSE(ParseCsv("\"open\r\n").has_value());
    CHECK_FALSE(ParseCsv("\"closed\"after\r\n").has_value());
    CHECK(ParseCsv("a,b\nc,d")->size() == 2);
}

TEST_CASE("dates for --from and --to are UTC days, and impossible dates are refused") {
    CHECK(ParseUtcDate("1970-01-01") == 0);
    CHECK(ParseUtcDate("2026-11-24") == 1'795'478'400'000);
    CHECK(ParseUtcDate("2024-02-29").has_value());
    CHECK_FALSE(ParseUtcDate("2026-02-29").has_value());
    CHECK_FALSE(ParseUtcDate("2026-13-01").has_value());
    CHECK_FALSE(ParseUtcDate("2026-1-01").has_value());
    CHECK_FALSE(ParseUtcDate("26-11-24xx").has_value());
    CHECK_FALSE(ParseUtcDate("1969-12-31").has_value());
}

TEST_CASE("score columns: the five standard needs, then any other seen, alphabetically") {
    std::vector<std::string> needs = ScoreColumnNeeds({"speed", "trust", "advice", "speed"});
    CHECK(needs == std::vector<std::string>{"trust", "control", "support", "flexibility", "balance",
                                            "advice", "speed"});
    std::vector<std::string> header = ExportHeader(needs);
    CHECK(header.front() == "device_id");
    CHECK(header[14] == "score_trust");
    CHECK(header.back() == "received_at");
}

TEST_CASE("the export file: one row per response, filters by store and day, 0600") {
    testing::TestDatabase dir;
    std::unique_ptr<ServerStore> opened = dir.Open();
    ServerStore& store = *opened;
    constexpr int64_t kDay = 86'400'000;
    const int64_t day0 = *ParseUtcDate("2026-11-20");
    auto enroll = [&](const std::string& name) {
        std::string code = *CreateEnrollmentCode(store, name, "checkout", 24, day0);
        return **RedeemEnrollmentCode(store, code, day0);
    };
    DeviceRecord lisbon = enroll("lisbon");
    DeviceRecord porto = enroll("porto");
    std::vector<IncomingResponse> items;
    for (int i = 0; i < 3; ++i) {
        Response response = SampleResponse(i);
        response.StartedAtMs = day0 + i * kDay + 1000;  // 20th, 21st, 22nd
        response.EndedAtMs = response.StartedAtMs + 5000;
        items.push_back({static_cast<size_t>(i), i + 1, response, "", 0});
    }
    items[0].Data.Comment = "=cmd|'/c calc'!A1, \"and\"\nmore";
    items[1].Data.Intent.reset();
    items[1].Suspect = "burst,repeat";
    items[1].UtcOffsetMin = -300;
    REQUIRE(store.StoreBatch(lisbon.DeviceId, items, day0 + 3 * kDay).Ok());
    std::vector<IncomingResponse> one = {{0, 1, SampleResponse(9), "", 0}};
    one[0].Data.Scores = {{"queue_time", 2}};
    REQUIRE(store.StoreBatch(porto.DeviceId, one, day0 + 3 * kDay).Ok());

    std::string path = dir.File("all.csv");
    REQUIRE(*ExportCsvFile(store, {}, path) == 4);
    auto records = ParseCsv(ReadAll(path));
    REQUIRE(records.has_value());
    REQUIRE(records->size() == 5);
    const std::vector<std::string>& header = records->front();
    auto column = [&](const std::string& name) {
        auto found = std::find(header.begin(), header.end(), name);
        REQUIRE(found != header.end());
        return static_cast<size_t>(found - header.begin());
    };
    column("score_queue_time");
    column("score_speed");
    const std::vector<std::string>& first = (*records)[1];
    CHECK(first[column("comment")] == "'=cmd|'/c calc'!A1, \"and\"\nmore");
    CHECK(first[column("started_at")] == "2026-11-20T00:00:01.000Z");
    CHECK(first[column("store")] == "lisbon");
    CHECK(first[column("score_trust")] == "");
    CHECK(first[column("synthetic")] == "false");
    CHECK(first[column("suspect_reason")] == "");
    CHECK(first[column("utc_offset_min")] == "0");
    CHECK((*records)[2][column("intent")] == "");
    CHECK((*records)[2][column("suspect_reason")] == "burst,repeat");
    CHECK((*records)[2][column("utc_offset_min")] == "-300");
    CHECK(column("utc_offset_min") + 1 == column("received_at"));

    ExportFilter filter;
    filter.Store = "lisbon";
    filter.StartedFromMs = day0 + kDay;
    filter.StartedUntilMs = day0 + 2 * kDay;  // --from 2026-11-21 --to 2026-11-21
    REQUIRE(*ExportCsvFile(store, filter, path) == 1);
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK_FALSE(ExportCsvFile(store, {}, dir.File("no/such/dir/x.csv")).Ok());
}

TEST_CASE("missing ranges read as a short list") {
    CHECK(FormatRanges({}) == "none");
    CHECK(FormatRanges({{3, 5}, {9, 9}}) == "3-5, 9");
    CHECK(FormatRanges({{1, 1}, {3, 3}, {5, 5}}, 2) == "1, 3 (+1 more)");
}

}  // namespace doorstep::server
