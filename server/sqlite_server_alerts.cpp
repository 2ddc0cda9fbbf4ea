// SqliteServerStore's side of the alerts (alerts.hpp): the sums the rule reads, and the alerts
// table with its webhook deliveries.
#include <sqlite3.h>

#include <mutex>
#include <set>
#include <tuple>

#include "sqlite_db.hpp"
#include "sqlite_server_store.hpp"

namespace doorstep::server {
namespace {

constexpr const char* kAlertColumns =
    "id, store, door, need, window_end_slot, recent_answers, recent_mean, baseline_answers, "
    "baseline_mean, opened_at_ms, updated_at_ms, resolved_at_ms, webhook_state, "
    "webhook_attempts, webhook_error";

AlertRecord ReadAlert(const Statement& row) {
    AlertRecord alert;
    alert.Id = row.ColumnInt64(0);
    alert.Finding.Store = row.ColumnText(1);
    alert.Finding.Door = row.ColumnText(2);
    alert.Finding.Need = row.ColumnText(3);
    alert.Finding.WindowEndSlot = row.ColumnInt64(4);
    alert.Finding.RecentAnswers = row.ColumnInt64(5);
    alert.Finding.RecentMean = row.ColumnDouble(6);
    alert.Finding.BaselineAnswers = row.ColumnInt64(7);
    alert.Finding.BaselineMean = row.ColumnDouble(8);
    alert.OpenedAtMs = row.ColumnInt64(9);
    alert.UpdatedAtMs = row.ColumnInt64(10);
    alert.ResolvedAtMs = row.ColumnOptionalInt64(11);
    alert.WebhookState = row.ColumnText(12);
    alert.WebhookAttempts = static_cast<int>(row.ColumnInt64(13));
    alert.WebhookError = row.ColumnText(14);
    return alert;
}

}  // namespace

Result<std::vector<SlotTotals>> SqliteServerStore::SumSlots(int64_t from_day, int64_t to_day) {
    std::lock_guard lock(Mutex_);
    Result<Statement> select = Statement::Prepare(
        Db_, "sum hour slots",
        "SELECT device_id, need, day * 24 + hour, sum(scores), sum(score_sum) FROM rollup_hours "
        "WHERE need IN (SELECT name FROM report_names WHERE what = 'need') "
        "AND device_id IN (SELECT device_id FROM devices) "
        "AND day BETWEEN ?1 AND ?2 AND kind = 'customer' AND suspect = 0 "
        "GROUP BY 1, 2, 3");
    if (!select.Ok()) {
        return select.Err();
    }
    select->BindInt64(1, from_day);
    select->BindInt64(2, to_day);
    return ReadAllRows<SlotTotals>(*select, [](const Statement& row) {
        return SlotTotals{row.ColumnText(0), row.ColumnText(1), row.ColumnInt64(2),
                          row.ColumnInt64(3), row.ColumnInt64(4)};
    });
}

Result<std::vector<DeviceClock>> SqliteServerStore::ListDeviceClocks() {
    std::lock_guard lock(Mutex_);
    Result<Statement> select = Statement::Prepare(
        Db_, "list device clocks",
        "SELECT d.device_id, d.store, d.door, coalesce((SELECT r.utc_offset_min FROM responses r "
        "WHERE r.device_id = d.device_id ORDER BY r.seq DESC LIMIT 1), 0) "
        "FROM devices d WHERE d.revoked_at_ms IS NULL");
    if (!select.Ok()) {
        return select.Err();
    }
    return ReadAllRows<DeviceClock>(*select, [](const Statement& row) {
        return DeviceClock{row.ColumnText(0), row.ColumnText(1), row.ColumnText(2),
                           static_cast<int>(row.ColumnInt64(3))};
    });
}

Result<std::vector<AlertRecord>> SqliteServerStore::ApplyAlertFindings(
    const std::vector<AlertFinding>& findings, int64_t now_ms, bool queue_webhook) {
    std::lock_guard lock(Mutex_);
    Result<Transaction> transaction = Transaction::Begin(Db_, "apply alert findings");
    if (!transaction.Ok()) {
        return transaction.Err();
    }
    Result<Statement> update = Statement::Prepare(
        Db_, "update open alert",
        "UPDATE alerts SET updated_at_ms = ?4, window_end_slot = ?5, recent_answers = ?6, "
        "recent_mean = ?7, baseline_answers = ?8, baseline_mean = ?9 "
        "WHERE store = ?1 AND door = ?2 AND need = ?3 AND resolved_at_ms IS NULL");
    Result<Statement> insert = Statement::Prepare(
        Db_, "open alert",
        "INSERT INTO alerts (store, door, need, updated_at_ms, window_end_slot, recent_answers, "
        "recent_mean, baseline_answers, baseline_mean, opened_at_ms, webhook_state, "
        "webhook_next_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?4, ?10, ?11) "
        "RETURNING " +
            std::string(kAlertColumns));
    Result<Statement> open =
        Statement::Prepare(Db_, "list open alerts",
                           "SELECT id, store, door, need FROM alerts WHERE resolved_at_ms IS NULL");
    Result<Statement> resolve = Statement::Prepare(
        Db_, "resolve alert",
        "UPDATE alerts SET resolved_at_ms = ?2, updated_at_ms = ?2 WHERE id = ?1");
    for (Result<Statement>* prepared : {&update, &insert, &open, &resolve}) {
        if (!prepared->Ok()) {
            return prepared->Err();
        }
    }
    std::set<std::tuple<std::string, std::string, std::string>> found;
    std::vector<AlertRecord> opened;
    for (const AlertFinding& finding : findings) {
        found.emplace(finding.Store, finding.Door, finding.Need);
        for (Statement* statement : {&*update, &*insert}) {
            statement->BindText(1, finding.Store);
            statement->BindText(2, finding.Door);
            statement->BindText(3, finding.Need);
            statement->BindInt64(4, now_ms);
            statement->BindInt64(5, finding.WindowEndSlot);
            statement->BindInt64(6, finding.RecentAnswers);
            statement->BindDouble(7, finding.RecentMean);
            statement->BindInt64(8, finding.BaselineAnswers);
            statement->BindDouble(9, finding.BaselineMean);
        }
        ResetOnExit reset_update(*update);
        if (Status updated = update->Run(); !updated.Ok()) {
            return updated.Err();
        }
        if (sqlite3_changes(Db_) > 0) {
            continue;  // already open: its numbers are fresh now
        }
        ResetOnExit reset_insert(*insert);
        insert->BindText(10, queue_webhook ? "pending" : "none");
        insert->BindOptional(11, queue_webhook ? std::optional<int64_t>(now_ms) : std::nullopt);
        Result<bool> row = insert->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        opened.push_back(ReadAlert(*insert));
    }
    Result<std::vector<std::pair<int64_t, std::tuple<std::string, std::string, std::string>>>>
        still_open =
            ReadAllRows<std::pair<int64_t, std::tuple<std::string, std::string, std::string>>>(
                *open, [](const Statement& row) {
                    return std::make_pair(
                        row.ColumnInt64(0),
                        std::make_tuple(row.ColumnText(1), row.ColumnText(2), row.ColumnText(3)));
                });
    if (!still_open.Ok()) {
        return still_open.Err();
    }
    for (const auto& [id, key] : *still_open) {
        if (found.count(key) != 0) {
            continue;
        }
        ResetOnExit reset_resolve(*resolve);
        resolve->BindInt64(1, id);
        resolve->BindInt64(2, now_ms);
        if (Status resolved = resolve->Run(); !resolved.Ok()) {
            return resolved.Err();
        }
    }
    if (Status committed = transaction->Commit(); !committed.Ok()) {
        return committed.Err();
    }
    return opened;
}

Result<std::vector<AlertRecord>> SqliteServerStore::ListAlerts(bool include_resolved, int limit) {
    std::lock_guard lock(Mutex_);
    Result<Statement> select = Statement::Prepare(
        Db_, "list alerts",
        std::string("SELECT ") + kAlertColumns +
            " FROM alerts WHERE ?1 OR resolved_at_ms IS NULL ORDER BY opened_at_ms DESC, id DESC "
            "LIMIT ?2");
    if (!select.Ok()) {
        return select.Err();
    }
    select->BindInt64(1, include_resolved ? 1 : 0);
    select->BindInt64(2, limit);
    return ReadAllRows<AlertRecord>(*select, ReadAlert);
}

Result<std::optional<AlertRecord>> SqliteServerStore::ClaimWebhookDelivery(int64_t now_ms,
                                                                           int64_t lease_ms) {
    std::lock_guard lock(Mutex_);
    Result<Statement> claim = Statement::Prepare(
        Db_, "claim webhook delivery",
        "UPDATE alerts SET webhook_next_at_ms = ?2 + ?3 WHERE id = (SELECT id FROM alerts "
        "WHERE webhook_state = 'pending' AND webhook_next_at_ms <= ?2 ORDER BY webhook_next_at_ms "
        "LIMIT 1) RETURNING " +
            std::string(kAlertColumns));
    if (!claim.Ok()) {
        return claim.Err();
    }
    claim->BindInt64(2, now_ms);
    claim->BindInt64(3, lease_ms);
    Result<std::optional<AlertRecord>> claimed = ReadOptionalRow<AlertRecord>(*claim, ReadAlert);
    if (!claimed.Ok() || !claimed->has_value()) {
        return claimed;
    }
    if (Status finished = claim->Run(); !finished.Ok()) {  // RETURNING completes on the last step
        return finished.Err();
    }
    return claimed;
}

Status SqliteServerStore::RecordWebhookAttempt(int64_t alert_id, bool delivered,
                                               std::optional<int64_t> next_at_ms,
                                               std::string_view error) {
    std::lock_guard lock(Mutex_);
    Result<Statement> update = Statement::Prepare(
        Db_, "record webhook attempt",
        "UPDATE alerts SET webhook_attempts = webhook_attempts + 1, webhook_state = ?2, "
        "webhook_next_at_ms = ?3, webhook_error = ?4 WHERE id = ?1");
    if (!update.Ok()) {
        return update.Err();
    }
    update->BindInt64(1, alert_id);
    update->BindText(2, delivered ? "delivered" : (next_at_ms ? "pending" : "failed"));
    update->BindOptional(3, delivered ? std::nullopt : next_at_ms);
    update->BindText(4, error);
    return update->Run();
}

}  // namespace doorstep::server
