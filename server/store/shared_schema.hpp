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
