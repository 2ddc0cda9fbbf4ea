// SQL that both dialects' migrations run word for word (server_schema.hpp step 12,
// pg_server_schema.hpp step 3). A macro, so each migration stays one string literal, byte for
// byte the text it shipped with.
#pragma once

// Counts each device's stored answers, its highest seq and its latest arrival from its rows.
// clang-format off
#define DOORSTEP_SQL_COUNT_STORED_ANSWERS                                                        \
    "UPDATE devices SET\n"                                                                       \
    "    stored_count = (SELECT count(*) FROM responses r WHERE r.device_id = devices.device_id),\n" \
    "    highest_seq = coalesce(\n"                                                              \
    "        (SELECT max(seq) FROM responses r WHERE r.device_id = devices.device_id), 0),\n"    \
    "    last_received_at_ms =\n"                                                                \
    "        (SELECT max(received_at_ms) FROM responses r WHERE r.device_id = devices.device_id);\n"
// clang-format on

// Closing the loop (alert_rules.hpp, mail_service.hpp): alerts gain the answer they are about,
// who acknowledged and resolved them and their mail; alert rules, mail recipients and the mail
// outbox. `ID` is the dialect's own id column type. Booleans are integers 0 and 1 in both.
// clang-format off
#define DOORSTEP_SQL_CLOSE_THE_LOOP(ID)                                                          \
    "ALTER TABLE alerts ADD COLUMN kind TEXT NOT NULL DEFAULT 'trend';\n"                        \
    "ALTER TABLE alerts ADD COLUMN rule_id BIGINT;\n"                                            \
    "ALTER TABLE alerts ADD COLUMN source TEXT NOT NULL DEFAULT 'server';\n"                     \
    "ALTER TABLE alerts ADD COLUMN response_uuid TEXT NOT NULL DEFAULT '';\n"                    \
    "ALTER TABLE alerts ADD COLUMN answered_at_ms BIGINT NOT NULL DEFAULT 0;\n"                  \
    "ALTER TABLE alerts ADD COLUMN utc_offset_min BIGINT NOT NULL DEFAULT 0;\n"                  \
    "ALTER TABLE alerts ADD COLUMN least_met TEXT NOT NULL DEFAULT '';\n"                        \
    "ALTER TABLE alerts ADD COLUMN low_needs TEXT NOT NULL DEFAULT '';\n"                        \
    "ALTER TABLE alerts ADD COLUMN intent BIGINT;\n"                                             \
    "ALTER TABLE alerts ADD COLUMN comment TEXT NOT NULL DEFAULT '';\n"                          \
    "ALTER TABLE alerts ADD COLUMN pain_points TEXT NOT NULL DEFAULT '';\n"                      \
    "ALTER TABLE alerts ADD COLUMN acknowledged_at_ms BIGINT;\n"                                 \
    "ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT NOT NULL DEFAULT '';\n"                  \
    "ALTER TABLE alerts ADD COLUMN acknowledge_note TEXT NOT NULL DEFAULT '';\n"                 \
    "ALTER TABLE alerts ADD COLUMN resolved_by TEXT NOT NULL DEFAULT '';\n"                      \
    "ALTER TABLE alerts ADD COLUMN resolve_note TEXT NOT NULL DEFAULT '';\n"                     \
    "ALTER TABLE alerts ADD COLUMN cleared_at_ms BIGINT;\n"                                      \
    "ALTER TABLE alerts ADD COLUMN mail_state TEXT NOT NULL DEFAULT 'none';\n"                   \
    "UPDATE alerts SET cleared_at_ms = resolved_at_ms, resolved_by = 'rule'\n"                   \
    "    WHERE resolved_at_ms IS NOT NULL;\n"                                                    \
    "DROP INDEX alerts_open_once;\n"                                                             \
    "CREATE UNIQUE INDEX alerts_holding_once ON alerts (kind, coalesce(rule_id, 0), store, door, need)\n" \
    "    WHERE cleared_at_ms IS NULL AND response_uuid = '';\n"                                  \
    "CREATE UNIQUE INDEX alerts_once_per_answer ON alerts (rule_id, response_uuid)\n"            \
    "    WHERE response_uuid <> '';\n"                                                           \
    "CREATE INDEX alerts_to_mail ON alerts (id) WHERE mail_state = 'pending';\n"                 \
    "CREATE INDEX alerts_by_store ON alerts (store, opened_at_ms);\n"                            \
    "CREATE INDEX responses_by_received_at ON responses (received_at_ms);\n"                     \
    "CREATE TABLE alert_rules (\n"                                                               \
    "    id            " ID ",\n"                                                               \
    "    store         TEXT NOT NULL,\n"                                                         \
    "    door          TEXT NOT NULL,\n"                                                         \
    "    kind          TEXT NOT NULL,\n"                                                         \
    "    need          TEXT NOT NULL,\n"                                                         \
    "    threshold     DOUBLE PRECISION NOT NULL,\n"                                             \
    "    window_hours  BIGINT NOT NULL,\n"                                                       \
    "    min_answers   BIGINT NOT NULL,\n"                                                       \
    "    mail          BIGINT NOT NULL,\n"                                                       \
    "    created_at_ms BIGINT NOT NULL,\n"                                                       \
    "    created_by    TEXT NOT NULL,\n"                                                         \
    "    removed_at_ms BIGINT\n"                                                                 \
    ");\n"                                                                                       \
    "CREATE TABLE mail_recipients (\n"                                                           \
    "    id               " ID ",\n"                                                            \
    "    store            TEXT NOT NULL,\n"                                                      \
    "    address          TEXT NOT NULL,\n"                                                      \
    "    lang             TEXT NOT NULL,\n"                                                      \
    "    alerts           BIGINT NOT NULL,\n"                                                    \
    "    daily            BIGINT NOT NULL,\n"                                                    \
    "    weekly           BIGINT NOT NULL,\n"                                                    \
    "    digest_hour      BIGINT NOT NULL,\n"                                                    \
    "    created_at_ms    BIGINT NOT NULL,\n"                                                    \
    "    last_error       TEXT NOT NULL DEFAULT '',\n"                                           \
    "    last_error_at_ms BIGINT,\n"                                                             \
    "    UNIQUE (store, address)\n"                                                              \
    ");\n"                                                                                       \
    "CREATE TABLE mail_outbox (\n"                                                               \
    "    id            " ID ",\n"                                                               \
    "    dedupe_key    TEXT NOT NULL UNIQUE,\n"                                                  \
    "    kind          TEXT NOT NULL,\n"                                                         \
    "    store         TEXT NOT NULL,\n"                                                         \
    "    recipient     TEXT NOT NULL,\n"                                                         \
    "    subject       TEXT NOT NULL,\n"                                                         \
    "    message       TEXT NOT NULL,\n"                                                         \
    "    alert_id      BIGINT,\n"                                                                \
    "    state         TEXT NOT NULL DEFAULT 'pending',\n"                                       \
    "    attempts      BIGINT NOT NULL DEFAULT 0,\n"                                             \
    "    next_at_ms    BIGINT,\n"                                                                \
    "    claim_token   TEXT NOT NULL DEFAULT '',\n"                                              \
    "    last_error    TEXT NOT NULL DEFAULT '',\n"                                              \
    "    created_at_ms BIGINT NOT NULL,\n"                                                       \
    "    sent_at_ms    BIGINT\n"                                                                 \
    ");\n"                                                                                       \
    "CREATE INDEX mail_outbox_due ON mail_outbox (next_at_ms) WHERE state = 'pending';\n"       \
    "CREATE INDEX mail_outbox_by_created ON mail_outbox (created_at_ms);\n"
// clang-format on

// Service recovery (core/alerts/contact.hpp): the contacts customers leave, still sealed to head
// office's key as the terminal sent them, apart from answers and alerts; head office's settings
// (the contact key's public half); which stores each account belongs to.
// clang-format off
#define DOORSTEP_SQL_SERVICE_RECOVERY                                                            \
    "CREATE TABLE contacts (\n"                                                                  \
    "    response_uuid  TEXT NOT NULL PRIMARY KEY,\n"                                            \
    "    store_id       TEXT NOT NULL,\n"                                                        \
    "    door           TEXT NOT NULL,\n"                                                        \
    "    sealed         TEXT NOT NULL,\n"                                                        \
    "    left_at_ms     BIGINT NOT NULL,\n"                                                      \
    "    received_at_ms BIGINT NOT NULL\n"                                                       \
    ");\n"                                                                                       \
    "CREATE INDEX contacts_by_left_at ON contacts (left_at_ms);\n"                               \
    "CREATE TABLE server_settings (\n"                                                           \
    "    name  TEXT NOT NULL PRIMARY KEY,\n"                                                     \
    "    value TEXT NOT NULL\n"                                                                  \
    ");\n"                                                                                       \
    "CREATE TABLE user_stores (\n"                                                               \
    "    user_name TEXT NOT NULL,\n"                                                             \
    "    store_id  TEXT NOT NULL,\n"                                                             \
    "    PRIMARY KEY (user_name, store_id)\n"                                                    \
    ");\n"
// clang-format on

// Outcomes (server/linkage/outcome_csv.hpp): the lagging figures imported per store, day and
// metric; an import replaces the metrics it names of each store-day it names.
// clang-format off
#define DOORSTEP_SQL_OUTCOMES                                                                    \
    "CREATE TABLE outcomes (\n"                                                                  \
    "    store          TEXT NOT NULL,\n"                                                        \
    "    day            BIGINT NOT NULL,\n"                                                      \
    "    metric         TEXT NOT NULL,\n"                                                        \
    "    value          DOUBLE PRECISION NOT NULL,\n"                                            \
    "    imported_at_ms BIGINT NOT NULL,\n"                                                      \
    "    imported_by    TEXT NOT NULL,\n"                                                        \
    "    PRIMARY KEY (store, day, metric)\n"                                                     \
    ");\n"                                                                                       \
    "CREATE INDEX outcomes_by_metric ON outcomes (metric, day);\n"
// clang-format on

// Store groups (server/linkage/store_groups.hpp): head office's grouping of its stores, which
// the key drivers are reported by; an upload replaces them all.
// clang-format off
#define DOORSTEP_SQL_STORE_GROUPS                                                                \
    "CREATE TABLE store_groups (\n"                                                              \
    "    store      TEXT NOT NULL PRIMARY KEY,\n"                                                \
    "    group_name TEXT NOT NULL,\n"                                                            \
    "    set_at_ms  BIGINT NOT NULL,\n"                                                          \
    "    set_by     TEXT NOT NULL\n"                                                             \
    ");\n"
// clang-format on

// The weekly rollups summed from the daily ones (the migration's fill; a test checks ingest by
// it too).
// clang-format off
#define DOORSTEP_SQL_FILL_WEEK_ROLLUPS                                                           \
    "INSERT INTO rollup_week_answers\n"                                                          \
    "SELECT day - (day + 3) % 7, device_id, kind, lang, suspect, synthetic, sum(answers),\n"     \
    "       sum(completed), sum(intent_answers), sum(promoters), sum(detractors), sum(commented)\n"\
    "FROM rollup_answers GROUP BY 1, 2, 3, 4, 5, 6;\n"                                           \
    "INSERT INTO rollup_week_scores\n"                                                           \
    "SELECT day - (day + 3) % 7, device_id, kind, lang, suspect, synthetic, need, sum(s1), sum(s2),\n"\
    "       sum(s3), sum(s4), sum(s5)\n"                                                         \
    "FROM rollup_scores GROUP BY 1, 2, 3, 4, 5, 6, 7;\n"
// clang-format on

// The weekly rollups (rollup_delta.hpp): rollup_answers and rollup_scores summed by the week's
// Monday, kept by StoreBatch like them and filled here from them, so the linkage of needs to
// outcomes reads a store's year as 52 rows per need rather than 365; and outcome_weeks, each
// metric's values of a store summed by week ((day + 3) / 7), kept by the import. `TEXT` is the
// dialect's text column (PostgreSQL's sorts bytewise), `TABLE_END` what ends a table (SQLite's
// WITHOUT ROWID).
// clang-format off
#define DOORSTEP_SQL_WEEK_ROLLUPS(TEXT, TABLE_END)                                               \
    "CREATE TABLE rollup_week_answers (\n"                                                       \
    "    day            BIGINT NOT NULL,\n"                                                      \
    "    device_id      " TEXT " NOT NULL,\n"                                                    \
    "    kind           " TEXT " NOT NULL,\n"                                                    \
    "    lang           " TEXT " NOT NULL,\n"                                                    \
    "    suspect        SMALLINT NOT NULL,\n"                                                    \
    "    synthetic      SMALLINT NOT NULL,\n"                                                    \
    "    answers        BIGINT NOT NULL,\n"                                                      \
    "    completed      BIGINT NOT NULL,\n"                                                      \
    "    intent_answers BIGINT NOT NULL,\n"                                                      \
    "    promoters      BIGINT NOT NULL,\n"                                                      \
    "    detractors     BIGINT NOT NULL,\n"                                                      \
    "    commented      BIGINT NOT NULL,\n"                                                      \
    "    PRIMARY KEY (day, device_id, kind, lang, suspect, synthetic)\n"                         \
    ")" TABLE_END ";\n"                                                                          \
    "CREATE TABLE rollup_week_scores (\n"                                                        \
    "    day       BIGINT NOT NULL,\n"                                                           \
    "    device_id " TEXT " NOT NULL,\n"                                                         \
    "    kind      " TEXT " NOT NULL,\n"                                                         \
    "    lang      " TEXT " NOT NULL,\n"                                                         \
    "    suspect   SMALLINT NOT NULL,\n"                                                         \
    "    synthetic SMALLINT NOT NULL,\n"                                                         \
    "    need      " TEXT " NOT NULL,\n"                                                         \
    "    s1 BIGINT NOT NULL, s2 BIGINT NOT NULL, s3 BIGINT NOT NULL, s4 BIGINT NOT NULL,\n"      \
    "    s5 BIGINT NOT NULL,\n"                                                                  \
    "    PRIMARY KEY (day, device_id, kind, lang, suspect, synthetic, need)\n"                   \
    ")" TABLE_END ";\n"                                                                          \
    "CREATE TABLE outcome_weeks (\n"                                                             \
    "    metric " TEXT " NOT NULL,\n"                                                             \
    "    store  " TEXT " NOT NULL,\n"                                                             \
    "    week   BIGINT NOT NULL,\n"                                                               \
    "    total  DOUBLE PRECISION NOT NULL,\n"                                                     \
    "    days   BIGINT NOT NULL,\n"                                                               \
    "    PRIMARY KEY (metric, store, week)\n"                                                     \
    ")" TABLE_END ";\n"                                                                          \
    "INSERT INTO outcome_weeks SELECT metric, store, (day + 3) / 7, sum(value), count(*)\n"      \
    "FROM outcomes GROUP BY 1, 2, 3;\n"                                                          \
    DOORSTEP_SQL_FILL_WEEK_ROLLUPS
// clang-format on
