// Store groups through the real server: a store,group CSV set by `doorstep-server store-groups
// set` and PUT /api/store-groups, refused whole with every bad line named, and the key drivers
// reported for each group beside all stores. The planted fleet's odd stores are led by support,
// the even ones by trust, and each group's report finds its own order.
#include <doctest/doctest.h>
#include <httplib.h>

#include <fstream>

#include "head_office_client.hpp"
#include "linkage_fleet.hpp"

namespace doorstep::server {
namespace {

using Json = nlohmann::json;

std::vector<std::string> DriverOrder(const Json& group) {
    std::vector<std::string> order;
    for (const Json& driver : group["drivers"]) {
        order.push_back(driver["need"].get<std::string>());
    }
    return order;
}

}  // namespace

TEST_CASE("store groups: each group's drivers in its own order, and bad files refused whole") {
    testing::LiveServer server;
    testing::PlantedFleet fleet = testing::FleetEndingLastWeek(true);
    fleet.OddStoresLedBySupport = true;
    testing::Upload(server, testing::MakePlantedFleet(fleet));
    const std::string token = server.AddUserWithToken();
    testing::HeadOffice office(server.Process().Port(), token);

    // Before any grouping: every store is ungrouped and the drivers have all stores only.
    auto [listed_status, none] = office.Get("/api/store-groups");
    REQUIRE(listed_status == 200);
    CHECK(none["stores"].empty());
    CHECK(none["ungrouped"].size() == static_cast<size_t>(fleet.Stores));
    auto [before_status, before] = office.Get("/api/reports/drivers?" + testing::Range(fleet));
    REQUIRE(before_status == 200);
    CHECK(before["groups"].size() == 1);

    // The command line sets the grouping: even stores on the high street, odd ones at retail
    // parks, and store-030 left out.
    std::string csv = "store,group\n";
    for (int store = 0; store + 1 < fleet.Stores; ++store) {
        csv += testing::PlantedStoreName(store) +
               (store % 2 == 0 ? ",High street\n" : ",\"Retail parks, edge\"\n");
    }
    const std::string path = server.File("groups.csv");
    std::ofstream(path) << csv;
    testing::CommandResult set = server.Cli({"store-groups", "set", path, "--by", "regions"});
    REQUIRE_MESSAGE(set.ExitCode == 0, set.Stderr);
    Json grouping = Json::parse(set.Stdout);
    CHECK(grouping["groups"] == Json::array({"High street", "Retail parks, edge"}));
    CHECK(grouping["stores"].size() == static_cast<size_t>(fleet.Stores - 1));
    CHECK(grouping["ungrouped"] == Json::array({"store-030"}));
    CHECK(server.Count("store_groups") == fleet.Stores - 1);

    auto [status, drivers] = office.Get("/api/reports/drivers?" + testing::Range(fleet));
    REQUIRE_MESSAGE(status == 200, drivers.dump());
    REQUIRE(drivers["groups"].size() == 3);
    const Json& all = drivers["groups"][0];
    const Json& high_street = drivers["groups"][1];
    const Json& parks = drivers["groups"][2];
    CHECK(all["group"] == "all stores");
    CHECK(all["stores"] == fleet.Stores);
    CHECK(high_street["group"] == "High street");
    CHECK(high_street["stores"] == 15);
    CHECK(high_street["rows"] == 15 * fleet.Weeks);
    CHECK(parks["group"] == "Retail parks, edge");
    CHECK(parks["stores"] == 14);
    REQUIRE(high_street["enough"] == true);
    REQUIRE(parks["enough"] == true);
    CHECK(DriverOrder(high_street) == std::vector<std::string>{"trust", "control", "support"});
    CHECK(DriverOrder(parks) == std::vector<std::string>{"support", "control", "trust"});
    httplib::Client client("127.0.0.1", server.Process().Port());
    httplib::Headers bearer{{"Authorization", "Bearer " + token}};
    auto drivers_csv = client.Get("/api/drivers.csv?" + testing::Range(fleet), bearer);
    REQUIRE(drivers_csv);
    CHECK(drivers_csv->body.find("\r\n\"Retail parks, edge\",intent,0,support,1,") !=
          std::string::npos);

    // A file with problems changes nothing, and names every bad line.
    auto refused = client.Put("/api/store-groups", bearer,
                              "store,group\nstore-001,North\nstore-999,North\nstore-001,South\n"
                              "store-002,\nstore-003,All Stores\nstore-004,North,extra\n",
                              "text/csv");
    REQUIRE(refused);
    CHECK(refused->status == 400);
    Json answer = Json::parse(refused->body);
    CHECK(answer["error"] == "bad_store_groups");
    CHECK(answer["message"].get<std::string>().starts_with(
        "the store groups were not changed: line 3: unknown store \"store-999\""));
    std::vector<int> lines;
    for (const Json& problem : answer["problems"]) {
        lines.push_back(problem["line"].get<int>());
    }
    CHECK(lines == std::vector<int>{3, 4, 5, 6, 7});
    CHECK(answer["problems"][1]["reason"] == "store \"store-001\" again (first on line 2)");
    auto header_only = client.Put("/api/store-groups", bearer, "store,region\n", "text/csv");
    REQUIRE(header_only);
    CHECK(header_only->status == 400);
    auto unchanged = office.Get("/api/store-groups");
    CHECK(unchanged.second["groups"] == grouping["groups"]);
    CHECK(server.Count("store_groups") == fleet.Stores - 1);
    const std::string bad_path = server.File("bad-groups.csv");
    std::ofstream(bad_path) << "store,group\nstore-404,North\n";
    testing::CommandResult bad_set = server.Cli({"store-groups", "set", bad_path});
    CHECK(bad_set.ExitCode == 2);
    CHECK(bad_set.Stderr.find("the store groups were not changed; " + bad_path +
                              " has these problems:\n  line 2: unknown store") !=
          std::string::npos);

    // A file of the header alone is a grouping of none.
    auto cleared = client.Put("/api/store-groups", bearer, "store,group\n", "text/csv");
    REQUIRE(cleared);
    CHECK(cleared->status == 200);
    testing::CommandResult list = server.Cli({"store-groups", "list"});
    REQUIRE(list.ExitCode == 0);
    CHECK(Json::parse(list.Stdout)["ungrouped"].size() == static_cast<size_t>(fleet.Stores));
    CHECK(server.Count("store_groups") == 0);
}

}  // namespace doorstep::server
