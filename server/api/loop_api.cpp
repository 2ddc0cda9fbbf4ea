#include "server/api/loop_api.hpp"

#include <charconv>

#include "core/base/log.hpp"
#include "core/base/text.hpp"
#include "server/alerts/alert_rules.hpp"
#include "server/alerts/alert_service.hpp"
#include "server/api/request_checks.hpp"
#include "server/mail/recipients.hpp"
#include "server/reports/alert_times.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kHourMs = 3'600'000;

ApiReply BadField(std::string_view code, const FieldProblem& problem) {
    return ErrorReply(400, code, problem.Message, nlohmann::json{{"field", problem.Field}}.dump());
}

ApiReply NotAllowed(const std::string& path, std::string_view allow) {
    ApiReply reply = ErrorReply(405, "method_not_allowed",
                                path.substr(0, 80) + " takes " + std::string(allow) + " only");
    reply.Headers.emplace_back("Allow", std::string(allow));
    return reply;
}

std::optional<int64_t> WholeNumber(std::string_view text) {
    int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// Query parameter `name` as a whole number in [low, high], `fallback` when absent.
std::variant<int64_t, FieldProblem> QueryNumber(const ApiRequest& request, const char* name,
                                                int64_t low, int64_t high, int64_t fallback) {
    auto given = request.Query.find(name);
    if (given == request.Query.end()) {
        return fallback;
    }
    std::optional<int64_t> value = WholeNumber(given->second);
    if (!value || *value < low || *value > high) {
        return FieldProblem{name, std::string(name) + " must be a whole number from " +
                                      std::to_string(low) + " to " + std::to_string(high)};
    }
    return *value;
}

// "/api/alerts/12/resolve" with prefix "/api/alerts/" -> 12 and "resolve".
std::optional<std::pair<int64_t, std::string>> IdAndRest(std::string_view path,
                                                         std::string_view prefix) {
    if (!path.starts_with(prefix)) {
        return std::nullopt;
    }
    std::string_view rest = path.substr(prefix.size());
    size_t slash = rest.find('/');
    std::optional<int64_t> id = WholeNumber(rest.substr(0, slash));
    if (!id) {
        return std::nullopt;
    }
    return std::pair{
        *id, slash == std::string_view::npos ? std::string() : std::string(rest.substr(slash + 1))};
}

}  // namespace

std::variant<nlohmann::json, ApiReply> JsonObjectBody(const ApiRequest& request) {
    if (!request.Header("Content-Type").starts_with("application/json") ||
        !IsValidUtf8(request.Body)) {
        return ErrorReply(415, "unsupported_media_type", "send the change as application/json");
    }
    nlohmann::json body = nlohmann::json::parse(request.Body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return ErrorReply(400, "bad_request", "the body must be a JSON object");
    }
    return body;
}

LoopApi::LoopApi(ServerStore& store, int64_t goal_minutes, Clock clock, ContactKeyPair contact_keys)
    : Store_(store),
      GoalMinutes_(goal_minutes),
      Clock_(std::move(clock)),
      ContactKeys_(std::move(contact_keys)) {}

std::optional<ApiReply> LoopApi::Handle(const ApiRequest& request, const std::string& user) {
    const std::string& path = request.Path;
    if (path == "/api/alerts") {
        return request.Method == "GET" ? ListAlerts(request) : NotAllowed(path, "GET");
    }
    if (path == "/api/alerts/times") {
        return request.Method == "GET" ? AlertTimes(request) : NotAllowed(path, "GET");
    }
    if (auto alert = IdAndRest(path, "/api/alerts/")) {
        if (alert->second.empty()) {
            return request.Method == "GET" ? ActOnAlert(request, alert->first, "", user)
                                           : NotAllowed(path, "GET");
        }
        if (alert->second == "contact") {
            return request.Method == "GET" ? ShowContact(alert->first, user)
                                           : NotAllowed(path, "GET");
        }
        if (alert->second == "acknowledge" || alert->second == "resolve") {
            return request.Method == "POST" ? ActOnAlert(request, alert->first, alert->second, user)
                                            : NotAllowed(path, "POST");
        }
        return std::nullopt;
    }
    if (path == "/api/alert-rules") {
        return Rules(request, std::nullopt, user);
    }
    if (auto rule = IdAndRest(path, "/api/alert-rules/"); rule && rule->second.empty()) {
        return Rules(request, rule->first, user);
    }
    if (path == "/api/recipients") {
        return Recipients(request, std::nullopt);
    }
    if (auto recipient = IdAndRest(path, "/api/recipients/");
        recipient && recipient->second.empty()) {
        return Recipients(request, recipient->first);
    }
    if (path == "/api/mail") {
        return request.Method == "GET" ? Mail(request) : NotAllowed(path, "GET");
    }
    return std::nullopt;
}

ApiReply LoopApi::ListAlerts(const ApiRequest& request) {
    AlertQuery query;
    if (auto state = request.Query.find("state"); state != request.Query.end()) {
        query.State = state->second;
        if (query.State != "open" && query.State != "unacknowledged" &&
            query.State != "acknowledged" && query.State != "resolved" && query.State != "all") {
            return BadField("bad_filter", {"state",
                                           "state must be open, unacknowledged, "
                                           "acknowledged, resolved or all"});
        }
    }
    if (auto store = request.Query.find("store"); store != request.Query.end()) {
        query.Store = store->second;
    }
    if (auto kind = request.Query.find("kind"); kind != request.Query.end()) {
        query.Kind = kind->second;
        bool known = query.Kind == "trend";
        for (const char* rule_kind : kAlertRuleKinds) {
            known = known || query.Kind == rule_kind;
        }
        if (!known) {
            return BadField("bad_filter", {"kind",
                                           "kind must be trend, low_score, low_intent, "
                                           "comment or below_goal"});
        }
    }
    auto older = QueryNumber(request, "older_than_hours", 0, 24 * 365, 0);
    auto limit = QueryNumber(request, "limit", 1, 1000, 200);
    for (auto* checked : {&older, &limit}) {
        if (const FieldProblem* problem = std::get_if<FieldProblem>(checked)) {
            return BadField("bad_filter", *problem);
        }
    }
    if (int64_t hours = std::get<int64_t>(older); hours > 0) {
        query.OpenedBeforeMs = Clock_() - hours * kHourMs;
    }
    query.Limit = static_cast<int>(std::get<int64_t>(limit));
    Result<std::vector<AlertRecord>> alerts = Store_.ListAlerts(query);
    if (!alerts.Ok()) {
        return HeadOfficeFailure(alerts.Err(), "list the alerts");
    }
    nlohmann::json list = nlohmann::json::array();
    for (const AlertRecord& alert : *alerts) {
        list.push_back(AlertJson(alert));
    }
    return JsonReply(nlohmann::json{{"state", query.State}, {"alerts", list}}.dump());
}

ApiReply LoopApi::AlertTimes(const ApiRequest& request) {
    auto weeks = QueryNumber(request, "weeks", 1, 104, 8);
    auto goal = QueryNumber(request, "goal_minutes", 1, 7 * 24 * 60, GoalMinutes_);
    for (auto* checked : {&weeks, &goal}) {
        if (const FieldProblem* problem = std::get_if<FieldProblem>(checked)) {
            return BadField("bad_filter", *problem);
        }
    }
    AlertQuery query;
    query.State = "all";
    query.Limit = 1'000'000;
    query.OpenedFromMs = Clock_() - std::get<int64_t>(weeks) * 7 * 24 * kHourMs;
    Result<std::vector<AlertRecord>> alerts = Store_.ListAlerts(query);
    if (!alerts.Ok()) {
        return HeadOfficeFailure(alerts.Err(), "read the alerts");
    }
    int64_t goal_ms = std::get<int64_t>(goal) * 60'000;
    return JsonReply(AlertTimesJson(SumAlertTimes(*alerts, goal_ms), goal_ms).dump());
}

ApiReply LoopApi::ActOnAlert(const ApiRequest& request, int64_t id, std::string_view act,
                             const std::string& user) {
    Result<std::optional<AlertRecord>> alert = Store_.FindAlert(id);
    if (!act.empty() && alert.Ok() && alert->has_value()) {
        std::variant<nlohmann::json, ApiReply> body = JsonObjectBody(request);
        if (ApiReply* refusal = std::get_if<ApiReply>(&body)) {
            return std::move(*refusal);
        }
        const nlohmann::json& json = std::get<nlohmann::json>(body);
        std::string note;
        if (auto given = json.find("note"); given != json.end() && !given->is_null()) {
            if (!given->is_string() || given->get<std::string>().size() > kMaxNoteBytes) {
                return BadField("bad_request", {"note", "note must be text of at most 1000 bytes"});
            }
            note = given->get<std::string>();
        }
        alert = act == "acknowledge" ? Store_.AcknowledgeAlert(id, user, note, Clock_())
                                     : Store_.ResolveAlert(id, user, note, Clock_());
    }
    if (!alert.Ok()) {
        return HeadOfficeFailure(alert.Err(), act.empty() ? "read the alert" : "change the alert");
    }
    if (!alert->has_value()) {
        return ErrorReply(404, "not_found", "no alert " + std::to_string(id));
    }
    if (!act.empty()) {
        Log(LogLevel::Info, "api", act == "acknowledge" ? "alert acknowledged" : "alert resolved",
            {{"alert", std::to_string(id)}, {"by", user}});
    }
    return JsonReply(AlertJson(**alert).dump());
}

ApiReply LoopApi::Rules(const ApiRequest& request, std::optional<int64_t> id,
                        const std::string& user) {
    if (id) {
        if (request.Method != "DELETE") {
            return NotAllowed(request.Path, "DELETE");
        }
        Result<bool> removed = Store_.RemoveAlertRule(*id, Clock_());
        if (!removed.Ok()) {
            return HeadOfficeFailure(removed.Err(), "remove the rule");
        }
        if (!*removed) {
            return ErrorReply(404, "not_found",
                              "no alert rule " + std::to_string(*id) + " is in force");
        }
        Log(LogLevel::Info, "api", "alert rule removed",
            {{"rule", std::to_string(*id)}, {"by", user}});
        return JsonReply(nlohmann::json{{"removed", *id}}.dump());
    }
    if (request.Method == "GET") {
        Result<std::vector<AlertRule>> rules = Store_.ListAlertRules(false);
        if (!rules.Ok()) {
            return HeadOfficeFailure(rules.Err(), "list the rules");
        }
        nlohmann::json list = nlohmann::json::array();
        for (const AlertRule& rule : *rules) {
            list.push_back(AlertRuleJson(rule));
        }
        return JsonReply(nlohmann::json{{"rules", list}}.dump());
    }
    if (request.Method != "POST") {
        return NotAllowed(request.Path, "GET, POST");
    }
    std::variant<nlohmann::json, ApiReply> body = JsonObjectBody(request);
    if (ApiReply* refusal = std::get_if<ApiReply>(&body)) {
        return std::move(*refusal);
    }
    std::variant<AlertRule, RuleProblem> parsed = ParseAlertRule(std::get<nlohmann::json>(body));
    if (const RuleProblem* problem = std::get_if<RuleProblem>(&parsed)) {
        return BadField("bad_rule", *problem);
    }
    AlertRule rule = std::get<AlertRule>(parsed);
    rule.CreatedAtMs = Clock_();
    rule.CreatedBy = user;
    Result<AlertRule> added = Store_.AddAlertRule(rule);
    if (!added.Ok()) {
        return HeadOfficeFailure(added.Err(), "add the rule");
    }
    Log(LogLevel::Info, "api", "alert rule added",
        {{"rule", std::to_string(added->Id)}, {"kind", added->Kind}, {"by", user}});
    ApiReply reply = JsonReply(AlertRuleJson(*added).dump());
    reply.Status = 201;
    return reply;
}

ApiReply LoopApi::Recipients(const ApiRequest& request, std::optional<int64_t> id) {
    if (id) {
        if (request.Method != "DELETE") {
            return NotAllowed(request.Path, "DELETE");
        }
        Result<bool> removed = Store_.RemoveRecipient(*id);
        if (!removed.Ok()) {
            return HeadOfficeFailure(removed.Err(), "remove the recipient");
        }
        if (!*removed) {
            return ErrorReply(404, "not_found", "no recipient " + std::to_string(*id));
        }
        return JsonReply(nlohmann::json{{"removed", *id}}.dump());
    }
    if (request.Method == "GET") {
        Result<std::vector<MailRecipient>> recipients = Store_.ListRecipients();
        if (!recipients.Ok()) {
            return HeadOfficeFailure(recipients.Err(), "list the recipients");
        }
        nlohmann::json list = nlohmann::json::array();
        for (const MailRecipient& recipient : *recipients) {
            list.push_back(RecipientJson(recipient));
        }
        return JsonReply(nlohmann::json{{"recipients", list}}.dump());
    }
    if (request.Method != "POST") {
        return NotAllowed(request.Path, "GET, POST");
    }
    std::variant<nlohmann::json, ApiReply> body = JsonObjectBody(request);
    if (ApiReply* refusal = std::get_if<ApiReply>(&body)) {
        return std::move(*refusal);
    }
    auto parsed = ParseRecipient(std::get<nlohmann::json>(body), Words_);
    if (const FieldProblem* problem = std::get_if<FieldProblem>(&parsed)) {
        return BadField("bad_recipient", *problem);
    }
    MailRecipient recipient = std::get<MailRecipient>(parsed);
    recipient.CreatedAtMs = Clock_();
    Result<MailRecipient> saved = Store_.SaveRecipient(recipient);
    if (!saved.Ok()) {
        return HeadOfficeFailure(saved.Err(), "save the recipient");
    }
    ApiReply reply = JsonReply(RecipientJson(*saved).dump());
    reply.Status = 201;
    return reply;
}

ApiReply LoopApi::Mail(const ApiRequest& request) {
    std::string state;
    if (auto given = request.Query.find("state"); given != request.Query.end()) {
        state = given->second;
        if (state != "pending" && state != "sent" && state != "failed") {
            return BadField("bad_filter", {"state", "state must be pending, sent or failed"});
        }
    }
    Result<std::vector<MailRecord>> mails = Store_.ListMail(state, 200);
    if (!mails.Ok()) {
        return HeadOfficeFailure(mails.Err(), "list the mail");
    }
    nlohmann::json list = nlohmann::json::array();
    for (const MailRecord& mail : *mails) {
        list.push_back(MailJson(mail));
    }
    return JsonReply(nlohmann::json{{"mail", list}}.dump());
}

}  // namespace doorstep::server
