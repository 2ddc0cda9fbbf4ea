// Outcomes in the store, on SQLite and PostgreSQL alike: an import in one transaction, a
// re-import of a day replacing the metrics it names, reads by metric and day range.
#include <doctest/doctest.h>

#include "server/linkage/outcome_csv.hpp"
#include "server/store/report_filter.hpp"
#include "test_database.hpp"

using namespace doorstep;
using namespace doorstep::server;
using testing::TestDatabase;

namespace {

const int64_t kToday = *IsoDateToDay("2026-12-07");

OutcomeFile Read(const std::string& csv) {
    OutcomeFile file = ReadOutcomeCsv(
        csv, [](std::string_view store) { return store == "ST-1" || store == "ST-2"; }, kToday);
    REQUIRE(file.Ok());
    return file;
}

Result<OutcomeImportCounts> Import(ServerStore& store, const std::string& csv, int64_t now_ms) {
    OutcomeFile file = Read(csv);
    return store.ImportOutcomes(file.Values, file.Metrics, "analyst", now_ms);
}

}  // namespace

TEST_CASE("outcomes: imported, re-imported by store-day and metric, read by metric and range") {
    TestDatabase db;
    std::unique_ptr<ServerStore> store = db.Open();
    Result<OutcomeImportCounts> first = Import(*store,
                                               "store,date,sales,footfall,complaints\n"
                                               "ST-1,2026-03-02,100.5,40,1\n"
                                               "ST-1,2026-03-03,120,41,\n"
                                               "ST-2,2026-03-02,80,30,0\n",
                                               1000);
    REQUIRE(first.Ok());
    CHECK(first->StoreDays == 3);
    CHECK(first->Values == 8);
    CHECK(first->Replaced == 0);

    // ST-1's 2 March again, sales and footfall (footfall left empty): those two metrics of the
    // day are replaced, its complaints and 3 March untouched.
    Result<OutcomeImportCounts> again =
        Import(*store, "store,date,sales,footfall\nST-1,2026-03-02,99,\n", 2000);
    REQUIRE(again.Ok());
    CHECK(again->StoreDays == 1);
    CHECK(again->Values == 1);
    CHECK(again->Replaced == 2);
    CHECK(db.QueryInt("SELECT count(*) FROM outcomes") == 7);
    CHECK(db.QueryInt("SELECT count(*) FROM outcomes WHERE metric = 'complaints'") == 2);
    CHECK(db.QueryInt("SELECT count(*) FROM outcomes WHERE metric = 'footfall'") == 2);

    Result<std::vector<OutcomeRecord>> sales =
        store->ListOutcomes("sales", *IsoDateToDay("2026-03-01"), *IsoDateToDay("2026-03-03"));
    REQUIRE(sales.Ok());
    REQUIRE(sales->size() == 3);
    CHECK((*sales)[0].Store == "ST-1");
    CHECK((*sales)[0].Day == *IsoDateToDay("2026-03-02"));
    CHECK((*sales)[0].Value == 99);
    CHECK((*sales)[1].Value == 120);
    CHECK((*sales)[2].Store == "ST-2");
    Result<std::vector<OutcomeRecord>> one_day =
        store->ListOutcomes("sales", *IsoDateToDay("2026-03-03"), *IsoDateToDay("2026-03-03"));
    REQUIRE(one_day.Ok());
    CHECK(one_day->size() == 1);

    Result<std::vector<std::string>> metrics = store->ListOutcomeMetrics();
    REQUIRE(metrics.Ok());
    CHECK(*metrics == std::vector<std::string>{"complaints", "footfall", "sales"});
    CHECK(db.QueryText("SELECT imported_by, imported_at_ms FROM outcomes WHERE store = 'ST-1' "
                       "AND day = " +
                       std::to_string(*IsoDateToDay("2026-03-02")) + " AND metric = 'sales'") ==
          "analyst|2000\n");
}
