// The terminal's side of alerts (kiosk_alerts.hpp): raising them from head office's rules as an
// answer is stored, the manager's acts, and what the uploader hands over and takes back.
//
// A TERMINAL'S ALERT (local_alerts)
//   (none) --an answer stored, a rule fires: in the answer's own transaction--> raised, unsynced
//   raised --head office took it (FinishAlertSync)--> synced; from then on head office's copy,
//           in the alert view, is the one shown (matched by rule and answer)
//   synced --PruneSynced(), raised longer ago than the retention period--> (gone)
// AN ACT (alert_acts)
//   (none) --RecordAlertAct()--> unsynced --FinishAlertSync()--> synced --PruneSynced()--> (gone)
//   While unsynced it is laid over the alert it is about, so the manager sees what they did.
// Contacts left for service recovery travel in the same request (store_contacts.cpp).
#include <sqlite3.h>

#include <algorithm>
#include <map>

#include "core/alerts/alert_rules.hpp"
#include "core/sqlite/sqlite_db.hpp"
#include "kiosk/store/store.hpp"

namespace doorstep {
namespace {

constexpr const char* kAlertViewKey = "alert_view";

std::vector<std::string> SplitNeeds(const std::string& text) {
    std::vector<std::string> needs;
    for (size_t start = 0; start < text.size();) {
        size_t end = std::min(text.find(',', start), text.size());
        needs.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return needs;
}

KioskAlert FromServer(const nlohmann::json& json) {
    KioskAlert alert;
    alert.ServerId = json.value("id", int64_t{0});
    alert.RuleId = json.value("rule_id", int64_t{0});
    alert.Kind = json.value("kind", "");
    alert.Door = json.value("door", "");
    alert.Need = json.value("need", "");
    alert.OpenedAtMs = json.value("opened_at_ms", int64_t{0});
    alert.State = json.value("state", "open");
    if (auto answer = json.find("answer"); answer != json.end() && answer->is_object()) {
        alert.ResponseUuid = answer->value("uuid", "");
        alert.AnsweredAtMs = answer->value("ended_at_ms", int64_t{0});
        alert.UtcOffsetMin = answer->value("utc_offset_min", 0);
        alert.LeastMet = answer->value("least_met", "");
        alert.Comment = answer->value("comment", "");
        if (answer->contains("intent") && (*answer)["intent"].is_number_integer()) {
            alert.Intent = (*answer)["intent"].get<int>();
        }
        for (const nlohmann::json& need : answer->value("low_needs", nlohmann::json::array())) {
            alert.LowNeeds.push_back(need.get<std::string>());
        }
    }
    for (const nlohmann::json& point : json.value("pain_points", nlohmann::json::array())) {
        alert.PainPoints.emplace_back(point.value("need", ""), point.value("answers", int64_t{0}));
    }
    if (auto acknowledged = json.find("acknowledged"); acknowledged != json.end()) {
        alert.AcknowledgedBy = acknowledged->value("by", "");
        alert.AcknowledgeNote = acknowledged->value("note", "");
    }
    return alert;
}

}  // namespace

std::string KioskAlert::Key() const {
    return ServerId ? "s" + std::to_string(*ServerId)
                    : "l" + std::to_string(RuleId) + ":" + ResponseUuid;
}

Result<std::vector<AlertRule>> Store::CachedAlertRules() const {
    Result<std::optional<std::string>> view = ReadMeta(kAlertViewKey);
    if (!view.Ok()) {
        return view.Err();
    }
    std::vector<AlertRule> rules;
    if (!view->has_value()) {
        return rules;
    }
    nlohmann::json json = nlohmann::json::parse(**view, nullptr, false);
    for (const nlohmann::json& item : json.value("rules", nlohmann::json::array())) {
        std::variant<AlertRule, RuleProblem> rule = ParseAlertRule(item);
        if (AlertRule* parsed = std::get_if<AlertRule>(&rule)) {
            parsed->Id = item.value("id", int64_t{0});
            parsed->Store.clear();  // head office sent the rules of this terminal's store and door
            parsed->Door.clear();
            rules.push_back(std::move(*parsed));
        }
    }
    return rules;
}

Status Store::RaiseAlerts(const Response& response, const std::vector<AlertRule>& rules,
                          int utc_offset_min, int64_t now_ms) {
    for (const RuleHit& hit :
         RuleHits(rules, "", response.Door, response.Scores, response.Intent, response.Comment)) {
        Result<Statement> insert = Statement::Prepare(
            Db_, "raise alert",
            "INSERT OR IGNORE INTO local_alerts (rule_id, response_uuid, kind, need, low_needs, "
            "least_met, intent, comment, door, ended_at_ms, utc_offset_min, raised_at_ms) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
        if (!insert.Ok()) {
            return insert.Err();
        }
        insert->BindInt64(1, hit.Rule->Id);
        insert->BindText(2, response.Uuid);
        insert->BindText(3, hit.Rule->Kind);
        insert->BindText(4, hit.Need);
        insert->BindText(5, hit.LowNeeds);
        insert->BindText(6, response.LeastMet);
        insert->BindOptional(
            7, response.Intent ? std::optional<int64_t>(*response.Intent) : std::nullopt);
        insert->BindText(8, response.Comment);
        insert->BindText(9, response.Door);
        insert->BindInt64(10, response.EndedAtMs);
        insert->BindInt64(11, utc_offset_min);
        insert->BindInt64(12, now_ms);
        if (Status raised = insert->Run(); !raised.Ok()) {
            return raised;
        }
    }
    return Success();
}

Result<std::vector<KioskAlert>> Store::ListAlerts() const {
    Result<Transaction> snapshot =
        Transaction::Begin(Db_, "list alerts", TransactionMode::Deferred);
    if (!snapshot.Ok()) {
        return snapshot.Err();
    }
    std::vector<KioskAlert> alerts;
    Result<std::optional<std::string>> view = ReadMeta(kAlertViewKey);
    if (!view.Ok()) {
        return view.Err();
    }
    if (view->has_value()) {
        nlohmann::json json = nlohmann::json::parse(**view, nullptr, false);
        for (const nlohmann::json& item : json.value("alerts", nlohmann::json::array())) {
            alerts.push_back(FromServer(item));
        }
    }
    Result<Statement> local = Statement::Prepare(
        Db_, "list local alerts",
        "SELECT rule_id, response_uuid, kind, need, low_needs, least_met, intent, comment, door, "
        "ended_at_ms, utc_offset_min, raised_at_ms, synced FROM local_alerts "
        "ORDER BY raised_at_ms DESC");
    if (!local.Ok()) {
        return local.Err();
    }
    for (;;) {
        Result<bool> row = local->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        int64_t rule = local->ColumnInt64(0);
        std::string uuid = local->ColumnText(1);
        bool known = std::any_of(alerts.begin(), alerts.end(), [&](const KioskAlert& alert) {
            return alert.RuleId == rule && alert.ResponseUuid == uuid;
        });
        if (known) {
            continue;  // head office's copy is the one to show
        }
        KioskAlert alert;
        alert.RuleId = rule;
        alert.ResponseUuid = uuid;
        alert.Kind = local->ColumnText(2);
        alert.Need = local->ColumnText(3);
        alert.LowNeeds = SplitNeeds(local->ColumnText(4));
        alert.LeastMet = local->ColumnText(5);
        if (std::optional<int64_t> intent = local->ColumnOptionalInt64(6)) {
            alert.Intent = static_cast<int>(*intent);
        }
        alert.Comment = local->ColumnText(7);
        alert.Door = local->ColumnText(8);
        alert.AnsweredAtMs = local->ColumnInt64(9);
        alert.UtcOffsetMin = static_cast<int>(local->ColumnInt64(10));
        alert.OpenedAtMs = local->ColumnInt64(11);
        alert.Unsynced = local->ColumnInt64(12) == 0;
        alerts.push_back(std::move(alert));
    }
    // The manager's acts head office has not heard of yet, laid over the alerts, in order.
    Result<Statement> acts = Statement::Prepare(
        Db_, "list alert acts",
        "SELECT alert_id, rule_id, response_uuid, act, note FROM alert_acts WHERE synced = 0 "
        "ORDER BY id");
    if (!acts.Ok()) {
        return acts.Err();
    }
    for (;;) {
        Result<bool> row = acts->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        for (KioskAlert& alert : alerts) {
            bool same = acts->ColumnIsNull(0) ? alert.RuleId == acts->ColumnInt64(1) &&
                                                    alert.ResponseUuid == acts->ColumnText(2)
                                              : alert.ServerId == acts->ColumnInt64(0);
            if (!same || alert.State == "resolved") {
                continue;
            }
            std::string act = acts->ColumnText(3);
            if (act == "acknowledge" && alert.State == "open") {
                alert.State = "acknowledged";
                alert.AcknowledgeNote = acts->ColumnText(4);
            } else if (act == "resolve") {
                alert.State = "resolved";
            }
            alert.Unsynced = true;
        }
    }
    // Unresolved first, newest first within each: an alert acknowledged stays where it was, so
    // the manager sees it change; one resolved goes to the end.
    auto rank = [](const KioskAlert& alert) { return alert.State == "resolved" ? 1 : 0; };
    std::stable_sort(alerts.begin(), alerts.end(), [&](const KioskAlert& a, const KioskAlert& b) {
        return rank(a) != rank(b) ? rank(a) < rank(b) : a.OpenedAtMs > b.OpenedAtMs;
    });
    return alerts;
}

Status Store::RecordAlertAct(const KioskAlert& alert, std::string_view act, std::string_view note,
                             int64_t now_ms) {
    Result<Statement> insert =
        Statement::Prepare(Db_, "record alert act",
                           "INSERT INTO alert_acts (alert_id, rule_id, response_uuid, act, note, "
                           "at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert.Ok()) {
        return insert.Err();
    }
    insert->BindOptional(1, alert.ServerId);
    insert->BindInt64(2, alert.RuleId);
    insert->BindText(3, alert.ResponseUuid);
    insert->BindText(4, act);
    insert->BindText(5, note);
    insert->BindInt64(6, now_ms);
    return insert->Run();
}

Result<AlertSyncWork> Store::PendingAlertSync() const {
    AlertSyncWork work;
    Result<Statement> raised = Statement::Prepare(
        Db_, "read raised alerts",
        "SELECT rule_id, response_uuid, least_met, low_needs, intent, comment, ended_at_ms, "
        "utc_offset_min, raised_at_ms FROM local_alerts WHERE synced = 0 LIMIT 500");
    if (!raised.Ok()) {
        return raised.Err();
    }
    while (true) {
        Result<bool> row = raised->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        std::optional<int64_t> intent = raised->ColumnOptionalInt64(4);
        work.Raised.push_back({{"rule_id", raised->ColumnInt64(0)},
                               {"response_uuid", raised->ColumnText(1)},
                               {"least_met", raised->ColumnText(2)},
                               {"low_needs", raised->ColumnText(3)},
                               {"intent", intent ? nlohmann::json(*intent) : nullptr},
                               {"comment", raised->ColumnText(5)},
                               {"ended_at_ms", raised->ColumnInt64(6)},
                               {"utc_offset_min", raised->ColumnInt64(7)},
                               {"raised_at_ms", raised->ColumnInt64(8)}});
        work.RaisedKeys.emplace_back(raised->ColumnInt64(0), raised->ColumnText(1));
    }
    Result<Statement> acts = Statement::Prepare(
        Db_, "read alert acts",
        "SELECT id, alert_id, rule_id, response_uuid, act, note, at_ms FROM alert_acts "
        "WHERE synced = 0 ORDER BY id LIMIT 500");
    if (!acts.Ok()) {
        return acts.Err();
    }
    while (true) {
        Result<bool> row = acts->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        nlohmann::json act{{"act", acts->ColumnText(4)},
                           {"note", acts->ColumnText(5)},
                           {"at_ms", acts->ColumnInt64(6)}};
        if (acts->ColumnIsNull(1)) {
            act["rule_id"] = acts->ColumnInt64(2);
            act["response_uuid"] = acts->ColumnText(3);
        } else {
            act["alert_id"] = acts->ColumnInt64(1);
        }
        work.Acts.push_back(std::move(act));
        work.ActIds.push_back(acts->ColumnInt64(0));
    }
    if (Status contacts = ReadPendingContacts(work); !contacts.Ok()) {
        return contacts.Err();
    }
    return work;
}

Status Store::FinishAlertSync(const AlertSyncWork& work, const std::string& reply_json) {
    Result<Transaction> transaction = Transaction::Begin(Db_, "finish alert sync");
    if (!transaction.Ok()) {
        return transaction.Err();
    }
    for (const auto& [rule, uuid] : work.RaisedKeys) {
        Result<Statement> mark = Statement::Prepare(
            Db_, "mark alert synced",
            "UPDATE local_alerts SET synced = 1 WHERE rule_id = ?1 AND response_uuid = ?2");
        if (!mark.Ok()) {
            return mark.Err();
        }
        mark->BindInt64(1, rule);
        mark->BindText(2, uuid);
        if (Status marked = mark->Run(); !marked.Ok()) {
            return marked;
        }
    }
    for (int64_t id : work.ActIds) {
        Result<Statement> mark = Statement::Prepare(
            Db_, "mark act synced", "UPDATE alert_acts SET synced = 1 WHERE id = ?1");
        if (!mark.Ok()) {
            return mark.Err();
        }
        mark->BindInt64(1, id);
        if (Status marked = mark->Run(); !marked.Ok()) {
            return marked;
        }
    }
    if (Status saved = WriteMeta(kAlertViewKey, reply_json); !saved.Ok()) {
        return saved;
    }
    nlohmann::json reply = nlohmann::json::parse(reply_json, nullptr, false);
    if (Status contacts = FinishContactSync(reply.is_object() ? reply : nlohmann::json::object());
        !contacts.Ok()) {
        return contacts;
    }
    return transaction->Commit();
}

}  // namespace doorstep
