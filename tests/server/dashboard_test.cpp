// The dashboard's side of the server: its files (caching and security headers) and the CSV
// download, which must hold exactly the answers the reports count for the same filter.
#include <doctest/doctest.h>
#include <httplib.h>

#include "live_server.hpp"
#include "server/fleet/enrollment.hpp"
#include "server/reports/export_csv.hpp"
#include "server/reports/reports.hpp"
#include "test_database.hpp"

namespace doorstep::server {
namespace {

using Json = nlohmann::json;
using testing::SampleResponse;

constexpr int64_t kNow = 1'790'100'000'000;
constexpr int64_t kToday = 20717;  // 2026-09-21; SampleResponse(n) starts at 14:13 UTC + n min

// One store, two doors, both kinds, a suspect answer, two languages, and answers whose local
// day is the next one (UTC+10).
struct MixedAnswers {
    testing::TestDatabase Db;
    std::unique_ptr<ServerStore> Store = Db.Open();

    MixedAnswers() {
        std::string entrance = Enroll("sydney", "entrance");
        std::string checkout = Enroll("sydney", "checkout");
        std::string lisbon = Enroll("lisbon", "entrance");
        Add(entrance, 0, 6, ResponseKind::Customer, "en", 600, "");  // local 2026-09-22 00:13
        Add(entrance, 6, 1, ResponseKind::Customer, "en", 600, "burst");
        Add(checkout, 0, 5, ResponseKind::Customer, "de", 0, "");
        Add(checkout, 5, 5, ResponseKind::Staff, "en", 0, "");
        Add(lisbon, 0, 7, ResponseKind::Customer, "en", 60, "");
    }
    std::string Enroll(const std::string& store, const std::string& door) {
        auto code = CreateEnrollmentCode(*Store, store, door, 24, kNow);
        REQUIRE(code.Ok());
        auto device = RedeemEnrollmentCode(*Store, *code, kNow);
        REQUIRE(device.Ok());
        return (*device)->DeviceId;
    }
    void Add(const std::string& device, int first_seq, int count, ResponseKind kind,
             const std::string& lang, int offset_min, const std::string& suspect) {
        std::vector<IncomingResponse> items;
        for (int i = 0; i < count; ++i) {
            Response r = SampleResponse(first_seq + i);
            r.Kind = kind;
            r.Language = lang;
            items.push_back(IncomingResponse{static_cast<size_t>(i), first_seq + i + 1, r, suspect,
                                             offset_min});
        }
        auto stored = Store->StoreBatch(device, items, kNow);
        REQUIRE(stored.Ok());
        REQUIRE(stored->NewlyStored == count);
    }
    // The CSV download's data rows for a query, and what the needs report counts for it.
    std::pair<std::vector<std::string>, Json> Download(
        const std::map<std::string, std::string>& query) {
        auto parsed = ParseReportFilter(query, kToday);
        REQUIRE(std::holds_alternative<ReportFilter>(parsed));
        ExportFilter filter;
        filter.Report = std::get<ReportFilter>(parsed);
        std::string csv;
        auto written = ExportCsv(*Store, filter, [&csv](std::string_view chunk) {
            csv += chunk;
            return Success();
        });
        REQUIRE(written.Ok());
        std::vector<std::string> rows;
        size_t start = csv.find('\n') + 1;  // after the header
        while (start < csv.size()) {
            size_t end = csv.find('\n', start);
            rows.push_back(csv.substr(start, end - start));
            start = end + 1;
        }
        CHECK(static_cast<int64_t>(rows.size()) == *written);
        auto needs = BuildReport(*Store, "needs", *filter.Report);
        REQUIRE(needs.Ok());
        return {rows, **needs};
    }
};

}  // namespace

TEST_CASE_FIXTURE(MixedAnswers, "the CSV download holds the answers its reports count") {
    auto [all, all_needs] =
        Download({{"from", "2026-09-01"}, {"to", "2026-09-30"}, {"to", "2026-09-30"}});
    CHECK(all.size() == 6 + 5 + 7);  // customers, not suspect, every store and day
    CHECK(all_needs["answers"] == 18);

    auto [sydney, sydney_needs] =
        Download({{"from", "2026-09-01"}, {"to", "2026-09-30"}, {"store", "sydney"}});
    CHECK(sydney.size() == 11);
    CHECK(sydney_needs["answers"] == 11);
    for (const std::string& row : sydney) {
        CHECK(row.find(",sydney,") != std::string::npos);
    }
    CHECK(Download({{"from", "2026-09-01"},
                    {"to", "2026-09-30"},
                    {"store", "sydney"},
                    {"door", "checkout"}})
              .first.size() == 5);
    CHECK(Download({{"from", "2026-09-01"}, {"to", "2026-09-30"}, {"lang", "de"}}).first.size() ==
          5);
    CHECK(
        Download({{"from", "2026-09-01"}, {"to", "2026-09-30"}, {"kind", "staff"}}).first.size() ==
        5);
    CHECK(Download({{"from", "2026-09-01"}, {"to", "2026-09-30"}, {"kind", "all"}}).first.size() ==
          23);
    auto [suspect, suspect_needs] =
        Download({{"from", "2026-09-01"}, {"to", "2026-09-30"}, {"suspect", "include"}});
    CHECK(suspect.size() == 19);
    CHECK(suspect_needs["answers"] == 19);

    // Local days: the UTC+10 answers were given on the 22nd where they were given.
    auto [next_day, next_day_needs] = Download({{"from", "2026-09-22"}, {"to", "2026-09-22"}});
    CHECK(next_day.size() == 6);
    CHECK(next_day_needs["answers"] == 6);
    CHECK(Download({{"from", "2026-09-21"}, {"to", "2026-09-21"}}).first.size() == 12);
    CHECK(Download({{"from", "2026-08-01"}, {"to", "2026-08-31"}}).first.empty());
}

TEST_CASE("the dashboard's files and the CSV download through the real server") {
    testing::LiveServer server;
    std::string token = server.AddUserWithToken();
    server.KioskWithAnswers("lisbon", "checkout", 6);
    httplib::Client client("127.0.0.1", server.Process().Port());

    auto page = client.Get("/");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(page->body.find("<script type=\"module\" src=\"js/app.js\">") != std::string::npos);
    CHECK(page->get_header_value("Content-Security-Policy").find("script-src 'self'") !=
          std::string::npos);
    CHECK(page->get_header_value("X-Frame-Options") == "DENY");
    std::string etag = page->get_header_value("ETag");
    REQUIRE(etag.size() == 34);
    auto again = client.Get("/", {{"If-None-Match", etag}});
    REQUIRE(again);
    CHECK(again->status == 304);
    CHECK(again->body.empty());
    auto script = client.Get("/js/app.js");
    REQUIRE(script);
    CHECK(script->status == 200);
    CHECK(script->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(script->get_header_value("Cache-Control") == "no-cache");
    auto missing = client.Get("/js/nothing.js");
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(Json::parse(missing->body)["error"] == "not_found");

    auto anonymous = client.Get("/api/export.csv");
    REQUIRE(anonymous);
    CHECK(anonymous->status == 401);
    httplib::Headers bearer{{"Authorization", "Bearer " + token}};
    auto csv = client.Get("/api/export.csv?from=2026-09-01&to=2026-09-30&store=lisbon", bearer);
    REQUIRE(csv);
    REQUIRE(csv->status == 200);
    CHECK(csv->get_header_value("Content-Type") == "text/csv; charset=utf-8");
    CHECK(csv->get_header_value("Content-Disposition") ==
          "attachment; filename=\"doorstep-2026-09-01-to-2026-09-30-lisbon.csv\"");
    CHECK(csv->get_header_value("Cache-Control") == "no-store");
    CHECK(csv->body.starts_with("device_id,store,door,seq,uuid,"));
    CHECK(std::count(csv->body.begin(), csv->body.end(), '\n') == 1 + 6);
    auto empty = client.Get("/api/export.csv?from=2026-08-01&to=2026-08-31", bearer);
    REQUIRE(empty);
    CHECK(std::count(empty->body.begin(), empty->body.end(), '\n') == 1);  // the header alone
    auto bad = client.Get("/api/export.csv?kind=robots", bearer);
    REQUIRE(bad);
    CHECK(bad->status == 400);
    CHECK(Json::parse(bad->body)["field"] == "kind");
}

}  // namespace doorstep::server
