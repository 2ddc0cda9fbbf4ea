// The store's schema, as the list of migration steps that build it. Store::Open() applies, in
// order and each in its own transaction, every step newer than the file's PRAGMA user_version.
// Data only; the code that applies it is Migrate() in store.cpp.
#pragma once

#include <cstddef>
#include <iterator>

#include "sqlite_file.hpp"

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
};

inline constexpr int kLatestSchemaVersion = kMigrations[std::size(kMigrations) - 1].Version;

static_assert(StepsAreConsecutive(kMigrations), "migration k must take user_version from k-1 to k");

}  // namespace doorstep
