// The head-office PostgreSQL schema, as the list of migration steps that build it. PgServerStore's
// Open() applies, in order and each in its own transaction, every step newer than the version in
// doorstep_schema, holding an advisory lock so that two servers starting at once do not both
// migrate. Data only.
//
// Step 1 is the whole of SQLite's schema up to its step 10 (server_schema.hpp) at once: there were
// no older PostgreSQL databases to carry along. Later steps follow SQLite's one for one. Column
// names and meanings are the same; integers are BIGINT, and the texts that reports sort by compare
// byte-wise (COLLATE "C"), as in SQLite.
#pragma once

#include <iterator>

#include "server/store/shared_schema.hpp"

namespace doorstep::server {

struct PgSchemaStep {
    int Version;
    const char* Sql;
};

// Append new steps; never edit one that has shipped.
inline constexpr PgSchemaStep kPgServerMigrations[] = {
    {1, R"sql(
CREATE TABLE devices (
    device_id          TEXT COLLATE "C" PRIMARY KEY,
    store              TEXT COLLATE "C" NOT NULL,
    door               TEXT COLLATE "C" NOT NULL,
    secret_hex         TEXT NOT NULL CHECK (length(secret_hex) = 64),
    enrolled_at_ms     BIGINT NOT NULL,
    revoked_at_ms      BIGINT,
    purged_through_seq BIGINT NOT NULL DEFAULT 0  -- retention: the highest seq purged
);

-- Only the SHA-256 of a code is kept: a copy of the database does not enroll anyone.
CREATE TABLE enrollment_codes (
    code_hash     TEXT PRIMARY KEY,
    store         TEXT NOT NULL,
    door          TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    used_at_ms    BIGINT,
    device_id     TEXT COLLATE "C" REFERENCES devices (device_id)
);

CREATE TABLE responses (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id      TEXT COLLATE "C" NOT NULL REFERENCES devices (device_id),
    seq            BIGINT NOT NULL CHECK (seq >= 1),
    uuid           TEXT COLLATE "C" NOT NULL,
    survey_id      TEXT NOT NULL,
    survey_version BIGINT NOT NULL CHECK (survey_version >= 1),
    door           TEXT NOT NULL,
    lang           TEXT COLLATE "C" NOT NULL,
    kind           TEXT COLLATE "C" NOT NULL CHECK (kind IN ('customer', 'staff')),
    status         TEXT NOT NULL CHECK (status IN ('completed', 'abandoned')),
    abandoned_at   TEXT NOT NULL,
    started_at_ms  BIGINT NOT NULL,
    ended_at_ms    BIGINT NOT NULL,
    duration_ms    BIGINT NOT NULL CHECK (duration_ms BETWEEN 0 AND 86400000),
    least_met      TEXT NOT NULL,
    intent         BIGINT CHECK (intent BETWEEN 0 AND 10),
    comment        TEXT NOT NULL,
    synthetic      SMALLINT NOT NULL CHECK (synthetic IN (0, 1)),
    received_at_ms BIGINT NOT NULL,
    suspect_reason TEXT NOT NULL DEFAULT '',
    utc_offset_min INTEGER NOT NULL DEFAULT 0 CHECK (utc_offset_min BETWEEN -1080 AND 1080),
    UNIQUE (device_id, uuid),
    UNIQUE (device_id, seq)
);
CREATE INDEX responses_by_started_at ON responses (started_at_ms);

CREATE TABLE response_scores (
    response_id BIGINT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    need        TEXT COLLATE "C" NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    ordinal     INTEGER NOT NULL,  -- position in the request, so scores read back in survey order
    PRIMARY KEY (response_id, need)
);

CREATE TABLE nonces (
    device_id  TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    seen_at_ms BIGINT NOT NULL,
    PRIMARY KEY (device_id, nonce)
);
CREATE INDEX nonces_by_age ON nonces (seen_at_ms);

CREATE TABLE heartbeats (
    device_id           TEXT COLLATE "C" PRIMARY KEY REFERENCES devices (device_id),
    backlog             BIGINT NOT NULL,
    oldest_unsent_age_s BIGINT NOT NULL,
    last_error          TEXT NOT NULL,
    clock_offset_ms     BIGINT NOT NULL,
    app_version         TEXT NOT NULL,
    survey_version      BIGINT NOT NULL,
    free_disk_bytes     BIGINT NOT NULL,
    highest_seq         BIGINT NOT NULL,
    received_at_ms      BIGINT NOT NULL
);

CREATE TABLE users (
    name           TEXT COLLATE "C" PRIMARY KEY,
    password_hash  TEXT NOT NULL,  -- crypto_pwhash_str (Argon2id): salt and cost included
    created_at_ms  BIGINT NOT NULL,
    disabled_at_ms BIGINT
);

-- Only the SHA-256 of a bearer token: a copy of the database logs nobody in.
CREATE TABLE auth_tokens (
    token_hash    TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('session', 'api')),
    user_name     TEXT COLLATE "C" NOT NULL REFERENCES users (name),
    label         TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT,
    revoked_at_ms BIGINT
);
CREATE INDEX auth_tokens_by_user ON auth_tokens (user_name);

-- Report rollups (rollup_delta.hpp), kept by StoreBatch in the batch's own transaction.
CREATE TABLE rollup_answers (
    day            BIGINT NOT NULL,
    device_id      TEXT COLLATE "C" NOT NULL,
    kind           TEXT COLLATE "C" NOT NULL,
    lang           TEXT COLLATE "C" NOT NULL,
    suspect        SMALLINT NOT NULL,
    synthetic      SMALLINT NOT NULL,
    answers        BIGINT NOT NULL,
    completed      BIGINT NOT NULL,
    intent_answers BIGINT NOT NULL,
    promoters      BIGINT NOT NULL,  -- intent 9-10
    detractors     BIGINT NOT NULL,  -- intent 0-6
    commented      BIGINT NOT NULL,  -- answers with a comment
    PRIMARY KEY (day, device_id, kind, lang, suspect, synthetic)
);

CREATE TABLE rollup_scores (
    day       BIGINT NOT NULL,
    device_id TEXT COLLATE "C" NOT NULL,
    kind      TEXT COLLATE "C" NOT NULL,
    lang      TEXT COLLATE "C" NOT NULL,
    suspect   SMALLINT NOT NULL,
    synthetic SMALLINT NOT NULL,
    need      TEXT COLLATE "C" NOT NULL,
    s1 BIGINT NOT NULL, s2 BIGINT NOT NULL, s3 BIGINT NOT NULL, s4 BIGINT NOT NULL,
    s5 BIGINT NOT NULL,
    PRIMARY KEY (day, device_id, kind, lang, suspect, synthetic, need)
);

CREATE TABLE rollup_least_met (
    day       BIGINT NOT NULL,
    device_id TEXT COLLATE "C" NOT NULL,
    kind      TEXT COLLATE "C" NOT NULL,
    lang      TEXT COLLATE "C" NOT NULL,
    suspect   SMALLINT NOT NULL,
    synthetic SMALLINT NOT NULL,
    need      TEXT COLLATE "C" NOT NULL,
    answers   BIGINT NOT NULL,
    PRIMARY KEY (day, device_id, kind, lang, suspect, synthetic, need)
);

-- The local hour too, for the hour x weekday matrix. need '' counts every answer and score.
CREATE TABLE rollup_hours (
    day       BIGINT NOT NULL,
    hour      BIGINT NOT NULL,
    device_id TEXT COLLATE "C" NOT NULL,
    kind      TEXT COLLATE "C" NOT NULL,
    lang      TEXT COLLATE "C" NOT NULL,
    suspect   SMALLINT NOT NULL,
    synthetic SMALLINT NOT NULL,
    need      TEXT COLLATE "C" NOT NULL,
    answers   BIGINT NOT NULL,
    scores    BIGINT NOT NULL,
    score_sum BIGINT NOT NULL,
    PRIMARY KEY (day, hour, device_id, kind, lang, suspect, synthetic, need)
);

-- Every need and language the rollups hold, for the report filters' choices.
CREATE TABLE report_names (
    what TEXT NOT NULL CHECK (what IN ('need', 'lang')),
    name TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (what, name)
);

-- Leading-indicator alerts (alerts.hpp): at most one open alert per store, door and need,
-- and the delivery of each to the webhook, which any server may claim.
CREATE TABLE alerts (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store              TEXT COLLATE "C" NOT NULL,
    door               TEXT COLLATE "C" NOT NULL,
    need               TEXT COLLATE "C" NOT NULL,
    opened_at_ms       BIGINT NOT NULL,
    updated_at_ms      BIGINT NOT NULL,
    resolved_at_ms     BIGINT,
    window_end_slot    BIGINT NOT NULL,  -- local day * 24 + hour the window ends with
    recent_answers     BIGINT NOT NULL,
    recent_mean        DOUBLE PRECISION NOT NULL,
    baseline_answers   BIGINT NOT NULL,
    baseline_mean      DOUBLE PRECISION NOT NULL,
    webhook_state      TEXT NOT NULL DEFAULT 'none'
                       CHECK (webhook_state IN ('none', 'pending', 'delivered', 'failed')),
    webhook_attempts   BIGINT NOT NULL DEFAULT 0,
    webhook_next_at_ms BIGINT,
    webhook_error      TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX alerts_open_once ON alerts (store, door, need) WHERE resolved_at_ms IS NULL;
CREATE INDEX alerts_by_opened ON alerts (opened_at_ms);
CREATE INDEX alerts_to_deliver ON alerts (webhook_next_at_ms) WHERE webhook_state = 'pending';

-- Sign-in throttling (accounts.hpp): wrong passwords per user name.
CREATE TABLE login_throttle (
    name            TEXT PRIMARY KEY,
    failures        BIGINT NOT NULL,
    locked_until_ms BIGINT NOT NULL,
    last_failure_ms BIGINT NOT NULL
);

-- Comment search: words of the comment, lower case and without accents ("cafe" finds "Café"),
-- searched by prefix (pg_server_comments.cpp). unaccent() is not IMMUTABLE (its dictionary
-- could change), so an index needs a wrapper that says it is, naming the dictionary with the
-- schema the extension is in.
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $do$
DECLARE
    home TEXT := (SELECT n.nspname FROM pg_extension e
                  JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent');
BEGIN
    EXECUTE format('CREATE FUNCTION doorstep_search_text(TEXT) RETURNS TEXT LANGUAGE sql '
                   'IMMUTABLE STRICT PARALLEL SAFE AS %L',
                   format('SELECT %I.unaccent(%L::regdictionary, $1)', home,
                          quote_ident(home) || '.unaccent'));
END
$do$;
CREATE INDEX responses_comment_search ON responses
    USING gin (to_tsvector('simple', doorstep_search_text(comment))) WHERE comment <> '';
)sql"},
    // Survey configuration push (survey_push.hpp), as SQLite's step 11: every published
    // definition, and every assignment to a scope (a store and door, '' for every one); the
    // current one is the highest id, and a rollback appends.
    {2, R"sql(
CREATE TABLE survey_versions (
    survey_id       TEXT COLLATE "C" NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    definition      TEXT NOT NULL,
    etag            TEXT NOT NULL,
    published_at_ms BIGINT NOT NULL,
    published_by    TEXT NOT NULL,
    PRIMARY KEY (survey_id, version)
);
CREATE TABLE survey_assignments (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store          TEXT COLLATE "C" NOT NULL,
    door           TEXT COLLATE "C" NOT NULL,
    survey_id      TEXT COLLATE "C" NOT NULL,
    version        INTEGER NOT NULL,
    assigned_at_ms BIGINT NOT NULL,
    assigned_by    TEXT NOT NULL,
    FOREIGN KEY (survey_id, version) REFERENCES survey_versions (survey_id, version)
);
CREATE INDEX survey_assignments_by_scope ON survey_assignments (store, door, id);
)sql"},
    // Each device's stored answers counted as they arrive (SQLite's step 12), so the fleet page
    // looks for gaps only where the count and the highest seq disagree.
    {3, R"sql(
ALTER TABLE devices ADD COLUMN stored_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN highest_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN last_received_at_ms BIGINT;
)sql" DOORSTEP_SQL_COUNT_STORED_ANSWERS},
    // The hour rollups keyed by need first (SQLite's step 13): the heat map reads one need's rows
    // (need '' for every answer) in the date range, not every need's.
    {4, R"sql(
ALTER TABLE rollup_hours DROP CONSTRAINT rollup_hours_pkey;
ALTER TABLE rollup_hours
    ADD PRIMARY KEY (need, day, hour, device_id, kind, lang, suspect, synthetic);
)sql"},
    // The fleet's hours in a few shards, and the terminals' hours keyed by device before day
    // (SQLite's step 14).
    {5, R"sql(
CREATE TABLE rollup_fleet_hours (
    need      TEXT COLLATE "C" NOT NULL,
    day       BIGINT NOT NULL,
    hour      BIGINT NOT NULL,
    kind      TEXT COLLATE "C" NOT NULL,
    lang      TEXT COLLATE "C" NOT NULL,
    suspect   SMALLINT NOT NULL,
    synthetic SMALLINT NOT NULL,
    shard     SMALLINT NOT NULL,
    answers   BIGINT NOT NULL,
    scores    BIGINT NOT NULL,
    score_sum BIGINT NOT NULL,
    PRIMARY KEY (need, day, hour, kind, lang, suspect, synthetic, shard)
);
INSERT INTO rollup_fleet_hours
SELECT need, day, hour, kind, lang, suspect, synthetic, ascii(right(device_id, 1)) % 8,
       sum(answers), sum(scores), sum(score_sum)
FROM rollup_hours GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

ALTER TABLE rollup_hours DROP CONSTRAINT rollup_hours_pkey;
ALTER TABLE rollup_hours
    ADD PRIMARY KEY (need, device_id, day, hour, kind, lang, suspect, synthetic);
)sql"},
    // Comment search reads each comment's words from a column computed once, at ingest (NULL
    // without a comment), instead of computing them again from the text for every row it tests.
    // That makes testing a row cheap enough to walk the newest answers first and stop at the
    // page when a word is common, as SQLite's word index is read (pg_server_comments.cpp).
    {6, R"sql(
ALTER TABLE responses ADD COLUMN comment_words tsvector GENERATED ALWAYS AS (
    CASE WHEN comment <> '' THEN to_tsvector('simple', doorstep_search_text(comment)) END) STORED;
DROP INDEX responses_comment_search;
CREATE INDEX responses_comment_words ON responses USING gin (comment_words) WHERE comment <> '';
ANALYZE responses;
)sql"},
    // Heartbeats' unsaved answers and storage error (SQLite's step 15).
    {7, R"sql(
ALTER TABLE heartbeats ADD COLUMN unsaved_answers BIGINT NOT NULL DEFAULT 0;
ALTER TABLE heartbeats ADD COLUMN storage_error TEXT NOT NULL DEFAULT '';
)sql"},
    // What dating added to the terminal's stamps (SQLite's step 16).
    {8, R"sql(
ALTER TABLE responses ADD COLUMN clock_shift_ms BIGINT NOT NULL DEFAULT 0;
)sql"},
    // Closing the loop (SQLite's step 17).
    {9, DOORSTEP_SQL_CLOSE_THE_LOOP("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")},
    // Service recovery (SQLite's step 18).
    {10, DOORSTEP_SQL_SERVICE_RECOVERY},
    // Outcomes (SQLite's step 19).
    {11, DOORSTEP_SQL_OUTCOMES},
    // The weekly rollups (SQLite's step 20).
    {12, DOORSTEP_SQL_WEEK_ROLLUPS("TEXT COLLATE \"C\"", "")},
    // Store groups, for the key drivers by group (shared_schema.hpp).
    {13, DOORSTEP_SQL_STORE_GROUPS},
};

inline constexpr int kLatestPgSchemaVersion =
    kPgServerMigrations[std::size(kPgServerMigrations) - 1].Version;

}  // namespace doorstep::server
