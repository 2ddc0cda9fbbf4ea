// The head-office SQLite schema, as the list of migration steps that build it. Open() in
// sqlite_server_store.cpp applies, in order and each in its own transaction, every step newer than
// the file's PRAGMA user_version. Data only.
#pragma once

#include <cstddef>
#include <iterator>

#include "core/sqlite/sqlite_file.hpp"
#include "server/store/shared_schema.hpp"

namespace doorstep::server {

// Append new steps; never edit one that has shipped.
inline constexpr SchemaStep kServerMigrations[] = {
    {1, R"sql(
CREATE TABLE devices (
    device_id      TEXT PRIMARY KEY,
    store          TEXT NOT NULL,
    door           TEXT NOT NULL,
    secret_hex     TEXT NOT NULL CHECK (length(secret_hex) = 64),
    enrolled_at_ms INTEGER NOT NULL,
    revoked_at_ms  INTEGER
);

-- Only the SHA-256 of a code is kept: a copy of the database does not enroll anyone.
CREATE TABLE enrollment_codes (
    code_hash     TEXT PRIMARY KEY,
    store         TEXT NOT NULL,
    door          TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    used_at_ms    INTEGER,
    device_id     TEXT REFERENCES devices (device_id)  -- the device the code made
);

CREATE TABLE responses (
    id             INTEGER PRIMARY KEY,
    device_id      TEXT NOT NULL REFERENCES devices (device_id),
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    uuid           TEXT NOT NULL,
    -- SHA-256 of CanonicalContent(response, seq): "same uuid, same content?" without re-reading.
    content_hash   TEXT NOT NULL,
    survey_id      TEXT NOT NULL,
    survey_version INTEGER NOT NULL CHECK (survey_version >= 1),
    door           TEXT NOT NULL,
    lang           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('customer', 'staff')),
    status         TEXT NOT NULL CHECK (status IN ('completed', 'abandoned')),
    abandoned_at   TEXT NOT NULL,
    started_at_ms  INTEGER NOT NULL,
    ended_at_ms    INTEGER NOT NULL,
    duration_ms    INTEGER NOT NULL CHECK (duration_ms BETWEEN 0 AND 86400000),
    least_met      TEXT NOT NULL,
    intent         INTEGER CHECK (intent BETWEEN 0 AND 10),
    comment        TEXT NOT NULL,
    synthetic      INTEGER NOT NULL CHECK (synthetic IN (0, 1)),
    received_at_ms INTEGER NOT NULL,
    UNIQUE (device_id, uuid),
    UNIQUE (device_id, seq)
);
CREATE INDEX responses_by_started_at ON responses (started_at_ms);

CREATE TABLE response_scores (
    response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    need        TEXT NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    ordinal     INTEGER NOT NULL,  -- position in the request, so scores read back in survey order
    PRIMARY KEY (response_id, need)
) WITHOUT ROWID;
CREATE INDEX response_scores_by_need ON response_scores (need);

CREATE TABLE nonces (
    device_id  TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    seen_at_ms INTEGER NOT NULL,
    PRIMARY KEY (device_id, nonce)
) WITHOUT ROWID;
CREATE INDEX nonces_by_age ON nonces (seen_at_ms);

CREATE TABLE heartbeats (
    device_id           TEXT PRIMARY KEY REFERENCES devices (device_id),
    backlog             INTEGER NOT NULL,
    oldest_unsent_age_s INTEGER NOT NULL,
    last_error          TEXT NOT NULL,
    clock_offset_ms     INTEGER NOT NULL,
    app_version         TEXT NOT NULL,
    survey_version      INTEGER NOT NULL,
    free_disk_bytes     INTEGER NOT NULL,
    highest_seq         INTEGER NOT NULL,
    received_at_ms      INTEGER NOT NULL
);
)sql"},
    // Repeats are found by the UNIQUE keys and compared with the stored row itself, so a hash of
    // every response's content is no longer computed at ingest (or kept).
    {2, R"sql(
ALTER TABLE responses DROP COLUMN content_hash;
)sql"},
    {3, R"sql(
CREATE TABLE users (
    name           TEXT PRIMARY KEY,
    password_hash  TEXT NOT NULL,  -- crypto_pwhash_str (Argon2id): salt and cost included
    created_at_ms  INTEGER NOT NULL,
    disabled_at_ms INTEGER
);

-- Only the SHA-256 of a bearer token: a copy of the database logs nobody in.
CREATE TABLE auth_tokens (
    token_hash    TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('session', 'api')),
    user_name     TEXT NOT NULL REFERENCES users (name),
    label         TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER,
    revoked_at_ms INTEGER
);
CREATE INDEX auth_tokens_by_user ON auth_tokens (user_name);
)sql"},
    // What the kiosk says about each answer (docs/protocol.md): its suspect codes, and its UTC
    // offset, which puts the answer in the store's local day and hour.
    {4, R"sql(
ALTER TABLE responses ADD COLUMN suspect_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN utc_offset_min INTEGER NOT NULL DEFAULT 0
    CHECK (utc_offset_min BETWEEN -1080 AND 1080);
)sql"},
    // Report rollups (rollup_delta.hpp), kept by StoreBatch in the batch's own transaction, so a
    // report over millions of answers reads thousands of rows. Keyed by the answer's local day
    // (days since 1970-01-01 of started_at + utc_offset), the device (its store and door are in
    // devices), kind, language, and whether it is suspect or synthetic.
    {5, R"sql(
CREATE TABLE rollup_answers (
    day            INTEGER NOT NULL,
    device_id      TEXT NOT NULL,
    kind           TEXT NOT NULL,
    lang           TEXT NOT NULL,
    suspect        INTEGER NOT NULL,
    synthetic      INTEGER NOT NULL,
    answers        INTEGER NOT NULL,
    completed      INTEGER NOT NULL,
    intent_answers INTEGER NOT NULL,
    promoters      INTEGER NOT NULL,  -- intent 9-10
    detractors     INTEGER NOT NULL,  -- intent 0-6
    commented      INTEGER NOT NULL,  -- answers with a comment
    PRIMARY KEY (day, device_id, kind, lang, suspect, synthetic)
) WITHOUT ROWID;

CREATE TABLE rollup_scores (
    day       INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    lang      TEXT NOT NULL,
    suspect   INTEGER NOT NULL,
    synthetic INTEGER NOT NULL,
    need      TEXT NOT NULL,
    s1 INTEGER NOT NULL, s2 INTEGER NOT NULL, s3 INTEGER NOT NULL, s4 INTEGER NOT NULL,
    s5 INTEGER NOT NULL,
    PRIMARY KEY (day, device_id, kind, lang, suspect, synthetic, need)
) WITHOUT ROWID;

CREATE TABLE rollup_least_met (
    day       INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    lang      TEXT NOT NULL,
    suspect   INTEGER NOT NULL,
    synthetic INTEGER NOT NULL,
    need      TEXT NOT NULL,
    answers   INTEGER NOT NULL,
    PRIMARY KEY (day, device_id, kind, lang, suspect, synthetic, need)
) WITHOUT ROWID;

-- The local hour too, for the hour x weekday matrix. need '' counts every answer and score.
CREATE TABLE rollup_hours (
    day       INTEGER NOT NULL,
    hour      INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    lang      TEXT NOT NULL,
    suspect   INTEGER NOT NULL,
    synthetic INTEGER NOT NULL,
    need      TEXT NOT NULL,
    answers   INTEGER NOT NULL,
    scores    INTEGER NOT NULL,
    score_sum INTEGER NOT NULL,
    PRIMARY KEY (day, hour, device_id, kind, lang, suspect, synthetic, need)
) WITHOUT ROWID;

-- Every need and language the rollups hold, for the report filters' choices.
CREATE TABLE report_names (
    what TEXT NOT NULL CHECK (what IN ('need', 'lang')),
    name TEXT NOT NULL,
    PRIMARY KEY (what, name)
) WITHOUT ROWID;
)sql"},
    // The answers stored before step 5, counted into the rollups with the rules of
    // RollupDelta::Add() in SQL (a test compares the two on the same answers).
    {6, R"sql(
CREATE TEMP VIEW local_responses AS
SELECT id, device_id, kind, lang, suspect_reason != '' AS suspect, synthetic, status, intent,
       least_met, comment, (started_at_ms + utc_offset_min * 60000) / 86400000 AS day,
       (started_at_ms + utc_offset_min * 60000) % 86400000 / 3600000 AS hour
FROM responses;

INSERT INTO rollup_answers
SELECT day, device_id, kind, lang, suspect, synthetic, count(*), sum(status = 'completed'),
       count(intent), count(CASE WHEN intent >= 9 THEN 1 END),
       count(CASE WHEN intent <= 6 THEN 1 END), sum(comment != '')
FROM local_responses GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO rollup_scores
SELECT r.day, r.device_id, r.kind, r.lang, r.suspect, r.synthetic, s.need, sum(s.score = 1),
       sum(s.score = 2), sum(s.score = 3), sum(s.score = 4), sum(s.score = 5)
FROM local_responses r JOIN response_scores s ON s.response_id = r.id
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO rollup_least_met
SELECT day, device_id, kind, lang, suspect, synthetic, least_met, count(*)
FROM local_responses WHERE least_met != '' GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO rollup_hours
    (day, hour, device_id, kind, lang, suspect, synthetic, need, answers, scores, score_sum)
SELECT r.day, r.hour, r.device_id, r.kind, r.lang, r.suspect, r.synthetic, '', count(*),
       sum((SELECT count(*) FROM response_scores s WHERE s.response_id = r.id)),
       sum((SELECT coalesce(sum(s.score), 0) FROM response_scores s WHERE s.response_id = r.id))
FROM local_responses r GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO rollup_hours
    (day, hour, device_id, kind, lang, suspect, synthetic, need, answers, scores, score_sum)
SELECT r.day, r.hour, r.device_id, r.kind, r.lang, r.suspect, r.synthetic, s.need, count(*),
       count(*), sum(s.score)
FROM local_responses r JOIN response_scores s ON s.response_id = r.id
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT OR IGNORE INTO report_names SELECT 'need', need FROM rollup_scores;
INSERT OR IGNORE INTO report_names SELECT 'lang', lang FROM rollup_answers;

DROP VIEW local_responses;
)sql"},
    // Comment search: a word index over the comments (Unicode words, case and accents ignored,
    // so "cafe" finds "Café"), kept by StoreBatch for every new answer with a comment.
    {7, R"sql(
CREATE VIRTUAL TABLE comment_search USING fts5(
    comment, content = 'responses', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', columnsize = 0);
INSERT INTO comment_search (comment_search, rank) VALUES ('automerge', 0);
INSERT INTO comment_search (rowid, comment) SELECT id, comment FROM responses WHERE comment != '';
)sql"},
    // Leading-indicator alerts (alerts.hpp): at most one open alert per store, door and need,
    // and the delivery of each to the webhook, which any server may claim.
    {8, R"sql(
CREATE TABLE alerts (
    id                 INTEGER PRIMARY KEY,
    store              TEXT NOT NULL,
    door               TEXT NOT NULL,
    need               TEXT NOT NULL,
    opened_at_ms       INTEGER NOT NULL,
    updated_at_ms      INTEGER NOT NULL,
    resolved_at_ms     INTEGER,
    window_end_slot    INTEGER NOT NULL,  -- local day * 24 + hour the window ends with
    recent_answers     INTEGER NOT NULL,
    recent_mean        REAL NOT NULL,
    baseline_answers   INTEGER NOT NULL,
    baseline_mean      REAL NOT NULL,
    webhook_state      TEXT NOT NULL DEFAULT 'none'
                       CHECK (webhook_state IN ('none', 'pending', 'delivered', 'failed')),
    webhook_attempts   INTEGER NOT NULL DEFAULT 0,
    webhook_next_at_ms INTEGER,
    webhook_error      TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX alerts_open_once ON alerts (store, door, need) WHERE resolved_at_ms IS NULL;
CREATE INDEX alerts_by_opened ON alerts (opened_at_ms);
CREATE INDEX alerts_to_deliver ON alerts (webhook_next_at_ms) WHERE webhook_state = 'pending';
)sql"},
    // Retention (`purge`): the highest seq purged per device, so purged answers are not counted
    // as missing.
    {9, R"sql(
ALTER TABLE devices ADD COLUMN purged_through_seq INTEGER NOT NULL DEFAULT 0;
)sql"},
    // Sign-in throttling (accounts.hpp): wrong passwords per user name, in the database so that
    // every server behind a load balancer counts the same attempts.
    {10, R"sql(
CREATE TABLE login_throttle (
    name            TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    locked_until_ms INTEGER NOT NULL,
    last_failure_ms INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
    // Survey configuration push (survey_push.hpp): every published definition, kept for ever so
    // any answer's version can be read back, and every assignment to a scope (a store and door,
    // '' for every one), newest last: the current one is the highest id; a rollback appends.
    {11, R"sql(
CREATE TABLE survey_versions (
    survey_id       TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    definition      TEXT NOT NULL,
    etag            TEXT NOT NULL,
    published_at_ms INTEGER NOT NULL,
    published_by    TEXT NOT NULL,
    PRIMARY KEY (survey_id, version)
) WITHOUT ROWID;
CREATE TABLE survey_assignments (
    id             INTEGER PRIMARY KEY,
    store          TEXT NOT NULL,
    door           TEXT NOT NULL,
    survey_id      TEXT NOT NULL,
    version        INTEGER NOT NULL,
    assigned_at_ms INTEGER NOT NULL,
    assigned_by    TEXT NOT NULL,
    FOREIGN KEY (survey_id, version) REFERENCES survey_versions (survey_id, version)
);
CREATE INDEX survey_assignments_by_scope ON survey_assignments (store, door, id);
)sql"},
    // Each device's stored answers counted as they arrive, so the fleet page need not count
    // millions of rows: it looks for gaps only where the count and the highest seq disagree.
    {12, R"sql(
ALTER TABLE devices ADD COLUMN stored_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN highest_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN last_received_at_ms INTEGER;
)sql" DOORSTEP_SQL_COUNT_STORED_ANSWERS},
    // The hour rollups keyed by need first: the heat map reads one need's rows (need '' for
    // every answer) in the date range, not every need's.
    {13, R"sql(
CREATE TABLE rollup_hours_by_need (
    need      TEXT NOT NULL,
    day       INTEGER NOT NULL,
    hour      INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    lang      TEXT NOT NULL,
    suspect   INTEGER NOT NULL,
    synthetic INTEGER NOT NULL,
    answers   INTEGER NOT NULL,
    scores    INTEGER NOT NULL,
    score_sum INTEGER NOT NULL,
    PRIMARY KEY (need, day, hour, device_id, kind, lang, suspect, synthetic)
) WITHOUT ROWID;
INSERT INTO rollup_hours_by_need
SELECT need, day, hour, device_id, kind, lang, suspect, synthetic, answers, scores, score_sum
FROM rollup_hours;
DROP TABLE rollup_hours;
ALTER TABLE rollup_hours_by_need RENAME TO rollup_hours;
)sql"},
    // The heat map over the whole fleet reads the hours summed across terminals into a few
    // shards (kFleetShards, rollup_sql.hpp), 25 times fewer rows than one per terminal; shards
    // rather than one sum so that PostgreSQL's concurrent batches rarely update the same row.
    // The terminals' own hours are keyed by device before day, so one store's heat map reads
    // only its terminals' rows.
    {14, R"sql(
CREATE TABLE rollup_fleet_hours (
    need      TEXT NOT NULL,
    day       INTEGER NOT NULL,
    hour      INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    lang      TEXT NOT NULL,
    suspect   INTEGER NOT NULL,
    synthetic INTEGER NOT NULL,
    shard     INTEGER NOT NULL,
    answers   INTEGER NOT NULL,
    scores    INTEGER NOT NULL,
    score_sum INTEGER NOT NULL,
    PRIMARY KEY (need, day, hour, kind, lang, suspect, synthetic, shard)
) WITHOUT ROWID;
INSERT INTO rollup_fleet_hours
SELECT need, day, hour, kind, lang, suspect, synthetic, unicode(substr(device_id, -1)) % 8,
       sum(answers), sum(scores), sum(score_sum)
FROM rollup_hours GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

CREATE TABLE rollup_hours_by_device (
    need      TEXT NOT NULL,
    device_id TEXT NOT NULL,
    day       INTEGER NOT NULL,
    hour      INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    lang      TEXT NOT NULL,
    suspect   INTEGER NOT NULL,
    synthetic INTEGER NOT NULL,
    answers   INTEGER NOT NULL,
    scores    INTEGER NOT NULL,
    score_sum INTEGER NOT NULL,
    PRIMARY KEY (need, device_id, day, hour, kind, lang, suspect, synthetic)
) WITHOUT ROWID;
INSERT INTO rollup_hours_by_device
SELECT need, device_id, day, hour, kind, lang, suspect, synthetic, answers, scores, score_sum
FROM rollup_hours;
DROP TABLE rollup_hours;
ALTER TABLE rollup_hours_by_device RENAME TO rollup_hours;
)sql"},
    // Heartbeats say how many answers a kiosk holds in memory because its store refused them
    // (a full disk), and why.
    {15, R"sql(
ALTER TABLE heartbeats ADD COLUMN unsaved_answers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE heartbeats ADD COLUMN storage_error TEXT NOT NULL DEFAULT '';
)sql"},
    // What dating added to the terminal's started/ended stamps (answer_dating.hpp): the stored
    // times are head office's, and a resent answer is compared with what the terminal sent.
    {16, R"sql(
ALTER TABLE responses ADD COLUMN clock_shift_ms INTEGER NOT NULL DEFAULT 0;
)sql"},
    // Closing the loop: alert rules, acknowledging and resolving, mail (shared_schema.hpp).
    {17, DOORSTEP_SQL_CLOSE_THE_LOOP("INTEGER PRIMARY KEY")},
    // Service recovery: sealed contacts, head office's settings, accounts' stores.
    {18, DOORSTEP_SQL_SERVICE_RECOVERY},
    // Outcomes, the lagging figures linked to needs (shared_schema.hpp).
    {19, DOORSTEP_SQL_OUTCOMES},
    // The weekly rollups for the linkage (shared_schema.hpp).
    {20, DOORSTEP_SQL_WEEK_ROLLUPS("TEXT", " WITHOUT ROWID")},
    // Store groups, for the key drivers by group (shared_schema.hpp).
    {21, DOORSTEP_SQL_STORE_GROUPS},
};

inline constexpr int kLatestServerSchemaVersion =
    kServerMigrations[std::size(kServerMigrations) - 1].Version;

static_assert(StepsAreConsecutive(kServerMigrations),
              "migration k must take user_version from k-1 to k");

}  // namespace doorstep::server
