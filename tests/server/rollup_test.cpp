// Report rollups: what StoreBatch counts, batch by batch, equals what the SQL backfill (schema
// step 6; on PostgreSQL the same counting in its dialect, kPgRecount) counts from the stored
// answers; and local days and hours follow each answer's offset.
#include <doctest/doctest.h>

#include <set>

#include "server/fleet/enrollment.hpp"
#include "server/store/retention_service.hpp"
#include "server/store/rollup_delta.hpp"
#include "server/store/rollup_sql.hpp"
#include "server/store/shared_schema.hpp"
#include "server/store/sqlite/server_schema.hpp"
#include "server/store/sqlite/sqlite_server_store.hpp"
#include "store_fixtures.hpp"
#include "test_database.hpp"

namespace doorstep::server {
namespace {

using testing::SampleResponse;
using testing::TestDatabase;

constexpr int64_t kNow = 1'795'549'384'722;
constexpr const char* kRollupTables[] = {"rollup_answers", "rollup_scores", "rollup_least_met",
                                         "rollup_hours", "report_names"};

// Schema step 6's counting (server_schema.hpp) in PostgreSQL's dialect, over whatever answers
// are stored: what the rollups must hold.
constexpr const char* kPgRecount = R"sql(
CREATE TEMP VIEW local_responses AS
SELECT id, device_id, kind, lang, (suspect_reason <> '')::int::smallint AS suspect, synthetic, status,
       intent, least_met, comment, (started_at_ms + utc_offset_min * 60000) / 86400000 AS day,
       (started_at_ms + utc_offset_min * 60000) % 86400000 / 3600000 AS hour
FROM responses;

INSERT INTO rollup_answers
SELECT day, device_id, kind, lang, suspect, synthetic, count(*),
       count(*) FILTER (WHERE status = 'completed'), count(intent),
       count(*) FILTER (WHERE intent >= 9), count(*) FILTER (WHERE intent <= 6),
       count(*) FILTER (WHERE comment <> '')
FROM local_responses GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO rollup_scores
SELECT r.day, r.device_id, r.kind, r.lang, r.suspect, r.synthetic, s.need,
       count(*) FILTER (WHERE s.score = 1), count(*) FILTER (WHERE s.score = 2),
       count(*) FILTER (WHERE s.score = 3), count(*) FILTER (WHERE s.score = 4),
       count(*) FILTER (WHERE s.score = 5)
FROM local_responses r JOIN response_scores s ON s.response_id = r.id
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO rollup_least_met
SELECT day, device_id, kind, lang, suspect, synthetic, least_met, count(*)
FROM local_responses WHERE least_met <> '' GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO rollup_hours
SELECT r.day, r.hour, r.device_id, r.kind, r.lang, r.suspect, r.synthetic, '', count(*),
       sum((SELECT count(*) FROM response_scores s WHERE s.response_id = r.id)),
       sum((SELECT coalesce(sum(s.score), 0) FROM response_scores s WHERE s.response_id = r.id))
FROM local_responses r GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO rollup_hours
SELECT r.day, r.hour, r.device_id, r.kind, r.lang, r.suspect, r.synthetic, s.need, count(*),
       count(*), sum(s.score)
FROM local_responses r JOIN response_scores s ON s.response_id = r.id
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO report_names SELECT DISTINCT 'need', need FROM rollup_scores ON CONFLICT DO NOTHING;
INSERT INTO report_names SELECT DISTINCT 'lang', lang FROM rollup_answers ON CONFLICT DO NOTHING;

DROP VIEW local_responses;
)sql";

// Empties the rollups and counts them again from the stored answers.
void Recount(const TestDatabase& db) {
    for (const char* table : kRollupTables) {
        db.Exec("DELETE FROM " + std::string(table));
    }
    const SchemaStep& backfill = kServerMigrations[5];
    REQUIRE(backfill.Version == 6);
    db.Exec(db.IsPostgres() ? kPgRecount : backfill.Sql);
}

std::string Snapshot(const TestDatabase& raw) {
    std::string text;
    for (const char* table : kRollupTables) {
        std::string order =
            std::string(table) == "report_names" ? "1, 2" : "1, 2, 3, 4, 5, 6, 7, 8";
        std::string sql = "SELECT * FROM " + std::string(table) + " ORDER BY " + order;
        text += std::string("# ") + table + "\n" + raw.QueryText(sql);
    }
    return text;
}

// The fleet's hours, from its shards or from the terminals' own rows.
std::string FleetHoursFrom(const std::string& table) {
    return "SELECT need, day, hour, kind, lang, suspect, synthetic, sum(answers), sum(scores), "
           "sum(score_sum) FROM " +
           table + " GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7";
}

// Answers over several local days and hours, with every variation the rollups key by.
std::vector<IncomingResponse> VariedItems(int64_t first_seq, int count) {
    std::vector<IncomingResponse> items;
    for (int i = 0; i < count; ++i) {
        IncomingResponse item{static_cast<size_t>(i), first_seq + i, SampleResponse(i), "", 0};
        Response& r = item.Data;
        r.StartedAtMs = 1'790'000'000'000 + (first_seq + i) * 97LL * 60'000;  // ~every 97 min
        r.EndedAtMs = r.StartedAtMs + 42'000;
        r.Kind = i % 7 == 0 ? ResponseKind::Staff : ResponseKind::Customer;
        r.Language = i % 5 == 0 ? "el" : "en";
        r.Synthetic = i % 11 == 0;
        if (i % 6 == 0) {
            r.Status = ResponseStatus::Abandoned;
            r.AbandonedAt = "need:clean";
            r.Scores.resize(1);
            r.Intent.reset();
            r.LeastMet.clear();
        }
        r.Intent = i % 4 == 0 ? std::nullopt : std::optional<int>(i % 11);
        item.Suspect = i % 9 == 0 ? "burst" : "";
        item.UtcOffsetMin = i % 3 == 0 ? 60 : (i % 3 == 1 ? -300 : 330);
        items.push_back(std::move(item));
    }
    return items;
}

}  // namespace

TEST_CASE("rollups: local day and hour come from the answer's own UTC offset") {
    const int64_t midnight_utc = 1'795'478'400'000;  // 2026-11-24T00:00:00Z, day 20781
    CHECK(LocalDayOf(midnight_utc, 0) == 20781);
    CHECK(LocalHourOf(midnight_utc, 0) == 0);
    CHECK(LocalDayOf(midnight_utc + 30 * 60'000, -60) == 20780);  // 23:30 the evening before
    CHECK(LocalHourOf(midnight_utc + 30 * 60'000, -60) == 23);
    CHECK(LocalHourOf(midnight_utc, 330) == 5);  // India: 05:30
    CHECK(LocalDayOf(midnight_utc - 60'000, 60) == 20781);

    IncomingResponse item{0, 1, SampleResponse(3), "", 0};
    item.Data.StartedAtMs = midnight_utc + 13 * 3'600'000;  // 13:00 UTC, 14:00 in CET
    item.Data.Intent = 9;
    item.UtcOffsetMin = 60;
    RollupDelta delta;
    delta.Add(item);
    delta.Add(item);
    REQUIRE(delta.Answers.size() == 1);
    const auto& [key, counts] = *delta.Answers.begin();
    CHECK(key.Day == 20781);
    CHECK(counts.Answers == 2);
    CHECK(counts.Promoters == 2);
    CHECK(counts.Detractors == 0);
    CHECK(delta.Name(key.Kind) == "customer");
    CHECK(delta.Hours.count({key, 14, 0}) == 1);
    CHECK(delta.Hours.at({key, 14, 0}).Scores == 6);                  // three needs, twice
    CHECK(delta.Scores.at({key, delta.Intern("clean")}).at(4) == 2);  // both scored clean 5
}

TEST_CASE("rollups: counted at ingest, batch by batch, exactly as the SQL backfill counts") {
    TestDatabase raw;
    std::set<int> shards;
    {
        std::unique_ptr<ServerStore> store = raw.Open();
        std::vector<std::string> devices;
        for (const char* name : {"lisbon", "porto"}) {
            Result<std::string> code = CreateEnrollmentCode(*store, name, "checkout", 24, kNow);
            REQUIRE(code.Ok());
            auto device = RedeemEnrollmentCode(*store, *code, kNow);
            REQUIRE(device.Ok());
            devices.push_back((*device)->DeviceId);
            shards.insert(FleetShardOf(devices.back()));
        }
        // Several batches per device, so the upserts add to rows earlier batches made.
        for (int batch = 0; batch < 4; ++batch) {
            for (const std::string& device : devices) {
                auto outcome = store->StoreBatch(device, VariedItems(1 + batch * 40, 40), kNow);
                REQUIRE(outcome.Ok());
                CHECK(outcome->NewlyStored == 40);
            }
        }
        // A resend adds nothing.
        REQUIRE(store->StoreBatch(devices[0], VariedItems(1, 40), kNow).Ok());
    }
    CHECK(raw.QueryInt("SELECT sum(answers) FROM rollup_answers") == 320);
    CHECK(raw.QueryInt("SELECT sum(answers) FROM rollup_hours WHERE need = ''") == 320);
    CHECK(raw.QueryInt("SELECT sum(s1 + s2 + s3 + s4 + s5) FROM rollup_scores") ==
          raw.QueryInt("SELECT count(*) FROM response_scores"));
    CHECK(raw.QueryInt("SELECT count(DISTINCT day) FROM rollup_answers") >= 4);
    CHECK(raw.QueryInt("SELECT count(*) FROM rollup_answers WHERE suspect = 1") > 0);
    // The fleet's shards hold the terminals' hours summed.
    CHECK(raw.QueryInt("SELECT count(DISTINCT shard) FROM rollup_fleet_hours") ==
          static_cast<int64_t>(shards.size()));
    std::string fleet_at_ingest = raw.QueryText(FleetHoursFrom("rollup_fleet_hours"));
    CHECK(fleet_at_ingest.size() > 100);
    CHECK(fleet_at_ingest == raw.QueryText(FleetHoursFrom("rollup_hours")));
    std::string at_ingest = Snapshot(raw);
    Recount(raw);
    CHECK(Snapshot(raw) == at_ingest);

    // The weekly rollups hold the daily ones summed by week, as the migration fills them.
    auto weeks = [&raw] {
        return raw.QueryText("SELECT * FROM rollup_week_answers ORDER BY 1, 2, 3, 4, 5, 6") +
               raw.QueryText("SELECT * FROM rollup_week_scores ORDER BY 1, 2, 3, 4, 5, 6, 7");
    };
    std::string weeks_at_ingest = weeks();
    CHECK(raw.QueryInt("SELECT count(DISTINCT day) FROM rollup_week_answers") >= 2);
    CHECK(raw.QueryInt("SELECT sum(answers) FROM rollup_week_answers") == 320);
    CHECK(raw.QueryInt("SELECT count(*) FROM rollup_week_answers WHERE (day + 3) % 7 <> 0") == 0);
    raw.Exec("DELETE FROM rollup_week_answers");
    raw.Exec("DELETE FROM rollup_week_scores");
    raw.Exec(DOORSTEP_SQL_FILL_WEEK_ROLLUPS);
    CHECK(weeks() == weeks_at_ingest);
}

}  // namespace doorstep::server

namespace doorstep::server {

TEST_CASE("purge: old answers go with their scores, comments and rollups; the rest is intact") {
    TestDatabase raw;
    std::string device_id;
    int64_t cut = 0;
    {
        std::unique_ptr<ServerStore> store = raw.Open();
        auto code = CreateEnrollmentCode(*store, "lisbon", "checkout", 24, kNow);
        REQUIRE(code.Ok());
        auto device = RedeemEnrollmentCode(*store, *code, kNow);
        REQUIRE(device.Ok());
        device_id = (*device)->DeviceId;
        for (int batch = 0; batch < 4; ++batch) {
            REQUIRE(store->StoreBatch(device_id, VariedItems(1 + batch * 40, 40), kNow).Ok());
        }
        int64_t first_day = raw.QueryInt("SELECT min(day) FROM rollup_answers");
        cut = first_day + 2;
        int64_t old =
            raw.QueryInt(("SELECT count(*) FROM responses WHERE (started_at_ms + "
                          "utc_offset_min * 60000) / 86400000 < " +
                          std::to_string(cut)));
        REQUIRE(old > 10);
        Result<PurgeCounts> would = store->CountPurge(cut);
        REQUIRE(would.Ok());
        CHECK(would->Answers == old);
        CHECK(*store->CountResponses() == 160);  // counting deletes nothing

        Result<PurgeCounts> purged = store->Purge(cut);
        REQUIRE(purged.Ok());
        CHECK(purged->Answers == old);
        CHECK(*store->CountResponses() == 160 - old);
        Result<Completeness> completeness = store->DeviceCompleteness(device_id);
        REQUIRE(completeness.Ok());
        CHECK(completeness->Missing.empty());  // purged is not missing
        CHECK(completeness->HighestStoredSeq == 160);
        if (auto* sqlite = dynamic_cast<SqliteServerStore*>(store.get())) {
            CHECK(*sqlite->IntegrityCheck() == "ok");
        }
        // Purging again finds nothing more.
        CHECK(store->Purge(cut)->Answers == 0);
    }
    CHECK(raw.QueryInt("SELECT count(*) FROM rollup_answers WHERE day < " + std::to_string(cut)) ==
          0);
    CHECK(raw.QueryInt("SELECT count(*) FROM response_scores s LEFT JOIN responses r "
                       "ON r.id = s.response_id WHERE r.id IS NULL") == 0);
    if (!raw.IsPostgres()) {  // the FTS5 index is a table of its own there; PostgreSQL's follows
        raw.Exec("INSERT INTO comment_search (comment_search) VALUES ('integrity-check')");
        CHECK(raw.QueryInt(
                  "SELECT count(*) FROM comment_search WHERE comment_search MATCH 'comment'") ==
              raw.QueryInt("SELECT count(*) FROM responses WHERE comment != ''"));
    }
    // What remains of the rollups is exactly what the remaining answers make.
    std::string kept = Snapshot(raw);
    Recount(raw);
    CHECK(Snapshot(raw) == kept);
}

TEST_CASE("retention: serve's hourly purge keeps exactly the last N days") {
    TestDatabase raw;
    std::unique_ptr<ServerStore> store = raw.Open();
    auto code = CreateEnrollmentCode(*store, "lisbon", "checkout", 24, kNow);
    REQUIRE(code.Ok());
    auto device = RedeemEnrollmentCode(*store, *code, kNow);
    REQUIRE(device.Ok());
    REQUIRE(store->StoreBatch((*device)->DeviceId, VariedItems(1, 120), kNow).Ok());
    const int64_t first_day = raw.QueryInt("SELECT min(day) FROM rollup_answers");
    const int64_t last_day = raw.QueryInt("SELECT max(day) FROM rollup_answers");
    REQUIRE(last_day - first_day >= 2);
    constexpr int64_t kDayMs = 86'400'000;
    // Seen from the day after the last answers: 1 day more than their span keeps them all.
    int64_t today = last_day + 1;
    auto at_today = [&] { return today * kDayMs + 12 * 3'600'000; };

    RetentionService keep_all(*store, {static_cast<int>(today - first_day), 3'600'000}, at_today);
    CHECK(keep_all.FirstKeptDay() == first_day);
    REQUIRE(keep_all.PurgeExpired().Ok());
    CHECK(*store->CountResponses() == 120);

    RetentionService keep_two(*store, {2, 3'600'000}, at_today);
    CHECK(keep_two.FirstKeptDay() == last_day - 1);
    const int64_t expired = raw.QueryInt(
        "SELECT count(*) FROM responses WHERE (started_at_ms + utc_offset_min * 60000) / "
        "86400000 < " +
        std::to_string(last_day - 1));
    REQUIRE(expired > 0);
    REQUIRE(expired < 120);
    Result<PurgeCounts> purged = keep_two.PurgeExpired();
    REQUIRE(purged.Ok());
    CHECK(purged->Answers == expired);
    CHECK(*store->CountResponses() == 120 - expired);
    CHECK(raw.QueryInt("SELECT min(day) FROM rollup_answers") == last_day - 1);

    // A day later, one more day goes; the schedule's own thread does it at once on Start().
    today += 1;
    RetentionService scheduled(*store, {2, 3'600'000}, at_today);
    scheduled.Start();
    scheduled.Stop();
    CHECK(raw.QueryInt("SELECT count(*) FROM rollup_answers WHERE day < " +
                       std::to_string(last_day)) == 0);
    CHECK(*store->CountResponses() ==
          raw.QueryInt("SELECT count(*) FROM responses WHERE (started_at_ms + utc_offset_min * "
                       "60000) / 86400000 >= " +
                       std::to_string(last_day)));
}

}  // namespace doorstep::server
