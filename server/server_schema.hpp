// The head-office SQLite schema, as the list of migration steps that build it. Open() in
// sqlite_server_store.cpp applies, in order and each in its own transaction, every step newer than
// the file's PRAGMA user_version. Data only.
#pragma once

#include <cstddef>
#include <iterator>

#include "sqlite_file.hpp"

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
};

inline constexpr int kLatestServerSchemaVersion =
    kServerMigrations[std::size(kServerMigrations) - 1].Version;

static_assert(StepsAreConsecutive(kServerMigrations),
              "migration k must take user_version from k-1 to k");

}  // namespace doorstep::server
