// The generic store's alerts inbox: reading alerts, acknowledging and resolving them, opening
// the alerts of single answers, and handing their mails to the outbox.
#include <algorithm>
#include <charconv>
#include <limits>

#include "server/store/sql_alert_rows.hpp"
#include "server/store/sql_server_store.hpp"

namespace doorstep::server {

const char* const kAlertColumns =
    "id, store, door, need, window_end_slot, recent_answers, recent_mean, baseline_answers, "
    "baseline_mean, opened_at_ms, updated_at_ms, resolved_at_ms, webhook_state, "
    "webhook_attempts, webhook_error, kind, rule_id, source, response_uuid, answered_at_ms, "
    "utc_offset_min, least_met, low_needs, intent, comment, pain_points, acknowledged_at_ms, "
    "acknowledged_by, acknowledge_note, resolved_by, resolve_note, cleared_at_ms, mail_state, "
    "CASE WHEN kind = 'contact' AND EXISTS (SELECT 1 FROM contacts WHERE "
    "contacts.response_uuid = alerts.response_uuid) THEN 1 ELSE 0 END";

AlertRecord ReadAlert(const SqlRows& rows, int row) {
    AlertRecord alert;
    alert.Id = rows.Int(row, 0);
    AlertFinding& finding = alert.Finding;
    finding.Store = rows.Text(row, 1);
    finding.Door = rows.Text(row, 2);
    finding.Need = rows.Text(row, 3);
    finding.WindowEndSlot = rows.Int(row, 4);
    finding.RecentAnswers = rows.Int(row, 5);
    finding.RecentMean = rows.Double(row, 6);
    finding.BaselineAnswers = rows.Int(row, 7);
    finding.BaselineMean = rows.Double(row, 8);
    alert.OpenedAtMs = rows.Int(row, 9);
    alert.UpdatedAtMs = rows.Int(row, 10);
    alert.ResolvedAtMs = rows.OptionalInt(row, 11);
    alert.WebhookState = rows.Text(row, 12);
    alert.WebhookAttempts = static_cast<int>(rows.Int(row, 13));
    alert.WebhookError = rows.Text(row, 14);
    finding.Kind = rows.Text(row, 15);
    finding.RuleId = rows.OptionalInt(row, 16);
    alert.Source = rows.Text(row, 17);
    alert.Answer.Uuid = rows.Text(row, 18);
    alert.Answer.EndedAtMs = rows.Int(row, 19);
    alert.Answer.UtcOffsetMin = static_cast<int>(rows.Int(row, 20));
    alert.Answer.LeastMet = rows.Text(row, 21);
    alert.Answer.LowNeeds = rows.Text(row, 22);
    if (std::optional<int64_t> intent = rows.OptionalInt(row, 23)) {
        alert.Answer.Intent = static_cast<int>(*intent);
    }
    alert.Answer.Comment = rows.Text(row, 24);
    finding.PainPoints = DecodePainPoints(rows.Text(row, 25));
    alert.AcknowledgedAtMs = rows.OptionalInt(row, 26);
    alert.AcknowledgedBy = rows.Text(row, 27);
    alert.AcknowledgeNote = rows.Text(row, 28);
    alert.ResolvedBy = rows.Text(row, 29);
    alert.ResolveNote = rows.Text(row, 30);
    alert.ClearedAtMs = rows.OptionalInt(row, 31);
    alert.MailState = rows.Text(row, 32);
    alert.ContactHeld = rows.Int(row, 33) != 0;
    return alert;
}

std::string EncodePainPoints(const std::vector<PainPoint>& points) {
    std::string text;
    for (const PainPoint& point : points) {
        text += (text.empty() ? "" : ",") + point.Need + ":" + std::to_string(point.Answers);
    }
    return text;
}

std::vector<PainPoint> DecodePainPoints(const std::string& text) {
    std::vector<PainPoint> points;
    for (size_t start = 0; start < text.size();) {
        size_t end = std::min(text.find(',', start), text.size());
        std::string_view item(text.data() + start, end - start);
        if (size_t colon = item.rfind(':'); colon != std::string_view::npos) {
            PainPoint point{std::string(item.substr(0, colon)), 0};
            std::from_chars(item.data() + colon + 1, item.data() + item.size(), point.Answers);
            points.push_back(std::move(point));
        }
        start = end + 1;
    }
    return points;
}

namespace {

// The SQL condition of an inbox state (AlertQuery::State, checked by the caller).
std::string StateCondition(std::string_view state) {
    if (state == "unacknowledged") {
        return "resolved_at_ms IS NULL AND acknowledged_at_ms IS NULL";
    }
    if (state == "acknowledged") {
        return "resolved_at_ms IS NULL AND acknowledged_at_ms IS NOT NULL";
    }
    if (state == "resolved") {
        return "resolved_at_ms IS NOT NULL";
    }
    if (state == "all") {
        return "1 = 1";
    }
    return "resolved_at_ms IS NULL";  // open
}

Result<std::optional<AlertRecord>> SelectAlert(SqlSession& db, int64_t id) {
    Result<SqlRows> rows =
        db.Exec("find alert", std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE id = $1",
                SqlParams().Int(id));
    if (!rows.Ok()) {
        return rows.Err();
    }
    if (rows->Count() == 0) {
        return std::optional<AlertRecord>();
    }
    return std::optional<AlertRecord>(ReadAlert(*rows, 0));
}

}  // namespace

Result<std::vector<AlertRecord>> SqlServerStore::ListAlerts(const AlertQuery& query) {
    return InSession<std::vector<AlertRecord>>(
        [&](SqlSession& db) -> Result<std::vector<AlertRecord>> {
            Result<SqlRows> rows =
                db.Exec("list alerts",
                        std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE " +
                            StateCondition(query.State) +
                            " AND ($1 = '' OR store = $1) AND ($2 = '' OR kind = $2) AND "
                            "opened_at_ms >= $3 AND opened_at_ms < $4 "
                            "ORDER BY opened_at_ms DESC, id DESC LIMIT $5",
                        SqlParams()
                            .Text(query.Store)
                            .Text(query.Kind)
                            .Int(query.OpenedFromMs.value_or(std::numeric_limits<int64_t>::min()))
                            .Int(query.OpenedBeforeMs.value_or(std::numeric_limits<int64_t>::max()))
                            .Int(query.Limit));
            if (!rows.Ok()) {
                return rows.Err();
            }
            return ReadSqlRows<AlertRecord>(*rows, ReadAlert);
        });
}

Result<std::optional<AlertRecord>> SqlServerStore::FindAlert(int64_t id) {
    return InSession<std::optional<AlertRecord>>(
        [&](SqlSession& db) { return SelectAlert(db, id); });
}

Result<std::optional<AlertRecord>> SqlServerStore::FindAnswerAlert(int64_t rule_id,
                                                                   std::string_view response_uuid) {
    return InSession<std::optional<AlertRecord>>(
        [&](SqlSession& db) -> Result<std::optional<AlertRecord>> {
            Result<SqlRows> rows =
                db.Exec("find answer's alert",
                        std::string("SELECT ") + kAlertColumns +
                            " FROM alerts WHERE rule_id = $1 AND response_uuid = $2",
                        SqlParams().Int(rule_id).Text(response_uuid));
            if (!rows.Ok()) {
                return rows.Err();
            }
            if (rows->Count() == 0) {
                return std::optional<AlertRecord>();
            }
            return std::optional<AlertRecord>(ReadAlert(*rows, 0));
        });
}

Result<std::optional<AlertRecord>> SqlServerStore::AcknowledgeAlert(int64_t id, std::string_view by,
                                                                    std::string_view note,
                                                                    int64_t now_ms) {
    return InSession<std::optional<AlertRecord>>(
        [&](SqlSession& db) -> Result<std::optional<AlertRecord>> {
            Status acknowledged =
                db.Run("acknowledge alert",
                       "UPDATE alerts SET acknowledged_at_ms = $2, acknowledged_by = $3, "
                       "acknowledge_note = $4, updated_at_ms = $2 WHERE id = $1 AND "
                       "acknowledged_at_ms IS NULL AND resolved_at_ms IS NULL",
                       SqlParams().Int(id).Int(now_ms).Text(by).Text(note));
            if (!acknowledged.Ok()) {
                return acknowledged.Err();
            }
            return SelectAlert(db, id);
        });
}

Result<std::optional<AlertRecord>> SqlServerStore::ResolveAlert(int64_t id, std::string_view by,
                                                                std::string_view note,
                                                                int64_t now_ms) {
    return InSession<std::optional<AlertRecord>>(
        [&](SqlSession& db) -> Result<std::optional<AlertRecord>> {
            Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "resolve alert");
            if (!transaction.Ok()) {
                return transaction.Err();
            }
            Status resolved =
                db.Run("resolve alert",
                       "UPDATE alerts SET resolved_at_ms = $2, resolved_by = $3, resolve_note = "
                       "$4, updated_at_ms = $2 WHERE id = $1 AND resolved_at_ms IS NULL",
                       SqlParams().Int(id).Int(now_ms).Text(by).Text(note));
            if (!resolved.Ok()) {
                return resolved.Err();
            }
            // A resolved contact alert's customer has been dealt with: their contact goes now.
            Status forgotten = db.Run("delete resolved alert's contact",
                                      "DELETE FROM contacts WHERE response_uuid IN (SELECT "
                                      "response_uuid FROM alerts WHERE id = $1 AND kind = "
                                      "'contact' AND resolved_at_ms IS NOT NULL)",
                                      SqlParams().Int(id));
            if (!forgotten.Ok()) {
                return forgotten.Err();
            }
            Result<std::optional<AlertRecord>> alert = SelectAlert(db, id);
            if (!alert.Ok()) {
                return alert.Err();
            }
            if (Status committed = transaction->Commit(); !committed.Ok()) {
                return committed.Err();
            }
            return alert;
        });
}

Result<std::optional<AlertRecord>> InsertAnswerAlert(SqlSession& db, const AlertRecord& alert,
                                                     int64_t now_ms, bool queue_webhook,
                                                     bool queue_mail) {
    const AlertAnswer& answer = alert.Answer;
    SqlParams values =
        SqlParams()
            .Text(alert.Finding.Store)
            .Text(alert.Finding.Door)
            .Text(alert.Finding.Need)
            .Text(alert.Finding.Kind)
            .OptionalInt(alert.Finding.RuleId)
            .Text(alert.Source)
            .Text(answer.Uuid)
            .Int(answer.EndedAtMs)
            .Int(answer.UtcOffsetMin)
            .Text(answer.LeastMet)
            .Text(answer.LowNeeds)
            .OptionalInt(answer.Intent ? std::optional<int64_t>(*answer.Intent) : std::nullopt)
            .Text(answer.Comment)
            .Text(EncodePainPoints(alert.Finding.PainPoints))
            .Int(now_ms)
            .Text(queue_webhook ? "pending" : "none")
            .OptionalInt(queue_webhook ? std::optional<int64_t>(now_ms) : std::nullopt)
            .Text(queue_mail && alert.Finding.Mail ? "pending" : "none")
            .Int(alert.OpenedAtMs > 0 ? std::min(alert.OpenedAtMs, now_ms) : now_ms);
    Result<SqlRows> inserted =
        db.Exec("open answer's alert",
                "INSERT INTO alerts (store, door, need, kind, rule_id, source, response_uuid, "
                "answered_at_ms, utc_offset_min, least_met, low_needs, intent, comment, "
                "pain_points, opened_at_ms, updated_at_ms, window_end_slot, recent_answers, "
                "recent_mean, baseline_answers, baseline_mean, webhook_state, webhook_next_at_ms, "
                "mail_state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                "$19, $15, 0, 0, 0, 0, 0, $16, $17, $18) ON CONFLICT DO NOTHING RETURNING " +
                    std::string(kAlertColumns),
                values);
    if (!inserted.Ok()) {
        return inserted.Err();
    }
    if (inserted->Count() == 0) {
        return std::optional<AlertRecord>();
    }
    return std::optional<AlertRecord>(ReadAlert(*inserted, 0));
}

Result<std::vector<AlertRecord>> SqlServerStore::OpenAnswerAlerts(
    const std::vector<AlertRecord>& alerts, int64_t now_ms, bool queue_webhook, bool queue_mail) {
    return InSession<std::vector<AlertRecord>>(
        [&](SqlSession& db) -> Result<std::vector<AlertRecord>> {
            Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "open answers' alerts");
            if (!transaction.Ok()) {
                return transaction.Err();
            }
            std::vector<AlertRecord> opened;
            for (const AlertRecord& alert : alerts) {
                Result<std::optional<AlertRecord>> inserted =
                    InsertAnswerAlert(db, alert, now_ms, queue_webhook, queue_mail);
                if (!inserted.Ok()) {
                    return inserted.Err();
                }
                if (inserted->has_value()) {
                    opened.push_back(std::move(**inserted));
                }
            }
            if (Status committed = transaction->Commit(); !committed.Ok()) {
                return committed.Err();
            }
            return opened;
        });
}

Result<std::vector<AlertRecord>> SqlServerStore::ListAlertsToMail(int limit) {
    return InSession<std::vector<AlertRecord>>(
        [&](SqlSession& db) -> Result<std::vector<AlertRecord>> {
            Result<SqlRows> rows = db.Exec("list alerts to mail",
                                           std::string("SELECT ") + kAlertColumns +
                                               " FROM alerts WHERE mail_state = 'pending' "
                                               "ORDER BY id LIMIT $1",
                                           SqlParams().Int(limit));
            if (!rows.Ok()) {
                return rows.Err();
            }
            return ReadSqlRows<AlertRecord>(*rows, ReadAlert);
        });
}

}  // namespace doorstep::server
