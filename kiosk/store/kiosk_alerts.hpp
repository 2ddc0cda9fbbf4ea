// The alerts of this terminal's store as its manager sees them: head office's (as last synced),
// the ones the terminal raised itself from head office's rules while offline, and what the
// manager did about them here, until head office has heard.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace doorstep {

struct KioskAlert {
    std::optional<int64_t> ServerId;  // none: raised here, head office has not answered yet
    int64_t RuleId = 0;               // 0 for the leading-indicator and goal alerts
    std::string ResponseUuid;         // "" for the leading-indicator and goal alerts
    std::string Kind;                 // trend | below_goal | low_score | low_intent | comment
    std::string Door;
    std::string Need;
    std::vector<std::string> LowNeeds;
    std::string LeastMet;
    std::optional<int> Intent;
    std::string Comment;
    int64_t OpenedAtMs = 0;
    int64_t AnsweredAtMs = 0;  // answers' alerts
    int UtcOffsetMin = 0;
    std::string State = "open";  // open | acknowledged | resolved
    std::string AcknowledgedBy;
    std::string AcknowledgeNote;
    std::vector<std::pair<std::string, int64_t>> PainPoints;
    bool Unsynced = false;  // raised or acted on here, and head office has not heard yet

    // "s12" for head office's alert 12, "l3:UUID" for the terminal's alert of rule 3 on UUID.
    std::string Key() const;
};

// What the uploader hands to head office in one POST /v1/alerts (docs/protocol.md).
struct AlertSyncWork {
    nlohmann::json Raised = nlohmann::json::array();
    nlohmann::json Acts = nlohmann::json::array();
    std::vector<std::pair<int64_t, std::string>> RaisedKeys;  // rule, answer
    std::vector<int64_t> ActIds;
    nlohmann::json Contacts = nlohmann::json::array();  // sealed, with their answers' words
};

}  // namespace doorstep
