// The generic store's alert rules, and what the rules read: the answers that arrived lately and
// a store's pain points.
#include "server/store/sql_server_store.hpp"

namespace doorstep::server {
namespace {

constexpr const char* kRuleColumns =
    "id, store, door, kind, need, threshold, window_hours, min_answers, mail, created_at_ms, "
    "created_by, removed_at_ms";

AlertRule ReadRule(const SqlRows& rows, int row) {
    AlertRule rule;
    rule.Id = rows.Int(row, 0);
    rule.Store = rows.Text(row, 1);
    rule.Door = rows.Text(row, 2);
    rule.Kind = rows.Text(row, 3);
    rule.Need = rows.Text(row, 4);
    rule.Threshold = rows.Double(row, 5);
    rule.WindowHours = static_cast<int>(rows.Int(row, 6));
    rule.MinAnswers = rows.Int(row, 7);
    rule.Mail = rows.Int(row, 8) != 0;
    rule.CreatedAtMs = rows.Int(row, 9);
    rule.CreatedBy = rows.Text(row, 10);
    rule.RemovedAtMs = rows.OptionalInt(row, 11);
    return rule;
}

}  // namespace

Result<AlertRule> SqlServerStore::AddAlertRule(const AlertRule& rule) {
    return InSession<AlertRule>([&](SqlSession& db) -> Result<AlertRule> {
        Result<SqlRows> added = db.Exec(
            "add alert rule",
            "INSERT INTO alert_rules (store, door, kind, need, threshold, window_hours, "
            "min_answers, mail, created_at_ms, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, "
            "$8, $9, $10) RETURNING " +
                std::string(kRuleColumns),
            SqlParams()
                .Text(rule.Store)
                .Text(rule.Door)
                .Text(rule.Kind)
                .Text(rule.Need)
                .Double(rule.Threshold)
                .Int(rule.WindowHours)
                .Int(rule.MinAnswers)
                .Int(rule.Mail ? 1 : 0)
                .Int(rule.CreatedAtMs)
                .Text(rule.CreatedBy));
        if (!added.Ok()) {
            return added.Err();
        }
        return ReadRule(*added, 0);
    });
}

Result<bool> SqlServerStore::RemoveAlertRule(int64_t id, int64_t now_ms) {
    return InSession<bool>([&](SqlSession& db) -> Result<bool> {
        Result<SqlRows> removed = db.Exec(
            "remove alert rule",
            "UPDATE alert_rules SET removed_at_ms = $2 WHERE id = $1 AND removed_at_ms IS NULL",
            SqlParams().Int(id).Int(now_ms));
        if (!removed.Ok()) {
            return removed.Err();
        }
        return removed->Affected() > 0;
    });
}

Result<std::vector<AlertRule>> SqlServerStore::ListAlertRules(bool include_removed) {
    return InSession<std::vector<AlertRule>>([&](SqlSession& db) -> Result<std::vector<AlertRule>> {
        Result<SqlRows> rows = db.Exec("list alert rules",
                                       std::string("SELECT ") + kRuleColumns +
                                           " FROM alert_rules WHERE $1 = 1 OR removed_at_ms IS "
                                           "NULL ORDER BY id",
                                       SqlParams().Int(include_removed ? 1 : 0));
        if (!rows.Ok()) {
            return rows.Err();
        }
        return ReadSqlRows<AlertRule>(*rows, ReadRule);
    });
}

Result<std::vector<ScannedAnswer>> SqlServerStore::ListAnswersReceivedSince(int64_t from_ms,
                                                                            int limit) {
    return InSession<std::vector<ScannedAnswer>>([&](SqlSession& db)
                                                     -> Result<std::vector<ScannedAnswer>> {
        // One row per score (or one without a score), in the answers' order.
        Result<SqlRows> rows = db.Exec(
            "list answers received since",
            "SELECT r.id, r.uuid, d.store, d.door, r.received_at_ms, r.ended_at_ms, "
            "r.utc_offset_min, r.least_met, r.intent, r.comment, s.need, s.score FROM (SELECT * "
            "FROM responses WHERE received_at_ms >= $1 AND kind = 'customer' AND suspect_reason "
            "= '' ORDER BY received_at_ms, id LIMIT $2) r JOIN devices d ON d.device_id = "
            "r.device_id LEFT JOIN response_scores s ON s.response_id = r.id "
            "ORDER BY r.received_at_ms, r.id, s.ordinal",
            SqlParams().Int(from_ms).Int(limit));
        if (!rows.Ok()) {
            return rows.Err();
        }
        std::vector<ScannedAnswer> answers;
        int64_t current = -1;
        for (int row = 0; row < rows->Count(); ++row) {
            if (rows->Int(row, 0) != current) {
                current = rows->Int(row, 0);
                ScannedAnswer answer;
                answer.Uuid = rows->Text(row, 1);
                answer.Store = rows->Text(row, 2);
                answer.Door = rows->Text(row, 3);
                answer.ReceivedAtMs = rows->Int(row, 4);
                answer.EndedAtMs = rows->Int(row, 5);
                answer.UtcOffsetMin = static_cast<int>(rows->Int(row, 6));
                answer.LeastMet = rows->Text(row, 7);
                if (std::optional<int64_t> intent = rows->OptionalInt(row, 8)) {
                    answer.Intent = static_cast<int>(*intent);
                }
                answer.Comment = rows->Text(row, 9);
                answers.push_back(std::move(answer));
            }
            if (!rows->IsNull(row, 10)) {
                answers.back().Scores.push_back(
                    NeedScore{rows->Text(row, 10), static_cast<int>(rows->Int(row, 11))});
            }
        }
        return answers;
    });
}

Result<std::vector<PainPoint>> SqlServerStore::TopPainPoints(std::string_view store,
                                                             int64_t from_ms, int64_t to_ms,
                                                             int count) {
    return InSession<std::vector<PainPoint>>([&](SqlSession& db) -> Result<std::vector<PainPoint>> {
        Result<SqlRows> rows = db.Exec(
            "top pain points",
            "SELECT r.least_met, count(*) FROM responses r JOIN devices d ON d.device_id = "
            "r.device_id WHERE d.store = $1 AND r.ended_at_ms >= $2 AND r.ended_at_ms < $3 AND "
            "r.least_met <> '' AND r.kind = 'customer' AND r.suspect_reason = '' GROUP BY "
            "r.least_met ORDER BY 2 DESC, r.least_met" +
                std::string(db.BinaryCollation()) + " LIMIT $4",
            SqlParams().Text(store).Int(from_ms).Int(to_ms).Int(count));
        if (!rows.Ok()) {
            return rows.Err();
        }
        return ReadSqlRows<PainPoint>(*rows, [](const SqlRows& point, int row) {
            return PainPoint{point.Text(row, 0), point.Int(row, 1)};
        });
    });
}

}  // namespace doorstep::server
