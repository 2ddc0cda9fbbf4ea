// The generic store's side of the alerts (alerts.hpp): the sums the rule reads, and the alerts
// table with its webhook deliveries, which any of several servers may claim.
#include <set>
#include <tuple>

#include "server/store/sql_alert_rows.hpp"
#include "server/store/sql_server_store.hpp"

namespace doorstep::server {

Result<std::vector<SlotTotals>> SqlServerStore::SumSlots(int64_t from_day, int64_t to_day) {
    return InSession<std::vector<SlotTotals>>([&](SqlSession& db)
                                                  -> Result<std::vector<SlotTotals>> {
        Result<SqlRows> rows = db.Exec(
            "sum hour slots",
            "SELECT device_id, need, day * 24 + hour, sum(scores), sum(score_sum) "
            "FROM rollup_hours WHERE need IN (SELECT name FROM report_names WHERE what = 'need') "
            "AND device_id IN (SELECT device_id FROM devices) AND day BETWEEN $1 AND $2 AND kind = "
            "'customer' AND suspect = 0 GROUP BY 1, 2, 3",
            SqlParams().Int(from_day).Int(to_day));
        if (!rows.Ok()) {
            return rows.Err();
        }
        return ReadSqlRows<SlotTotals>(*rows, [](const SqlRows& slot, int row) {
            return SlotTotals{slot.Text(row, 0), slot.Text(row, 1), slot.Int(row, 2),
                              slot.Int(row, 3), slot.Int(row, 4)};
        });
    });
}

Result<std::vector<DeviceClock>> SqlServerStore::ListDeviceClocks() {
    return InSession<std::vector<DeviceClock>>(
        [&](SqlSession& db) -> Result<std::vector<DeviceClock>> {
            Result<SqlRows> rows = db.Exec(
                "list device clocks",
                "SELECT d.device_id, d.store, d.door, coalesce((SELECT r.utc_offset_min FROM "
                "responses r WHERE r.device_id = d.device_id ORDER BY r.seq DESC LIMIT 1), 0) "
                "FROM devices d WHERE d.revoked_at_ms IS NULL");
            if (!rows.Ok()) {
                return rows.Err();
            }
            return ReadSqlRows<DeviceClock>(*rows, [](const SqlRows& clock, int row) {
                return DeviceClock{clock.Text(row, 0), clock.Text(row, 1), clock.Text(row, 2),
                                   static_cast<int>(clock.Int(row, 3))};
            });
        });
}

Result<std::vector<AlertRecord>> SqlServerStore::ApplyConditionFindings(
    std::string_view kind, const std::vector<AlertFinding>& findings, int64_t now_ms,
    bool queue_webhook, bool queue_mail) {
    return InSession<std::vector<AlertRecord>>([&](SqlSession& db)
                                                   -> Result<std::vector<AlertRecord>> {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "apply alert findings");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        // Servers evaluating at the same moment take turns: the second sees the first's alerts
        // open and updates them instead of opening them twice.
        if (Status locked = db.Lock(SqlLock::Alerts); !locked.Ok()) {
            return locked.Err();
        }
        using Key = std::tuple<int64_t, std::string, std::string, std::string>;
        std::set<Key> found;
        std::vector<AlertRecord> opened;
        for (const AlertFinding& finding : findings) {
            int64_t rule = finding.RuleId.value_or(0);
            found.emplace(rule, finding.Store, finding.Door, finding.Need);
            SqlParams numbers = SqlParams()
                                    .Text(finding.Store)
                                    .Text(finding.Door)
                                    .Text(finding.Need)
                                    .Int(now_ms)
                                    .Int(finding.WindowEndSlot)
                                    .Int(finding.RecentAnswers)
                                    .Double(finding.RecentMean)
                                    .Int(finding.BaselineAnswers)
                                    .Double(finding.BaselineMean)
                                    .Text(kind)
                                    .Int(rule);
            Result<SqlRows> updated = db.Exec(
                "update holding alert",
                "UPDATE alerts SET updated_at_ms = $4, window_end_slot = $5, recent_answers = $6, "
                "recent_mean = $7, baseline_answers = $8, baseline_mean = $9 "
                "WHERE store = $1 AND door = $2 AND need = $3 AND kind = $10 AND "
                "coalesce(rule_id, 0) = $11 AND cleared_at_ms IS NULL AND response_uuid = ''",
                numbers);
            if (!updated.Ok()) {
                return updated.Err();
            }
            if (updated->Affected() > 0) {
                continue;  // still holding: its numbers are fresh now
            }
            numbers.Text(queue_webhook ? "pending" : "none")
                .OptionalInt(queue_webhook ? std::optional<int64_t>(now_ms) : std::nullopt)
                .Text(queue_mail && finding.Mail ? "pending" : "none")
                .Text(EncodePainPoints(finding.PainPoints));
            Result<SqlRows> inserted = db.Exec(
                "open alert",
                "INSERT INTO alerts (store, door, need, updated_at_ms, window_end_slot, "
                "recent_answers, recent_mean, baseline_answers, baseline_mean, kind, rule_id, "
                "opened_at_ms, webhook_state, webhook_next_at_ms, mail_state, pain_points) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, nullif($11, 0), $4, $12, $13, "
                "$14, $15) "
                "RETURNING " +
                    std::string(kAlertColumns),
                numbers);
            if (!inserted.Ok()) {
                return inserted.Err();
            }
            opened.push_back(ReadAlert(*inserted, 0));
        }
        Result<SqlRows> holding = db.Exec(
            "list holding alerts",
            "SELECT id, coalesce(rule_id, 0), store, door, need FROM alerts WHERE kind = $1 AND "
            "cleared_at_ms IS NULL AND response_uuid = ''",
            SqlParams().Text(kind));
        if (!holding.Ok()) {
            return holding.Err();
        }
        for (int row = 0; row < holding->Count(); ++row) {
            if (found.count({holding->Int(row, 1), holding->Text(row, 2), holding->Text(row, 3),
                             holding->Text(row, 4)}) != 0) {
                continue;
            }
            Status cleared = db.Run(
                "clear alert",
                "UPDATE alerts SET cleared_at_ms = $2, updated_at_ms = $2, "
                "resolved_by = CASE WHEN resolved_at_ms IS NULL THEN 'rule' ELSE resolved_by END, "
                "resolved_at_ms = coalesce(resolved_at_ms, $2) WHERE id = $1",
                SqlParams().Int(holding->Int(row, 0)).Int(now_ms));
            if (!cleared.Ok()) {
                return cleared.Err();
            }
        }
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
        return opened;
    });
}

Result<std::optional<AlertRecord>> SqlServerStore::ClaimWebhookDelivery(int64_t now_ms,
                                                                        int64_t lease_ms) {
    return InSession<std::optional<AlertRecord>>(
        [&](SqlSession& db) -> Result<std::optional<AlertRecord>> {
            // SKIP LOCKED: a delivery another server is claiming right now is not waited for; the
            // lease (next_at moved past now) keeps it from being claimed again until it runs out.
            Result<SqlRows> claimed = db.Exec(
                "claim webhook delivery",
                "UPDATE alerts SET webhook_next_at_ms = $1 + $2 WHERE id = (SELECT id FROM alerts "
                "WHERE webhook_state = 'pending' AND webhook_next_at_ms <= $1 "
                "ORDER BY webhook_next_at_ms LIMIT 1" +
                    std::string(db.ForUpdateSkipLocked()) + ") RETURNING " + kAlertColumns,
                SqlParams().Int(now_ms).Int(lease_ms));
            if (!claimed.Ok()) {
                return claimed.Err();
            }
            if (claimed->Count() == 0) {
                return std::optional<AlertRecord>();
            }
            return std::optional<AlertRecord>(ReadAlert(*claimed, 0));
        });
}

Status SqlServerStore::RecordWebhookAttempt(int64_t alert_id, bool delivered,
                                            std::optional<int64_t> next_at_ms,
                                            std::string_view error) {
    return WithSession([&](SqlSession& db) -> Status {
        return db.Run(
            "record webhook attempt",
            "UPDATE alerts SET webhook_attempts = webhook_attempts + 1, webhook_state = $2, "
            "webhook_next_at_ms = $3, webhook_error = $4 WHERE id = $1",
            SqlParams()
                .Int(alert_id)
                .Text(delivered ? "delivered" : (next_at_ms ? "pending" : "failed"))
                .OptionalInt(delivered ? std::nullopt : next_at_ms)
                .Text(error));
    });
}

}  // namespace doorstep::server
