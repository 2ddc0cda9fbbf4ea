#include "core/alerts/alert_rules.hpp"

#include <algorithm>
#include <cmath>

namespace doorstep {
namespace {

constexpr size_t kMaxNameBytes = 64;

RuleProblem Problem(std::string field, std::string message) {
    return RuleProblem{std::move(field), std::move(message)};
}

// A scope or need name: at most 64 bytes of letters, digits, '-', '_', '.' and spaces.
bool PlainName(const std::string& name) {
    return name.size() <= kMaxNameBytes && std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == ' ';
           });
}

struct NumberRange {
    double Low;
    double High;
    double Default;
    bool Whole;
};

NumberRange ThresholdRange(const std::string& kind) {
    if (kind == "low_score") {
        return {1, 4, 1, true};
    }
    if (kind == "low_intent") {
        return {0, 9, 3, true};
    }
    if (kind == "below_goal") {
        return {1, 5, 4, false};
    }
    return {0, 0, 0, true};  // comment: none
}

std::string Describe(const NumberRange& range) {
    auto number = [&](double value) {
        return range.Whole ? std::to_string(static_cast<int>(value)) : std::to_string(value);
    };
    return (range.Whole ? "a whole number from " : "a number from ") + number(range.Low) + " to " +
           number(range.High);
}

// Reads member `name` as a number in [low, high] (whole when asked) into `out`.
std::optional<RuleProblem> ReadNumber(const nlohmann::json& json, const char* name,
                                      const NumberRange& range, double& out) {
    auto member = json.find(name);
    if (member == json.end() || member->is_null()) {
        out = range.Default;
        return std::nullopt;
    }
    if (!member->is_number()) {
        return Problem(name, std::string(name) + " must be " + Describe(range));
    }
    double value = member->get<double>();
    if (!std::isfinite(value) || value < range.Low || value > range.High ||
        (range.Whole && value != std::floor(value))) {
        return Problem(name, std::string(name) + " must be " + Describe(range));
    }
    out = value;
    return std::nullopt;
}

std::optional<RuleProblem> ReadName(const nlohmann::json& json, const char* name,
                                    std::string& out) {
    auto member = json.find(name);
    if (member == json.end() || member->is_null()) {
        return std::nullopt;
    }
    if (!member->is_string() || !PlainName(member->get<std::string>())) {
        return Problem(name, std::string(name) +
                                 " must be text of at most 64 letters, digits, '-', '_', '.' or "
                                 "spaces (\"\" for every one)");
    }
    out = member->get<std::string>();
    return std::nullopt;
}

}  // namespace

std::variant<AlertRule, RuleProblem> ParseAlertRule(const nlohmann::json& json) {
    if (!json.is_object()) {
        return Problem("", "an alert rule must be a JSON object");
    }
    static const char* const kKnown[] = {
        "kind",        "store", "door", "need",          "threshold",  "window_hours",
        "min_answers", "mail",  "id",   "created_at_ms", "created_by", "removed_at_ms"};
    for (const auto& member : json.items()) {
        const std::string& name = member.key();
        if (std::find_if(std::begin(kKnown), std::end(kKnown),
                         [&](const char* known) { return name == known; }) == std::end(kKnown)) {
            return Problem(name, "unknown member '" + name.substr(0, 40) + "' in the alert rule");
        }
    }
    AlertRule rule;
    auto kind = json.find("kind");
    if (kind == json.end() || !kind->is_string() ||
        std::find_if(std::begin(kAlertRuleKinds), std::end(kAlertRuleKinds),
                     [&](const char* k) { return *kind == k; }) == std::end(kAlertRuleKinds)) {
        return Problem("kind", "kind must be one of low_score, low_intent, comment, below_goal");
    }
    rule.Kind = kind->get<std::string>();
    for (auto [name, into] : {std::pair<const char*, std::string*>{"store", &rule.Store},
                              {"door", &rule.Door},
                              {"need", &rule.Need}}) {
        if (std::optional<RuleProblem> problem = ReadName(json, name, *into)) {
            return *problem;
        }
    }
    if (!rule.Need.empty() && rule.Kind != "low_score" && rule.Kind != "below_goal") {
        return Problem("need", "need applies to low_score and below_goal rules only");
    }
    if (rule.Kind != "comment") {
        if (std::optional<RuleProblem> problem =
                ReadNumber(json, "threshold", ThresholdRange(rule.Kind), rule.Threshold)) {
            return *problem;
        }
    } else if (json.contains("threshold") && !json["threshold"].is_null()) {
        return Problem("threshold", "a comment rule takes no threshold");
    }
    if (rule.Kind == "below_goal") {
        double hours = 0;
        double answers = 0;
        if (std::optional<RuleProblem> problem =
                ReadNumber(json, "window_hours", {1, 168, 24, true}, hours)) {
            return *problem;
        }
        if (std::optional<RuleProblem> problem =
                ReadNumber(json, "min_answers", {1, 100000, 20, true}, answers)) {
            return *problem;
        }
        rule.WindowHours = static_cast<int>(hours);
        rule.MinAnswers = static_cast<int64_t>(answers);
    } else {
        for (const char* name : {"window_hours", "min_answers"}) {
            if (json.contains(name) && !json[name].is_null()) {
                return Problem(name, std::string(name) + " applies to below_goal rules only");
            }
        }
    }
    if (auto mail = json.find("mail"); mail != json.end() && !mail->is_null()) {
        if (!mail->is_boolean()) {
            return Problem("mail", "mail must be true or false");
        }
        rule.Mail = mail->get<bool>();
    }
    return rule;
}

nlohmann::json AlertRuleJson(const AlertRule& rule) {
    nlohmann::json json{{"id", rule.Id},
                        {"kind", rule.Kind},
                        {"store", rule.Store},
                        {"door", rule.Door},
                        {"need", rule.Need},
                        {"mail", rule.Mail},
                        {"created_at_ms", rule.CreatedAtMs},
                        {"created_by", rule.CreatedBy}};
    if (rule.Kind != "comment") {
        json["threshold"] = rule.Threshold;
    }
    if (rule.Kind == "below_goal") {
        json["window_hours"] = rule.WindowHours;
        json["min_answers"] = rule.MinAnswers;
    }
    if (rule.RemovedAtMs) {
        json["removed_at_ms"] = *rule.RemovedAtMs;
    }
    return json;
}

bool RuleCovers(const AlertRule& rule, std::string_view store, std::string_view door) {
    return !rule.RemovedAtMs && (rule.Store.empty() || rule.Store == store) &&
           (rule.Door.empty() || rule.Door == door);
}

std::vector<RuleHit> RuleHits(const std::vector<AlertRule>& rules, std::string_view store,
                              std::string_view door, const std::vector<NeedScore>& scores,
                              std::optional<int> intent, std::string_view comment) {
    std::vector<RuleHit> hits;
    for (const AlertRule& rule : rules) {
        if (rule.Kind == "below_goal" || !RuleCovers(rule, store, door)) {
            continue;
        }
        int low = rule.Kind == "low_score" ? static_cast<int>(rule.Threshold) : kLowScore;
        std::string low_needs;
        for (const NeedScore& score : scores) {
            bool counted =
                rule.Kind != "low_score" || rule.Need.empty() || rule.Need == score.NeedId;
            if (counted && score.Score <= low) {
                low_needs += (low_needs.empty() ? "" : ",") + score.NeedId;
            }
        }
        bool fires =
            (rule.Kind == "low_score" && !low_needs.empty()) ||
            (rule.Kind == "low_intent" && intent && *intent <= static_cast<int>(rule.Threshold)) ||
            (rule.Kind == "comment" && !comment.empty());
        if (fires) {
            hits.push_back(
                RuleHit{&rule, rule.Kind == "low_score" ? rule.Need : std::string(), low_needs});
        }
    }
    return hits;
}

}  // namespace doorstep
