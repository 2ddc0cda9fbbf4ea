// Rollups (rollup.hpp) stay equal to the aggregate of the stored rows: after random inserts
// through Append and AppendBatch, across a DST change, and after migration 3 backfilled a store
// written by schema 2, which must end up exactly as if its rows had been appended today.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <random>

#include "core/base/clock.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/store/store_schema.hpp"
#include "kiosk/store/summary.hpp"
#include "store_fixtures.hpp"
#include "summary_fixtures.hpp"

namespace doorstep {
namespace {

using testing::Answer;
using testing::AppendOrFail;
using testing::CheckRollupsMatchRows;
using testing::kNeeds;
using testing::LocalMs;
using testing::Mismatches;
using testing::OpenStore;
using testing::QueryOne;
using testing::RollupChecks;
using testing::ScopedTimeZone;
using testing::SuspectReasonOf;
using testing::TempDir;

// Random answers around the spring-forward night of 2025-03-30 (CET -> CEST): mostly calm, with
// bursts, repeats, hurried answers, staff, demo data, abandoned ones and the odd clock jump back.
std::vector<Response> RandomAnswers(uint32_t seed, int count) {
    std::mt19937 random(seed);
    auto chance = [&](double p) {
        return std::uniform_real_distribution<double>(0, 1)(random) < p;
    };
    auto pick = [&](int low, int high) {
        return std::uniform_int_distribution<int>(low, high)(random);
    };
    const char* steps[] = {"need:control", "need:support", "least_met", "comment", "intent"};
    std::vector<Response> answers;
    int64_t ended = LocalMs(2025, 3, 28, 8, 0);
    for (int i = 0; i < count; ++i) {
        ended += chance(0.5) ? pick(500, 15'000) : pick(60'000, 3 * 3'600'000);
        if (chance(0.05)) {
            ended -= pick(1'000, 600'000);  // the clock was set back
        }
        if (!answers.empty() && chance(0.15)) {
            Response again = answers.back();  // the same answers once more
            again.Uuid = NewUuidV7(WallClockMs());
            again.EndedAtMs = ended;
            again.StartedAtMs = ended - again.DurationMs;
            answers.push_back(again);
            continue;
        }
        std::vector<int> scores;
        for (size_t need = 0; need < kNeeds.size(); ++need) {
            scores.push_back(chance(0.1) ? 0 : pick(1, 5));
        }
        std::string least_met = chance(0.1) ? "" : kNeeds[static_cast<size_t>(pick(0, 2))];
        std::optional<int> intent;
        if (chance(0.9)) {
            intent = pick(0, 10);
        }
        Response answer = Answer(ended, scores, least_met, intent, chance(0.3) ? "a comment" : "");
        answer.DurationMs = pick(500, 40'000);
        answer.StartedAtMs = ended - answer.DurationMs;
        answer.Kind = chance(0.1) ? ResponseKind::Staff : ResponseKind::Customer;
        answer.Synthetic = chance(0.2);
        if (chance(0.15)) {
            answer.Status = ResponseStatus::Abandoned;
            answer.AbandonedAt = steps[pick(0, 4)];
            answer.Intent.reset();
        }
        answers.push_back(std::move(answer));
    }
    return answers;
}

// Appends in random runs: single Append() calls and AppendBatch() chunks of 1 to 20.
void AppendMixed(Store& store, const std::vector<Response>& answers, uint32_t seed) {
    std::mt19937 random(seed);
    for (size_t next = 0; next < answers.size();) {
        size_t run = std::uniform_int_distribution<size_t>(1, 20)(random);
        run = std::min(run, answers.size() - next);
        if (run == 1 || random() % 4 == 0) {  // each Append() waits for an fsync: fewer of them
            for (size_t i = 0; i < run; ++i) {
                AppendOrFail(store, answers[next + i]);
            }
        } else {
            std::vector<Response> chunk(answers.begin() + static_cast<ptrdiff_t>(next),
                                        answers.begin() + static_cast<ptrdiff_t>(next + run));
            REQUIRE(store.AppendBatch(chunk).Ok());
        }
        next += run;
    }
}

// Writes responses into a file the way schema 2 stored them (no suspect flag, no rollups).
void WriteSchema2Store(const std::string& path, const std::vector<Response>& answers) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, kMigrations[0].Sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, kMigrations[1].Sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "PRAGMA user_version = 2; BEGIN", nullptr, nullptr, nullptr) ==
            SQLITE_OK);
    sqlite3_stmt* row = nullptr;
    sqlite3_stmt* score = nullptr;
    REQUIRE(sqlite3_prepare_v2(
                db,
                "INSERT INTO responses (uuid, survey_id, survey_version, door, lang, kind, status, "
                "abandoned_at, started_at_ms, ended_at_ms, duration_ms, least_met, intent, "
                "comment, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, ''), ?9, ?10, "
                "?11, nullif(?12, ''), ?13, nullif(?14, ''), ?15)",
                -1, &row, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_prepare_v2(db,
                               "INSERT INTO response_scores (seq, need, score, ordinal) "
                               "VALUES (?1, ?2, ?3, ?4)",
                               -1, &score, nullptr) == SQLITE_OK);
    auto text = [](sqlite3_stmt* statement, int index, std::string_view value) {
        sqlite3_bind_text(statement, index, value.data(), static_cast<int>(value.size()),
                          SQLITE_TRANSIENT);
    };
    for (const Response& answer : answers) {
        text(row, 1, answer.Uuid);
        text(row, 2, answer.SurveyId);
        sqlite3_bind_int64(row, 3, answer.SurveyVersion);
        text(row, 4, answer.Door);
        text(row, 5, answer.Language);
        text(row, 6, ToString(answer.Kind));
        text(row, 7, ToString(answer.Status));
        text(row, 8, answer.AbandonedAt);
        sqlite3_bind_int64(row, 9, answer.StartedAtMs);
        sqlite3_bind_int64(row, 10, answer.EndedAtMs);
        sqlite3_bind_int64(row, 11, answer.DurationMs);
        text(row, 12, answer.LeastMet);
        if (answer.Intent) {
            sqlite3_bind_int64(row, 13, *answer.Intent);
        } else {
            sqlite3_bind_null(row, 13);
        }
        text(row, 14, answer.Comment);
        sqlite3_bind_int64(row, 15, answer.Synthetic ? 1 : 0);
        REQUIRE(sqlite3_step(row) == SQLITE_DONE);
        sqlite3_reset(row);
        sqlite3_int64 seq = sqlite3_last_insert_rowid(db);
        for (size_t i = 0; i < answer.Scores.size(); ++i) {
            sqlite3_bind_int64(score, 1, seq);
            text(score, 2, answer.Scores[i].NeedId);
            sqlite3_bind_int64(score, 3, answer.Scores[i].Score);
            sqlite3_bind_int64(score, 4, static_cast<int64_t>(i));
            REQUIRE(sqlite3_step(score) == SQLITE_DONE);
            sqlite3_reset(score);
        }
    }
    sqlite3_finalize(row);
    sqlite3_finalize(score);
    REQUIRE(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close_v2(db);
}

// Two stores hold the same suspect flags (by uuid) and identical rollup tables.
void CheckSameDerivedData(const Store& left, const Store& right) {
    sqlite3* db = left.Handle();
    std::string attach = "ATTACH DATABASE '" + right.Path() + "' AS other";
    REQUIRE(sqlite3_exec(db, attach.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    CHECK(Mismatches(db, "SELECT uuid, suspect_reason FROM main.responses",
                     "SELECT uuid, suspect_reason FROM other.responses") == 0);
    for (const auto& check : RollupChecks()) {
        INFO(check.Table);
        CHECK(Mismatches(db, std::string("SELECT * FROM main.") + check.Table,
                         std::string("SELECT * FROM other.") + check.Table) == 0);
    }
    REQUIRE(sqlite3_exec(db, "DETACH DATABASE other", nullptr, nullptr, nullptr) == SQLITE_OK);
}

}  // namespace

TEST_CASE("rollups: equal the aggregate of the stored rows after random inserts") {
    ScopedTimeZone zone;
    for (uint32_t seed : {1u, 2u, 3u}) {
        CAPTURE(seed);
        TempDir dir;
        auto store = OpenStore(dir.File("kiosk.db"));
        std::vector<Response> answers = RandomAnswers(seed, 300);
        AppendMixed(*store, answers, seed);
        sqlite3* db = store->Handle();
        CheckRollupsMatchRows(db);
        // The random data exercised every rule and both sides of every filter.
        CHECK(QueryOne(db, "SELECT count(*) FROM responses WHERE suspect_reason LIKE '%burst%'") >
              0);
        CHECK(QueryOne(db, "SELECT count(*) FROM responses WHERE suspect_reason LIKE '%fast%'") >
              0);
        CHECK(QueryOne(db, "SELECT count(*) FROM responses WHERE suspect_reason LIKE '%repeat%'") >
              0);
        CHECK(QueryOne(db, "SELECT count(DISTINCT day) FROM rollup_outcomes") >= 3);

        // And the summaries read the same numbers as a direct count over the rows.
        SummaryFilter filter;
        filter.Span = Period::Last28Days;
        int64_t now = 0;  // the last answer's time: every answer lies within the last 28 days
        for (const Response& answer : answers) {
            now = std::max(now, answer.EndedAtMs);
        }
        for (bool include_suspect : {false, true}) {
            filter.IncludeSuspect = include_suspect;
            Result<NeedSummaries> needs = SummarizeNeeds(db, kNeeds, filter, now);
            REQUIRE(needs.Ok());
            std::string where = include_suspect ? "" : " AND r.suspect_reason IS NULL";
            std::string from =
                " FROM response_scores s JOIN responses r ON r.seq = s.seq "
                "WHERE r.kind = 'customer' AND s.need = 'trust'" +
                where;
            CHECK(needs->Needs[0].Count == QueryOne(db, "SELECT count(*)" + from));
            REQUIRE(needs->Needs[0].Mean.Value.has_value());
            CHECK(*needs->Needs[0].Mean.Value ==
                  doctest::Approx(static_cast<double>(QueryOne(db, "SELECT sum(score)" + from)) /
                                  static_cast<double>(needs->Needs[0].Count)));
        }
    }
}

TEST_CASE("rollups: AppendBatch flags and counts exactly as one Append after another") {
    ScopedTimeZone zone;
    TempDir dir;
    std::vector<Response> answers = RandomAnswers(11, 150);
    auto one_by_one = OpenStore(dir.File("append.db"));
    for (const Response& answer : answers) {
        AppendOrFail(*one_by_one, answer);
    }
    auto batched = OpenStore(dir.File("batch.db"));
    for (size_t first = 0; first < answers.size(); first += 64) {
        std::vector<Response> chunk(
            answers.begin() + static_cast<ptrdiff_t>(first),
            answers.begin() + static_cast<ptrdiff_t>(std::min(first + 64, answers.size())));
        REQUIRE(batched->AppendBatch(chunk).Ok());
    }
    CheckRollupsMatchRows(batched->Handle());
    CheckSameDerivedData(*one_by_one, *batched);

    // A batch that fails leaves no count behind: all or nothing, rollups included.
    std::vector<Response> doomed = RandomAnswers(12, 5);
    doomed.back().Uuid = answers.front().Uuid;  // already stored
    const std::string total = "SELECT sum(n) FROM rollup_outcomes";
    int64_t before = QueryOne(batched->Handle(), total);
    REQUIRE_FALSE(batched->AppendBatch(doomed).Ok());
    CHECK(QueryOne(batched->Handle(), total) == before);
}

TEST_CASE("migration 3: a schema-2 store gets the suspect flags and rollups of its rows") {
    ScopedTimeZone zone;
    TempDir dir;
    std::vector<Response> answers = RandomAnswers(21, 400);
    std::string old_path = dir.File("schema2.db");
    WriteSchema2Store(old_path, answers);

    auto migrated = OpenStore(old_path);
    CHECK(migrated->SchemaVersion() == kLatestSchemaVersion);
    CHECK(*migrated->IntegrityCheck() == "ok");
    CHECK(*migrated->CountResponses() == 400);
    CheckRollupsMatchRows(migrated->Handle());

    // Exactly what the insert path gives the same rows in the same order (AppendBatch counts as
    // Append does; the test above shows it).
    auto appended = OpenStore(dir.File("appended.db"));
    REQUIRE(appended->AppendBatch(answers).Ok());
    CheckSameDerivedData(*migrated, *appended);

    // New answers are judged against the migrated ones and counted on top of them.
    std::vector<Response> more = RandomAnswers(22, 50);
    Response burst = Answer(answers.back().EndedAtMs, {1, 2, 3}, "trust", 4);
    Response second = Answer(answers.back().EndedAtMs + 1, {1, 2, 4}, "trust", 4);
    AppendOrFail(*migrated, burst);
    AppendOrFail(*migrated, second);
    AppendOrFail(*appended, burst);
    AppendOrFail(*appended, second);
    CHECK(SuspectReasonOf(*migrated, second.Uuid) == SuspectReasonOf(*appended, second.Uuid));
    REQUIRE(migrated->AppendBatch(more).Ok());
    REQUIRE(appended->AppendBatch(more).Ok());
    CheckRollupsMatchRows(migrated->Handle());
    CheckSameDerivedData(*migrated, *appended);
}

}  // namespace doorstep
