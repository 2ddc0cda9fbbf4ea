// The generic store's service recovery: the contacts customers leave (kept sealed, beside their
// contact alert), and head office's settings (the contact key's public half).
#include "server/store/sql_alert_rows.hpp"
#include "server/store/sql_server_store.hpp"

namespace doorstep::server {
namespace {

// Inside the transaction that opened (or found) the contact's alert: keeps the contact while
// that alert is not resolved. The alert's row is locked, so a resolving transaction on another
// server waits for this one and then deletes what it kept.
Status KeepContact(SqlSession& db, const ContactRecord& contact) {
    Result<SqlRows> open = db.Exec("find contact's alert",
                                   "SELECT id FROM alerts WHERE rule_id = 0 AND response_uuid = $1 "
                                   "AND kind = 'contact' AND resolved_at_ms IS NULL" +
                                       std::string(db.ForUpdate()),
                                   SqlParams().Text(contact.ResponseUuid));
    if (!open.Ok()) {
        return open.Err();
    }
    if (open->Count() == 0) {
        return Success();  // resolved already: the customer has been dealt with
    }
    return db.Run("keep contact",
                  "INSERT INTO contacts (response_uuid, store_id, door, sealed, left_at_ms, "
                  "received_at_ms) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                  SqlParams()
                      .Text(contact.ResponseUuid)
                      .Text(contact.Store)
                      .Text(contact.Door)
                      .Text(contact.SealedHex)
                      .Int(contact.LeftAtMs)
                      .Int(contact.ReceivedAtMs));
}

}  // namespace

Result<std::vector<AlertRecord>> SqlServerStore::KeepContacts(
    const std::vector<ContactRecord>& contacts, const std::vector<AlertRecord>& alerts,
    int64_t keep_from_ms, int64_t now_ms, bool queue_webhook, bool queue_mail) {
    return InSession<std::vector<AlertRecord>>(
        [&](SqlSession& db) -> Result<std::vector<AlertRecord>> {
            Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "keep contacts");
            if (!transaction.Ok()) {
                return transaction.Err();
            }
            std::vector<AlertRecord> opened;
            for (size_t i = 0; i < contacts.size() && i < alerts.size(); ++i) {
                Result<std::optional<AlertRecord>> inserted =
                    InsertAnswerAlert(db, alerts[i], now_ms, queue_webhook, queue_mail);
                if (!inserted.Ok()) {
                    return inserted.Err();
                }
                if (inserted->has_value()) {
                    opened.push_back(std::move(**inserted));
                }
                if (contacts[i].LeftAtMs >= keep_from_ms) {
                    if (Status kept = KeepContact(db, contacts[i]); !kept.Ok()) {
                        return kept.Err();
                    }
                }
            }
            if (Status committed = transaction->Commit(); !committed.Ok()) {
                return committed.Err();
            }
            return opened;
        });
}

Result<std::optional<ContactRecord>> SqlServerStore::FindContact(std::string_view response_uuid) {
    return InSession<std::optional<ContactRecord>>(
        [&](SqlSession& db) -> Result<std::optional<ContactRecord>> {
            Result<SqlRows> rows = db.Exec("find contact",
                                           "SELECT response_uuid, store_id, door, sealed, "
                                           "left_at_ms, received_at_ms FROM contacts WHERE "
                                           "response_uuid = $1",
                                           SqlParams().Text(response_uuid));
            if (!rows.Ok()) {
                return rows.Err();
            }
            if (rows->Count() == 0) {
                return std::optional<ContactRecord>();
            }
            return std::optional<ContactRecord>(ContactRecord{rows->Text(0, 0), rows->Text(0, 1),
                                                              rows->Text(0, 2), rows->Text(0, 3),
                                                              rows->Int(0, 4), rows->Int(0, 5)});
        });
}

Result<int64_t> SqlServerStore::DeleteContactsLeftBefore(int64_t left_before_ms) {
    return InSession<int64_t>([&](SqlSession& db) -> Result<int64_t> {
        Result<SqlRows> deleted =
            db.Exec("delete expired contacts", "DELETE FROM contacts WHERE left_at_ms < $1",
                    SqlParams().Int(left_before_ms));
        if (!deleted.Ok()) {
            return deleted.Err();
        }
        return deleted->Affected();
    });
}

Result<std::optional<std::string>> SqlServerStore::FindSetting(std::string_view name) {
    return InSession<std::optional<std::string>>(
        [&](SqlSession& db) -> Result<std::optional<std::string>> {
            Result<SqlRows> rows =
                db.Exec("find setting", "SELECT value FROM server_settings WHERE name = $1",
                        SqlParams().Text(name));
            if (!rows.Ok()) {
                return rows.Err();
            }
            if (rows->Count() == 0) {
                return std::optional<std::string>();
            }
            return std::optional<std::string>(rows->Text(0, 0));
        });
}

Result<std::string> SqlServerStore::SettleSetting(std::string_view name, std::string_view value) {
    return InSession<std::string>([&](SqlSession& db) -> Result<std::string> {
        Status recorded = db.Run("record setting",
                                 "INSERT INTO server_settings (name, value) VALUES ($1, $2) "
                                 "ON CONFLICT (name) DO NOTHING",
                                 SqlParams().Text(name).Text(value));
        if (!recorded.Ok()) {
            return recorded.Err();
        }
        Result<SqlRows> rows =
            db.Exec("read setting", "SELECT value FROM server_settings WHERE name = $1",
                    SqlParams().Text(name));
        if (!rows.Ok()) {
            return rows.Err();
        }
        return rows->Count() == 0 ? std::string() : rows->Text(0, 0);
    });
}

}  // namespace doorstep::server
