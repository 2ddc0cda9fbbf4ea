// The linkage through the real server: a generated fleet's answers uploaded by its terminals,
// its outcomes imported by `doorstep-server outcomes import`, and the reports read over HTTP.
// With effects planted (tests/support/planted_fleet.hpp) the linkage report finds the planted
// lags and the drivers report the planted order; in a fleet without effects it finds none.
#include <doctest/doctest.h>
#include <httplib.h>

#include <algorithm>
#include <fstream>

#include "head_office_client.hpp"
#include "linkage_fleet.hpp"
#include "live_server.hpp"

namespace doorstep::server {
namespace {

using Json = nlohmann::json;
using testing::FleetEndingLastWeek;
using testing::PlantedFleet;
using testing::Range;
using testing::Upload;

const Json& Link(const Json& report, const std::string& leading, const std::string& outcome) {
    for (const Json& link : report["links"]) {
        if (link["leading"] == leading && link["outcome"] == outcome) {
            return link;
        }
    }
    FAIL("no link " << leading << " x " << outcome);
    static const Json kNone;  // NOLINT: unreachable after FAIL
    return kNone;
}

std::vector<int> SignificantLags(const Json& link) {
    std::vector<int> lags;
    for (const Json& lag : link["lags"]) {
        if (lag.value("significant", false)) {
            lags.push_back(lag["lag_weeks"].get<int>());
        }
    }
    return lags;
}

}  // namespace

TEST_CASE("linkage through the real server: the planted lags and driver order are found") {
    testing::LiveServer server;
    PlantedFleet fleet = FleetEndingLastWeek(true);
    Upload(server, testing::MakePlantedFleet(fleet));
    const std::string token = server.AddUserWithToken();
    testing::HeadOffice office(server.Process().Port(), token);

    auto [status, linkage] = office.Get("/api/reports/linkage?" + Range(fleet));
    REQUIRE_MESSAGE(status == 200, linkage.dump());
    CHECK(linkage["weeks"]["count"] == fleet.Weeks);
    CHECK(linkage["family_tests"] == 4 * 5 * 9);
    CHECK(linkage["leading"] == Json::array({"control", "support", "trust", "intent"}));
    CHECK(linkage["outcomes"] ==
          Json::array({"conversion", "footfall", "sales", "sales_per_visitor", "transactions"}));
    const Json& trust_sales = Link(linkage, "trust", "sales");
    CHECK(trust_sales["best_lag_weeks"] == testing::kSalesLagWeeks);
    CHECK(SignificantLags(trust_sales) == std::vector<int>{testing::kSalesLagWeeks});
    const Json& at_lag = trust_sales["lags"][testing::kSalesLagWeeks];
    CHECK(at_lag["r"].get<double>() > 0.5);
    CHECK(at_lag["low"].get<double>() < at_lag["r"].get<double>());
    CHECK(at_lag["store_weeks"] == fleet.Stores * fleet.Weeks);
    CHECK(at_lag["stores"] == fleet.Stores);
    CHECK(trust_sales["lags"][0]["store_weeks"] == fleet.Stores * fleet.Weeks);
    const Json& control_conversion = Link(linkage, "control", "conversion");
    CHECK(control_conversion["best_lag_weeks"] == testing::kConversionLagWeeks);
    CHECK(SignificantLags(Link(linkage, "support", "sales")).empty());
    CHECK(SignificantLags(Link(linkage, "control", "sales")).empty());
    CHECK(SignificantLags(Link(linkage, "trust", "footfall")).empty());
    // Beside the scores: each store's conversion and sales per visitor.
    REQUIRE(linkage["stores"].size() == static_cast<size_t>(fleet.Stores));
    const Json& first = linkage["stores"][0];
    CHECK(first["store"] == "store-001");
    CHECK(first["conversion"].get<double>() == doctest::Approx(30.0).epsilon(0.02));
    CHECK(first["sales_per_visitor"].get<double>() == doctest::Approx(4000.0 / 900).epsilon(0.02));
    CHECK(first["trust"].get<double>() == doctest::Approx(3.0).epsilon(0.1));

    auto [drivers_status, drivers] = office.Get("/api/reports/drivers?" + Range(fleet));
    REQUIRE_MESSAGE(drivers_status == 200, drivers.dump());
    CHECK(drivers["outcome"] == "intent");
    const Json& all = drivers["groups"][0];
    CHECK(all["group"] == "all stores");
    REQUIRE(all["enough"] == true);
    CHECK(all["rows"] == fleet.Stores * fleet.Weeks);
    std::vector<std::string> order;
    for (const Json& driver : all["drivers"]) {
        order.push_back(driver["need"].get<std::string>());
        CHECK(driver["low"].get<double>() <= driver["weight"].get<double>());
        CHECK(driver["weight"].get<double>() <= driver["high"].get<double>());
    }
    CHECK(order == std::vector<std::string>{"trust", "control", "support"});
    CHECK(all["drivers"][0]["quadrant"].get<std::string>().size() > 0);
    CHECK(all["r_squared_low"].get<double>() > 0.1);

    auto [sales_status, sales] =
        office.Get("/api/reports/drivers?outcome=sales&lag=8&" + Range(fleet));
    REQUIRE(sales_status == 200);
    CHECK(sales["groups"][0]["drivers"][0]["need"] == "trust");

    // Refusals name what is wrong.
    auto [bad_lag, lag_error] = office.Get("/api/reports/drivers?lag=9");
    CHECK(bad_lag == 400);
    CHECK(lag_error["field"] == "lag");
    auto [bad_outcome, outcome_error] = office.Get("/api/reports/drivers?outcome=profit");
    CHECK(bad_outcome == 400);
    CHECK(outcome_error["message"].get<std::string>().find("intent, conversion, footfall") !=
          std::string::npos);

    // One store's 20 weeks are not enough data: fewer than 30 store-weeks, and one store.
    auto [short_status, short_range] = office.Get(
        "/api/reports/linkage?store=store-002&from=" + testing::PlantedIsoDate(fleet.FirstMonday) +
        "&to=" + testing::PlantedIsoDate(fleet.FirstMonday + 7 * 20 - 1));
    REQUIRE(short_status == 200);
    const Json& short_link = Link(short_range, "trust", "sales");
    CHECK(short_link["enough"] == false);
    CHECK(short_link["note"].get<std::string>().starts_with("not enough data"));

    // The CSV: one row per need or intent, outcome and lag.
    httplib::Client client("127.0.0.1", server.Process().Port());
    httplib::Headers bearer{{"Authorization", "Bearer " + token}};
    auto csv = client.Get("/api/linkage.csv?" + Range(fleet), bearer);
    REQUIRE(csv);
    CHECK(csv->status == 200);
    CHECK(csv->get_header_value("Content-Type").starts_with("text/csv"));
    CHECK(
        csv->body.starts_with("leading,outcome,lag_weeks,store_weeks,stores,r,low,high,"
                              "family_low,family_high,significant\r\n"));
    CHECK(std::count(csv->body.begin(), csv->body.end(), '\n') == 1 + 4 * 5 * 9);
    CHECK(csv->body.find("\r\ntrust,sales,8,1800,30,") != std::string::npos);
    auto drivers_csv = client.Get("/api/drivers.csv?" + Range(fleet), bearer);
    REQUIRE(drivers_csv);
    CHECK(drivers_csv->body.find("\r\nall stores,intent,0,trust,1,") != std::string::npos);

    // A refused upload names every bad line and imports nothing; a gzipped file is taken.
    const int64_t values_before = server.Count("outcomes");
    auto refused = client.Post("/api/outcomes", bearer,
                               "store,date,sales\nstore-001,2026-01-05,12.5\nstore-999,"
                               "2026-01-05,3\nstore-002,2026-01-05,lots\n",
                               "text/csv");
    REQUIRE(refused);
    CHECK(refused->status == 400);
    Json problems = Json::parse(refused->body)["problems"];
    REQUIRE(problems.size() == 2);
    CHECK(problems[0]["line"] == 3);
    CHECK(problems[0]["reason"].get<std::string>().find("store-999") != std::string::npos);
    CHECK(problems[1]["line"] == 4);
    CHECK(server.Count("outcomes") == values_before);
    const std::string bad_path = server.File("bad-outcomes.csv");
    std::ofstream(bad_path) << "store,date,sales\nstore-001,2026-01-05,-4\n";
    testing::CommandResult bad_import = server.Cli({"outcomes", "import", bad_path});
    CHECK(bad_import.ExitCode == 2);
    CHECK(bad_import.Stderr.find("nothing was imported; " + bad_path +
                                 " has these problems:\n  line 2: sales") != std::string::npos);
    CHECK(server.Count("outcomes") == values_before);
    auto zipped = client.Post("/api/outcomes", bearer,
                              GzipCompress("store,date,returns\nstore-001,2026-01-05,2\n"),
                              "application/gzip");
    REQUIRE(zipped);
    CHECK_MESSAGE(zipped->status == 200, zipped->body);
    CHECK(Json::parse(zipped->body)["values"] == 1);
    CHECK(server.Count("outcomes") == values_before + 1);
}

TEST_CASE("linkage through the real server: a fleet without effects shows none") {
    testing::LiveServer server;
    PlantedFleet fleet = FleetEndingLastWeek(false);
    Upload(server, testing::MakePlantedFleet(fleet));
    testing::HeadOffice office(server.Process().Port(), server.AddUserWithToken());
    auto [status, linkage] = office.Get("/api/reports/linkage?" + Range(fleet));
    REQUIRE(status == 200);
    for (const char* need : {"trust", "control", "support"}) {
        for (const char* outcome : {"sales", "conversion"}) {
            CAPTURE(need);
            CAPTURE(outcome);
            const Json& link = Link(linkage, need, outcome);
            CHECK(link["enough"] == true);
            CHECK(SignificantLags(link).empty());
        }
    }
    auto [drivers_status, drivers] = office.Get("/api/reports/drivers?" + Range(fleet));
    REQUIRE(drivers_status == 200);
    CHECK(drivers["groups"][0]["r_squared"].get<double>() < 0.02);
}

}  // namespace doorstep::server
