// The generic store's side of the alerts (alerts.hpp): the sums the rule reads, and the alerts
// table with its webhook deliveries, which any of several servers may claim.
#include <set>
#include <tuple>

#include "server/store/sql_server_store.hpp"

namespace doorstep::server {
namespace {

constexpr const char* kAlertColumns =
    "id, store, door, need, window_end_slot, recent_answers, recent_mean, baseline_answers, "
    "baseline_mean, opened_at_ms, updated_at_ms, resolved_at_ms, webhook_state, "
    "webhook_attempts, webhook_error";

AlertRecord ReadAlert(const SqlRows& rows, int row) {
    AlertRecord alert;
    alert.Id = rows.Int(row, 0);
    alert.Finding.Store = rows.Text(row, 1);
    alert.Finding.Door = rows.Text(row, 2);
    alert.Finding.Need = rows.Text(row, 3);
    alert.Finding.WindowEndSlot = rows.Int(row, 4);
    alert.Finding.RecentAnswers = rows.Int(row, 5);
    alert.Finding.RecentMean = rows.Double(row, 6);
    alert.Finding.BaselineAnswers = rows.Int(row, 7);
    alert.Finding.BaselineMean = rows.Double(row, 8);
    alert.OpenedAtMs = rows.Int(row, 9);
    alert.UpdatedAtMs = rows.Int(row, 10);
    alert.ResolvedAtMs = rows.OptionalInt(row, 11);
    alert.WebhookState = rows.Text(row, 12);
    alert.WebhookAttempts = static_cast<int>(rows.Int(row, 13));
    alert.WebhookError = rows.Text(row, 14);
    return alert;
}

}  // namespace

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

Result<std::vector<AlertRecord>> SqlServerStore::ApplyAlertFindings(
    const std::vector<AlertFinding>& findings, int64_t now_ms, bool queue_webhook) {
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
        std::set<std::tuple<std::string, std::string, std::string>> found;
        std::vector<AlertRecord> opened;
        for (const AlertFinding& finding : findings) {
            found.emplace(finding.Store, finding.Door, finding.Need);
            SqlParams numbers = SqlParams()
                                    .Text(finding.Store)
                                    .Text(finding.Door)
                                    .Text(finding.Need)
                                    .Int(now_ms)
                                    .Int(finding.WindowEndSlot)
                                    .Int(finding.RecentAnswers)
                                    .Double(finding.RecentMean)
                                    .Int(finding.BaselineAnswers)
                                    .Double(finding.BaselineMean);
            Result<SqlRows> updated = db.Exec(
                "update open alert",
                "UPDATE alerts SET updated_at_ms = $4, window_end_slot = $5, recent_answers = $6, "
                "recent_mean = $7, baseline_answers = $8, baseline_mean = $9 "
                "WHERE store = $1 AND door = $2 AND need = $3 AND resolved_at_ms IS NULL",
                numbers);
            if (!updated.Ok()) {
                return updated.Err();
            }
            if (updated->Affected() > 0) {
                continue;  // already open: its numbers are fresh now
            }
            numbers.Text(queue_webhook ? "pending" : "none")
                .OptionalInt(queue_webhook ? std::optional<int64_t>(now_ms) : std::nullopt);
            Result<SqlRows> inserted = db.Exec(
                "open alert",
                "INSERT INTO alerts (store, door, need, updated_at_ms, window_end_slot, "
                "recent_answers, recent_mean, baseline_answers, baseline_mean, opened_at_ms, "
                "webhook_state, webhook_next_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                "$4, $10, $11) RETURNING " +
                    std::string(kAlertColumns),
                numbers);
            if (!inserted.Ok()) {
                return inserted.Err();
            }
            opened.push_back(ReadAlert(*inserted, 0));
        }
        Result<SqlRows> open =
            db.Exec("list open alerts",
                    "SELECT id, store, door, need FROM alerts WHERE resolved_at_ms IS NULL");
        if (!open.Ok()) {
            return open.Err();
        }
        for (int row = 0; row < open->Count(); ++row) {
            if (found.count({open->Text(row, 1), open->Text(row, 2), open->Text(row, 3)}) != 0) {
                continue;
            }
            Status resolved =
                db.Run("resolve alert",
                       "UPDATE alerts SET resolved_at_ms = $2, updated_at_ms = $2 WHERE id = $1",
                       SqlParams().Int(open->Int(row, 0)).Int(now_ms));
            if (!resolved.Ok()) {
                return resolved.Err();
            }
        }
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
        return opened;
    });
}

Result<std::vector<AlertRecord>> SqlServerStore::ListAlerts(bool include_resolved, int limit) {
    return InSession<std::vector<AlertRecord>>(
        [&](SqlSession& db) -> Result<std::vector<AlertRecord>> {
            Result<SqlRows> rows = db.Exec("list alerts",
                                           std::string("SELECT ") + kAlertColumns +
                                               " FROM alerts WHERE $1 OR resolved_at_ms IS NULL "
                                               "ORDER BY opened_at_ms DESC, id DESC LIMIT $2",
                                           SqlParams().Bool(include_resolved).Int(limit));
            if (!rows.Ok()) {
                return rows.Err();
            }
            return ReadSqlRows<AlertRecord>(*rows, ReadAlert);
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
