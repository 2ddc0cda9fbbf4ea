// The answer a terminal describes in POST /v1/alerts' items (its raised alerts, its contacts):
// the fields a head-office alert shows before the answer itself may have arrived.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>

#include "server/store/records.hpp"

namespace doorstep::server {

// Whether `item[name]` is a string of valid UTF-8 of at most `max_bytes`.
bool IsJsonText(const nlohmann::json& item, const char* name, size_t max_bytes);
// Whether `item[name]` is a whole number.
bool IsJsonWhole(const nlohmann::json& item, const char* name);

// Whether `item` holds response_uuid, ended_at_ms, utc_offset_min, least_met, low_needs,
// intent (a number or null) and comment, each of a sane size.
bool IsTerminalAnswer(const nlohmann::json& item);
// Those fields, from an item IsTerminalAnswer() accepted.
AlertAnswer ReadTerminalAnswer(const nlohmann::json& item);

}  // namespace doorstep::server
