#include "server/api/terminal_items.hpp"

#include "core/base/text.hpp"

namespace doorstep::server {

bool IsJsonText(const nlohmann::json& item, const char* name, size_t max_bytes) {
    auto member = item.find(name);
    return member != item.end() && member->is_string() &&
           member->get<std::string>().size() <= max_bytes &&
           IsValidUtf8(member->get<std::string>());
}

bool IsJsonWhole(const nlohmann::json& item, const char* name) {
    auto member = item.find(name);
    return member != item.end() && member->is_number_integer();
}

bool IsTerminalAnswer(const nlohmann::json& item) {
    return item.is_object() && IsJsonText(item, "response_uuid", 64) &&
           IsJsonWhole(item, "ended_at_ms") && IsJsonWhole(item, "utc_offset_min") &&
           IsJsonText(item, "least_met", 64) && IsJsonText(item, "low_needs", 512) &&
           IsJsonText(item, "comment", 4000) && item.contains("intent") &&
           (item["intent"].is_null() || IsJsonWhole(item, "intent"));
}

AlertAnswer ReadTerminalAnswer(const nlohmann::json& item) {
    AlertAnswer answer;
    answer.Uuid = item["response_uuid"].get<std::string>();
    answer.EndedAtMs = item["ended_at_ms"].get<int64_t>();
    answer.UtcOffsetMin = item["utc_offset_min"].get<int>();
    answer.LeastMet = item["least_met"].get<std::string>();
    answer.LowNeeds = item["low_needs"].get<std::string>();
    if (!item["intent"].is_null()) {
        answer.Intent = item["intent"].get<int>();
    }
    answer.Comment = item["comment"].get<std::string>();
    return answer;
}

}  // namespace doorstep::server
