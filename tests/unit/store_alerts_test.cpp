// The terminal's alerts in its own store: raised from head office's rules in the answer's own
// transaction, laid under head office's copy once synced, and the manager's acts over both.
#include <doctest/doctest.h>

#include <sqlite3.h>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base/clock.hpp"
#include "kiosk/store/store.hpp"
#include "store_fixtures.hpp"

using namespace doorstep;
using doorstep::testing::SampleResponse;
using doorstep::testing::TempDir;

namespace {

// Head office's answer to POST /v1/alerts: these rules, and these alerts of the store.
std::string View(const nlohmann::json& rules, const nlohmann::json& alerts) {
    return nlohmann::json{{"server_time_ms", 1}, {"rules", rules}, {"alerts", alerts}}.dump();
}

const nlohmann::json kCommentRule = {
    {"id", 4}, {"kind", "comment"}, {"store", "lisbon"}, {"door", ""}, {"mail", true}};
const nlohmann::json kLowScoreRule = {
    {"id", 5}, {"kind", "low_score"}, {"need", "speed"}, {"threshold", 1.0}, {"store", ""}};

}  // namespace

TEST_CASE("store alerts: answers raise the alerts of head office's rules, once each") {
    TempDir dir;
    Result<std::unique_ptr<Store>> opened = Store::Open(dir.File("kiosk.db"));
    REQUIRE(opened.Ok());
    std::unique_ptr<Store> store = std::move(*opened);
    REQUIRE(store->Append(SampleResponse(0)).Ok());  // before any rule: nothing raised
    CHECK(store->ListAlerts()->empty());
    REQUIRE(store->FinishAlertSync({}, View({kCommentRule, kLowScoreRule}, nlohmann::json::array()))
                .Ok());
    CHECK(store->CachedAlertRules()->size() == 2);

    Response unhappy = SampleResponse(5);  // speed 1, a comment
    REQUIRE(store->Append(unhappy).Ok());
    Response staff = SampleResponse(10);
    staff.Kind = ResponseKind::Staff;  // staff ratings raise nothing
    REQUIRE(store->Append(staff).Ok());
    Response quiet = SampleResponse(2);
    quiet.Comment = "";
    REQUIRE(store->Append(quiet).Ok());  // speed 3, no comment: nothing

    std::vector<KioskAlert> alerts = *store->ListAlerts();
    REQUIRE(alerts.size() == 2);
    for (const KioskAlert& alert : alerts) {
        CHECK(alert.ResponseUuid == unhappy.Uuid);
        CHECK(alert.Unsynced);
        CHECK(alert.State == "open");
        CHECK(alert.Comment == unhappy.Comment);
    }
    CHECK(alerts[0].Key().rfind("l", 0) == 0);
    AlertSyncWork work = *store->PendingAlertSync();
    REQUIRE(work.Raised.size() == 2);
    CHECK(work.Raised[0]["response_uuid"] == unhappy.Uuid);
    CHECK(work.Acts.empty());

    // The manager acknowledges one offline; then head office takes both and answers with its
    // copies, which replace the terminal's.
    const KioskAlert* comment_alert = nullptr;
    for (const KioskAlert& alert : alerts) {
        comment_alert = alert.Kind == "comment" ? &alert : comment_alert;
    }
    REQUIRE(comment_alert != nullptr);
    REQUIRE(store->RecordAlertAct(*comment_alert, "acknowledge", "Spoke to her", 5000).Ok());
    std::vector<KioskAlert> noted = *store->ListAlerts();
    CHECK(std::count_if(noted.begin(), noted.end(),
                        [](const KioskAlert& a) { return a.State == "acknowledged"; }) == 1);
    work = *store->PendingAlertSync();
    REQUIRE(work.Acts.size() == 1);
    CHECK(work.Acts[0]["rule_id"] == 4);
    CHECK(work.Acts[0]["response_uuid"] == unhappy.Uuid);
    CHECK(work.Acts[0]["note"] == "Spoke to her");
    nlohmann::json copies = nlohmann::json::array(
        {{{"id", 70},
          {"rule_id", 4},
          {"kind", "comment"},
          {"door", "entrance"},
          {"state", "acknowledged"},
          {"opened_at_ms", 4000},
          {"acknowledged", {{"by", "manager at lisbon / entrance"}, {"note", "Spoke to her"}}},
          {"answer", {{"uuid", unhappy.Uuid}, {"comment", unhappy.Comment}}}},
         {{"id", 71},
          {"rule_id", 5},
          {"kind", "low_score"},
          {"state", "open"},
          {"opened_at_ms", 4000},
          {"answer", {{"uuid", unhappy.Uuid}}},
          {"pain_points", {{{"need", "speed"}, {"answers", 3}}}}}});
    REQUIRE(store->FinishAlertSync(work, View({kCommentRule, kLowScoreRule}, copies)).Ok());
    alerts = *store->ListAlerts();
    REQUIRE(alerts.size() == 2);      // head office's copies, not four
    CHECK(alerts[0].Key() == "s70");  // as head office listed them: both unresolved
    CHECK(alerts[0].State == "acknowledged");
    CHECK(alerts[1].Key() == "s71");
    CHECK(alerts[1].PainPoints == std::vector<std::pair<std::string, int64_t>>{{"speed", 3}});
    CHECK(!alerts[0].Unsynced);
    CHECK(!alerts[1].Unsynced);
    work = *store->PendingAlertSync();
    CHECK(work.Raised.empty());
    CHECK(work.Acts.empty());

    // Resolving head office's alert goes by its id.
    REQUIRE(store->RecordAlertAct(alerts[1], "resolve", "", 6000).Ok());
    CHECK(store->ListAlerts()->back().State == "resolved");  // resolved ones last
    CHECK(store->PendingAlertSync()->Acts[0]["alert_id"] == 71);

    // Pruning past retention forgets what head office has had, never what it has not.
    REQUIRE(store->PruneSynced(WallClockMs() + 1).Ok());
    CHECK(store->PendingAlertSync()->Acts.size() == 1);  // the resolve is not synced yet
    sqlite3* db = store->Handle();
    sqlite3_stmt* count = nullptr;
    REQUIRE(sqlite3_prepare_v2(db,
                               "SELECT (SELECT count(*) FROM local_alerts) + (SELECT count(*) "
                               "FROM alert_acts WHERE synced = 1)",
                               -1, &count, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(count) == SQLITE_ROW);
    CHECK(sqlite3_column_int64(count, 0) == 0);
    sqlite3_finalize(count);
}
