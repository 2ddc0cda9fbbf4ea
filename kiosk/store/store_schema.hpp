// The store's schema, as the list of migration steps that build it. Store::Open() applies, in
// order and each in its own transaction, every step newer than the file's PRAGMA user_version.
// Data only; the code that applies it is OpenDurableFile() in sqlite_file.cpp.
#pragma once

#include <cstddef>
#include <iterator>

#include "core/sqlite/sqlite_file.hpp"

namespace doorstep {

// Append new steps; never edit one that has shipped.
inline constexpr SchemaStep kMigrations[] = {
    {1, R"sql(
CREATE TABLE responses (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid           TEXT NOT NULL UNIQUE,
    survey_id      TEXT NOT NULL,
    survey_version INTEGER NOT NULL,
    door           TEXT NOT NULL,
    lang           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('customer', 'staff')),
    status         TEXT NOT NULL CHECK (status IN ('completed', 'abandoned')),
    abandoned_at   TEXT,
    started_at_ms  INTEGER NOT NULL,
    ended_at_ms    INTEGER NOT NULL,
    duration_ms    INTEGER NOT NULL,
    least_met      TEXT,
    intent         INTEGER CHECK (intent BETWEEN 0 AND 10),
    comment        TEXT,
    synthetic      INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
    sync_state     TEXT NOT NULL DEFAULT 'pending'
                   CHECK (sync_state IN ('pending', 'synced', 'conflict', 'rejected'))
);
-- The uploader's query: the oldest rows in a given state.
CREATE INDEX responses_by_sync_state ON responses (sync_state, seq);

CREATE TABLE response_scores (
    seq     INTEGER NOT NULL REFERENCES responses (seq) ON DELETE CASCADE,
    need    TEXT NOT NULL,
    score   INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    ordinal INTEGER NOT NULL,  -- position in the survey, so scores read back in survey order
    PRIMARY KEY (seq, need)
) WITHOUT ROWID;

CREATE TABLE surveys (
    id           INTEGER PRIMARY KEY,
    survey_id    TEXT NOT NULL,
    version      INTEGER NOT NULL,
    json         TEXT NOT NULL,
    stored_at_ms INTEGER NOT NULL
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);
)sql"},
    {2, R"sql(
-- When head office acknowledged the row (retention counts from here), and its words for a
-- conflict or rejection, kept beside the row for the manager's sync panel.
ALTER TABLE responses ADD COLUMN synced_at_ms INTEGER;
ALTER TABLE responses ADD COLUMN sync_note TEXT;
CREATE INDEX responses_by_synced_at ON responses (synced_at_ms) WHERE sync_state = 'synced';
)sql"},
    {3, R"sql(
-- Store manager mode: suspect flags (suspect.hpp) and per-hour rollups (rollup.hpp).

-- Why a response looks like play or a test: 'burst', 'too_fast', 'repeat', comma-separated in
-- that order; NULL when none. Set once, at insert, and never changed.
ALTER TABLE responses ADD COLUMN suspect_reason TEXT;
-- The suspect rules look up the completed customer answers that ended just before a new one.
CREATE INDEX responses_completed_by_end ON responses (synthetic, ended_at_ms)
    WHERE status = 'completed' AND kind = 'customer';
-- The manager's comment list, newest first.
CREATE INDEX responses_commented_by_end ON responses (ended_at_ms) WHERE comment IS NOT NULL;

-- Rollups, keyed by the answer's LOCAL day number (days since 1970-01-01 of the local date),
-- local hour and weekday (0 = Sunday), then kind, suspect (0/1) and synthetic (0/1); n counts.
CREATE TABLE rollup_outcomes (
    day       INTEGER NOT NULL,
    hour      INTEGER NOT NULL,
    weekday   INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    suspect   INTEGER NOT NULL,
    synthetic INTEGER NOT NULL,
    reason    TEXT NOT NULL,  -- suspect_reason, '' when none
    status    TEXT NOT NULL,  -- 'completed' | 'abandoned'
    step      TEXT NOT NULL,  -- abandoned_at, '' when none
    n         INTEGER NOT NULL,
    PRIMARY KEY (day, hour, kind, suspect, synthetic, reason, status, step)
) WITHOUT ROWID;
CREATE TABLE rollup_scores (
    day       INTEGER NOT NULL,
    hour      INTEGER NOT NULL,
    weekday   INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    suspect   INTEGER NOT NULL,
    synthetic INTEGER NOT NULL,
    need      TEXT NOT NULL,
    score     INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (day, hour, kind, suspect, synthetic, need, score)
) WITHOUT ROWID;
CREATE TABLE rollup_least_met (
    day       INTEGER NOT NULL,
    hour      INTEGER NOT NULL,
    weekday   INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    suspect   INTEGER NOT NULL,
    synthetic INTEGER NOT NULL,
    need      TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (day, hour, kind, suspect, synthetic, need)
) WITHOUT ROWID;
CREATE TABLE rollup_intent (
    day       INTEGER NOT NULL,
    hour      INTEGER NOT NULL,
    weekday   INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    suspect   INTEGER NOT NULL,
    synthetic INTEGER NOT NULL,
    intent    INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (day, hour, kind, suspect, synthetic, intent)
) WITHOUT ROWID;

-- Backfill: judge the rows stored before this migration by the rules of suspect.hpp as they
-- stand at schema 3 (burst: 20000 ms, 3rd answer; too_fast: 1200 ms an answer; repeat:
-- 120000 ms), each row against the rows stored before it (lower seq), as the insert path does.
UPDATE responses SET suspect_reason = nullif(rtrim(
    CASE WHEN (SELECT count(*) FROM responses p
               WHERE p.status = 'completed' AND p.kind = 'customer'
                 AND p.synthetic = responses.synthetic AND p.seq < responses.seq
                 AND p.ended_at_ms BETWEEN responses.ended_at_ms - 20000
                                       AND responses.ended_at_ms) >= 2
         THEN 'burst,' ELSE '' END ||
    CASE WHEN responses.duration_ms < 1200 * (
                  (SELECT count(*) FROM response_scores s WHERE s.seq = responses.seq)
                  + (responses.least_met IS NOT NULL) + (responses.intent IS NOT NULL))
         THEN 'too_fast,' ELSE '' END ||
    CASE WHEN EXISTS (
             SELECT 1 FROM responses p
             WHERE p.seq = (SELECT q.seq FROM responses q
                            WHERE q.status = 'completed' AND q.kind = 'customer'
                              AND q.synthetic = responses.synthetic AND q.seq < responses.seq
                              AND q.ended_at_ms <= responses.ended_at_ms
                            ORDER BY q.ended_at_ms DESC, q.seq DESC LIMIT 1)
               AND responses.ended_at_ms - p.ended_at_ms <= 120000
               AND p.least_met IS responses.least_met AND p.intent IS responses.intent
               AND (SELECT count(*) FROM response_scores a WHERE a.seq = p.seq) =
                   (SELECT count(*) FROM response_scores b WHERE b.seq = responses.seq)
               AND NOT EXISTS (
                   SELECT 1 FROM response_scores b
                   WHERE b.seq = responses.seq AND NOT EXISTS (
                       SELECT 1 FROM response_scores a
                       WHERE a.seq = p.seq AND a.need = b.need AND a.score = b.score)))
         THEN 'repeat,' ELSE '' END, ','), '')
WHERE status = 'completed' AND kind = 'customer';

-- Backfill the rollups. SQLite's 'localtime' uses localtime_r, as LocalSlotOf() does; it is
-- called once per response (local_s: the local wall time read as if it were UTC, in seconds).
CREATE TEMP TABLE migration_slots AS
SELECT seq, kind, synthetic, status, coalesce(abandoned_at, '') AS step, least_met, intent,
       suspect_reason IS NOT NULL AS suspect, coalesce(suspect_reason, '') AS reason,
       CAST(strftime('%s', ended_at_ms / 1000, 'unixepoch', 'localtime') AS INTEGER) AS local_s
FROM responses;
CREATE TEMP VIEW migration_buckets AS
SELECT *, local_s / 86400 AS day, local_s % 86400 / 3600 AS hour,
       (local_s / 86400 + 4) % 7 AS weekday  -- 1970-01-01 was a Thursday
FROM migration_slots;
INSERT INTO rollup_outcomes (day, hour, weekday, kind, suspect, synthetic, reason, status, step, n)
SELECT day, hour, weekday, kind, suspect, synthetic, reason, status, step, count(*)
FROM migration_buckets GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
INSERT INTO rollup_scores (day, hour, weekday, kind, suspect, synthetic, need, score, n)
SELECT b.day, b.hour, b.weekday, b.kind, b.suspect, b.synthetic, s.need, s.score, count(*)
FROM migration_buckets b JOIN response_scores s ON s.seq = b.seq GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
INSERT INTO rollup_least_met (day, hour, weekday, kind, suspect, synthetic, need, n)
SELECT day, hour, weekday, kind, suspect, synthetic, least_met, count(*)
FROM migration_buckets WHERE least_met IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO rollup_intent (day, hour, weekday, kind, suspect, synthetic, intent, n)
SELECT day, hour, weekday, kind, suspect, synthetic, intent, count(*)
FROM migration_buckets WHERE intent IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7;
DROP VIEW migration_buckets;
DROP TABLE migration_slots;
)sql"},
    {4, R"sql(
-- Where the answer ended on the terminal's boot clock (clock.hpp) and which boot that was, so the
-- uploader can tell head office the answer's age, which wall-clock jumps do not change.
-- NULL for rows stored before this step: those are dated by their wall-clock times.
ALTER TABLE responses ADD COLUMN boot_id TEXT;
ALTER TABLE responses ADD COLUMN ended_boot_ms INTEGER;
)sql"},
    {5, R"sql(
-- Alerts (store_alerts.cpp): the ones this terminal raised from head office's rules (kept in
-- meta as "alert_view" with the store's alerts), until head office has them; and what the
-- manager did about an alert, until head office has that.
CREATE TABLE local_alerts (
    rule_id        INTEGER NOT NULL,
    response_uuid  TEXT NOT NULL,
    kind           TEXT NOT NULL,
    need           TEXT NOT NULL,
    low_needs      TEXT NOT NULL,
    least_met      TEXT NOT NULL,
    intent         INTEGER,
    comment        TEXT NOT NULL,
    door           TEXT NOT NULL,
    ended_at_ms    INTEGER NOT NULL,
    utc_offset_min INTEGER NOT NULL,
    raised_at_ms   INTEGER NOT NULL,
    synced         INTEGER NOT NULL DEFAULT 0 CHECK (synced IN (0, 1)),
    PRIMARY KEY (rule_id, response_uuid)
) WITHOUT ROWID;
CREATE TABLE alert_acts (
    id            INTEGER PRIMARY KEY,
    alert_id      INTEGER,  -- head office's id, or NULL for a terminal's alert not yet synced
    rule_id       INTEGER,
    response_uuid TEXT,
    act           TEXT NOT NULL CHECK (act IN ('acknowledge', 'resolve')),
    note          TEXT NOT NULL,
    at_ms         INTEGER NOT NULL,
    synced        INTEGER NOT NULL DEFAULT 0 CHECK (synced IN (0, 1))
);
)sql"},
    {6, R"sql(
-- Service recovery (store_contacts.cpp): a contact a customer left after a low answer, sealed to
-- head office's key before it was written, kept apart from the answer (with the answer's words
-- head office's alert names) until head office has it.
CREATE TABLE contacts (
    response_uuid  TEXT PRIMARY KEY,
    sealed         TEXT NOT NULL,  -- hex crypto_box_seal: this terminal cannot open it
    left_at_ms     INTEGER NOT NULL,
    ended_at_ms    INTEGER NOT NULL,
    utc_offset_min INTEGER NOT NULL,
    least_met      TEXT NOT NULL,
    low_needs      TEXT NOT NULL,
    intent         INTEGER,
    comment        TEXT NOT NULL
) WITHOUT ROWID;
)sql"},
};

inline constexpr int kLatestSchemaVersion = kMigrations[std::size(kMigrations) - 1].Version;

static_assert(StepsAreConsecutive(kMigrations), "migration k must take user_version from k-1 to k");

}  // namespace doorstep
