// POST /v1/alerts (docs/protocol.md, "Alerts"): a terminal hands over the alerts it raised
// while offline and what its manager did about its store's alerts, and gets back the store's
// alerts and the rules in force at its door, which it judges its own answers by when offline.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base/log.hpp"
#include "core/base/text.hpp"
#include "server/alerts/alert_rules.hpp"
#include "server/alerts/alert_service.hpp"
#include "server/api/api.hpp"
#include "server/api/loop_api.hpp"
#include "server/api/request_checks.hpp"
#include "server/api/terminal_items.hpp"

namespace doorstep::server {
namespace {

constexpr size_t kMaxItems = 1000;
constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kRecentlyResolvedMs = 24 * kHourMs;  // still shown on the terminal this long

ApiReply BadItem(const std::string& field, const std::string& message) {
    return ErrorReply(400, "bad_request", message, nlohmann::json{{"field", field}}.dump());
}

}  // namespace

ApiReply Api::HandleAlerts(const ApiRequest& request) {
    std::variant<DeviceJson, ApiReply> checked =
        AuthenticateJson(request, "{\"device_id\": \"...\", \"raised\": [...], \"acts\": [...]}");
    if (ApiReply* refusal = std::get_if<ApiReply>(&checked)) {
        return std::move(*refusal);
    }
    const DeviceRecord& device = std::get<DeviceJson>(checked).Device;
    const nlohmann::json& body = std::get<DeviceJson>(checked).Body;
    nlohmann::json raised = body.value("raised", nlohmann::json::array());
    nlohmann::json acts = body.value("acts", nlohmann::json::array());
    if (!raised.is_array() || raised.size() > kMaxItems) {
        return BadItem("raised", "raised must be an array of at most 1000 alerts");
    }
    if (!acts.is_array() || acts.size() > kMaxItems) {
        return BadItem("acts", "acts must be an array of at most 1000 acts");
    }
    std::variant<Contacts, ApiReply> contacts = ReadContacts(body, device);
    if (ApiReply* refusal = std::get_if<ApiReply>(&contacts)) {
        return std::move(*refusal);
    }
    int64_t now_ms = Clock_();
    Result<std::vector<AlertRule>> rules = Store_.ListAlertRules(true);
    if (!rules.Ok()) {
        return StoreFailureReply(rules.Err(), "read the alert rules");
    }

    // The terminal's own alerts: the rule (head office's, by id) says what they are.
    std::vector<AlertRecord> terminals;
    for (size_t i = 0; i < raised.size(); ++i) {
        const nlohmann::json& item = raised[i];
        std::string at = "raised[" + std::to_string(i) + "]";
        if (!IsTerminalAnswer(item) || !IsJsonWhole(item, "rule_id")) {
            return BadItem(at, at + " must hold rule_id, response_uuid, ended_at_ms, "
                                    "utc_offset_min, least_met, low_needs, intent and comment");
        }
        const AlertRule* rule = nullptr;
        for (const AlertRule& known : *rules) {
            rule = known.Id == item["rule_id"].get<int64_t>() ? &known : rule;
        }
        if (rule == nullptr || rule->Kind == "below_goal") {
            continue;  // not a rule of head office's (any more): nothing to open
        }
        AlertRecord alert;
        alert.Source = "kiosk";
        alert.Finding.Kind = rule->Kind;
        alert.Finding.RuleId = rule->Id;
        alert.Finding.Store = device.Store;
        alert.Finding.Door = device.Door;
        alert.Finding.Need = rule->Kind == "low_score" ? rule->Need : "";
        alert.Answer = ReadTerminalAnswer(item);
        const AlertAnswer& answer = alert.Answer;
        // When the terminal raised it: the manager may have acted on it since, offline.
        if (IsJsonWhole(item, "raised_at_ms")) {
            alert.OpenedAtMs = std::max(item["raised_at_ms"].get<int64_t>(), answer.EndedAtMs);
        }
        alert.Finding.PainPoints =
            PainPointsBefore(Store_, device.Store, answer.EndedAtMs, kPainPointHours);
        alert.Finding.Mail = rule->Mail;
        terminals.push_back(std::move(alert));
    }
    if (!terminals.empty()) {
        Result<std::vector<AlertRecord>> opened =
            Store_.OpenAnswerAlerts(terminals, now_ms, AlertWebhook_, AlertMail_);
        if (!opened.Ok()) {
            return StoreFailureReply(opened.Err(), "open the terminal's alerts");
        }
        if (!opened->empty() && AlertsOpened_) {
            AlertsOpened_();
        }
    }

    if (std::optional<ApiReply> failed = KeepContacts(std::get<Contacts>(contacts), now_ms)) {
        return std::move(*failed);
    }

    // What the manager did, when they did it (never before the alert opened nor after now).
    std::string by = "manager at " + device.Store + " / " + device.Door;
    for (size_t i = 0; i < acts.size(); ++i) {
        const nlohmann::json& act = acts[i];
        std::string at = "acts[" + std::to_string(i) + "]";
        if (!act.is_object() || !IsJsonText(act, "act", 16) ||
            !IsJsonText(act, "note", kMaxNoteBytes) || !IsJsonWhole(act, "at_ms") ||
            (act["act"] != "acknowledge" && act["act"] != "resolve") ||
            !(IsJsonWhole(act, "alert_id") ||
              (IsJsonWhole(act, "rule_id") && IsJsonText(act, "response_uuid", 64)))) {
            return BadItem(at, at + " must hold act (acknowledge or resolve), note, at_ms, and "
                                    "alert_id or rule_id and response_uuid");
        }
        Result<std::optional<AlertRecord>> alert =
            IsJsonWhole(act, "alert_id")
                ? Store_.FindAlert(act["alert_id"].get<int64_t>())
                : Store_.FindAnswerAlert(act["rule_id"].get<int64_t>(),
                                         act["response_uuid"].get<std::string>());
        if (!alert.Ok()) {
            return StoreFailureReply(alert.Err(), "find the alert");
        }
        if (!alert->has_value() || (*alert)->Finding.Store != device.Store) {
            continue;  // gone, or another store's: nothing this terminal may change
        }
        int64_t when = std::clamp(act["at_ms"].get<int64_t>(), (*alert)->OpenedAtMs, now_ms);
        std::string note = act["note"].get<std::string>();
        Result<std::optional<AlertRecord>> done =
            act["act"] == "acknowledge" ? Store_.AcknowledgeAlert((*alert)->Id, by, note, when)
                                        : Store_.ResolveAlert((*alert)->Id, by, note, when);
        if (!done.Ok()) {
            return StoreFailureReply(done.Err(), "change the alert");
        }
    }

    // The store's alerts as they stand, and the rules this terminal judges its answers by.
    AlertQuery query;
    query.Store = device.Store;
    query.State = "all";
    query.OpenedFromMs = now_ms - 30 * 24 * kHourMs;
    query.Limit = 500;
    Result<std::vector<AlertRecord>> alerts = Store_.ListAlerts(query);
    if (!alerts.Ok()) {
        return StoreFailureReply(alerts.Err(), "list the store's alerts");
    }
    nlohmann::json answer{{"server_time_ms", now_ms},
                          {"rules", nlohmann::json::array()},
                          {"alerts", nlohmann::json::array()},
                          {"contact_key", ContactKeys_.PublicHex},
                          {"contacts_received", std::get<Contacts>(contacts).Received}};
    for (const AlertRule& rule : *rules) {
        if (RuleCovers(rule, device.Store, device.Door) && rule.Kind != "below_goal") {
            answer["rules"].push_back(AlertRuleJson(rule));
        }
    }
    for (const AlertRecord& alert : *alerts) {
        if (!alert.ResolvedAtMs || *alert.ResolvedAtMs >= now_ms - kRecentlyResolvedMs) {
            answer["alerts"].push_back(AlertJson(alert));
        }
    }
    Log(LogLevel::Info, "api", "terminal's alerts synced",
        {{"device", device.DeviceId},
         {"raised", std::to_string(raised.size())},
         {"acts", std::to_string(acts.size())},
         {"contacts", std::to_string(std::get<Contacts>(contacts).Received.size())}});
    ApiReply reply = JsonReply(answer.dump());
    reply.DeviceId = device.DeviceId;
    return reply;
}

}  // namespace doorstep::server
