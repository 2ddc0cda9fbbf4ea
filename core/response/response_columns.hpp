// The columns of one response's own fields, in the order both the kiosk's store and head office's
// database select them, and the one reader of them. NULL texts read as "" (the kiosk stores
// absent texts as NULL; head office as '').
#pragma once

#include "core/base/result.hpp"
#include "core/response/response.hpp"
#include "core/sqlite/sqlite_db.hpp"

namespace doorstep {

// 15 columns; a table alias can be put in front of each with ResponseFieldColumns("r.").
inline constexpr const char* kResponseFields[] = {
    "uuid",        "survey_id", "survey_version", "door",          "lang",
    "kind",        "status",    "abandoned_at",   "started_at_ms", "ended_at_ms",
    "duration_ms", "least_met", "intent",         "comment",       "synthetic"};

// "r.uuid, r.survey_id, ..." for `prefix` "r.".
std::string ResponseFieldColumns(std::string_view prefix = "");

// The response in the 15 columns from `first` on. An unknown kind or status is SQLITE_CORRUPT,
// with `what` (e.g. "response seq 12") in the message.
Result<Response> ReadResponseFields(const Statement& row, int first, std::string_view what);

}  // namespace doorstep
