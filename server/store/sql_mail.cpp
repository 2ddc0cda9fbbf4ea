// The generic store's mail: recipients, and the outbox that any of several servers may send
// from (mail_service.hpp holds the sender's side of the states).
#include "server/store/sql_server_store.hpp"

namespace doorstep::server {
namespace {

constexpr const char* kMailColumns =
    "id, dedupe_key, kind, store, recipient, subject, message, alert_id, state, attempts, "
    "next_at_ms, last_error, created_at_ms, sent_at_ms";

MailRecord ReadMail(const SqlRows& rows, int row) {
    MailRecord mail;
    mail.Id = rows.Int(row, 0);
    mail.Mail.DedupeKey = rows.Text(row, 1);
    mail.Mail.Kind = rows.Text(row, 2);
    mail.Mail.Store = rows.Text(row, 3);
    mail.Mail.Recipient = rows.Text(row, 4);
    mail.Mail.Subject = rows.Text(row, 5);
    mail.Mail.Message = rows.Text(row, 6);
    mail.Mail.AlertId = rows.OptionalInt(row, 7);
    mail.State = rows.Text(row, 8);
    mail.Attempts = static_cast<int>(rows.Int(row, 9));
    mail.NextAtMs = rows.OptionalInt(row, 10);
    mail.LastError = rows.Text(row, 11);
    mail.CreatedAtMs = rows.Int(row, 12);
    mail.SentAtMs = rows.OptionalInt(row, 13);
    return mail;
}

constexpr const char* kRecipientColumns =
    "id, store, address, lang, alerts, daily, weekly, digest_hour, created_at_ms, last_error, "
    "last_error_at_ms";

MailRecipient ReadRecipient(const SqlRows& rows, int row) {
    MailRecipient recipient;
    recipient.Id = rows.Int(row, 0);
    recipient.Store = rows.Text(row, 1);
    recipient.Address = rows.Text(row, 2);
    recipient.Language = rows.Text(row, 3);
    recipient.Alerts = rows.Int(row, 4) != 0;
    recipient.Daily = rows.Int(row, 5) != 0;
    recipient.Weekly = rows.Int(row, 6) != 0;
    recipient.DigestHour = static_cast<int>(rows.Int(row, 7));
    recipient.CreatedAtMs = rows.Int(row, 8);
    recipient.LastError = rows.Text(row, 9);
    recipient.LastErrorAtMs = rows.OptionalInt(row, 10);
    return recipient;
}

// Adds `mail` unless its dedupe key is queued; true when added.
Result<bool> InsertMail(SqlSession& db, const OutgoingMail& mail, int64_t now_ms) {
    Result<SqlRows> inserted = db.Exec(
        "queue mail",
        "INSERT INTO mail_outbox (dedupe_key, kind, store, recipient, subject, message, alert_id, "
        "next_at_ms, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT DO "
        "NOTHING",
        SqlParams()
            .Text(mail.DedupeKey)
            .Text(mail.Kind)
            .Text(mail.Store)
            .Text(mail.Recipient)
            .Text(mail.Subject)
            .Text(mail.Message)
            .OptionalInt(mail.AlertId)
            .Int(now_ms));
    if (!inserted.Ok()) {
        return inserted.Err();
    }
    return inserted->Affected() > 0;
}

}  // namespace

Status SqlServerStore::QueueAlertMails(int64_t alert_id, const std::vector<OutgoingMail>& mails,
                                       int64_t now_ms) {
    return WithSession([&](SqlSession& db) -> Status {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "queue alert mails");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        for (const OutgoingMail& mail : mails) {
            if (Result<bool> queued = InsertMail(db, mail, now_ms); !queued.Ok()) {
                return queued.Err();
            }
        }
        Status marked =
            db.Run("mark alert mailed", "UPDATE alerts SET mail_state = 'queued' WHERE id = $1",
                   SqlParams().Int(alert_id));
        if (!marked.Ok()) {
            return marked;
        }
        return transaction->Commit();
    });
}

Result<bool> SqlServerStore::QueueMail(const OutgoingMail& mail, int64_t now_ms) {
    return InSession<bool>([&](SqlSession& db) { return InsertMail(db, mail, now_ms); });
}

Result<std::optional<MailRecord>> SqlServerStore::ClaimMail(int64_t now_ms, int64_t lease_ms,
                                                            std::string_view claim_token) {
    return InSession<std::optional<MailRecord>>(
        [&](SqlSession& db) -> Result<std::optional<MailRecord>> {
            // As webhook deliveries are claimed (sql_alerts.cpp): the lease keeps the mail from
            // other senders; the token says whose claim it is.
            Result<SqlRows> claimed = db.Exec(
                "claim mail",
                "UPDATE mail_outbox SET next_at_ms = $1 + $2, claim_token = $3 WHERE id = (SELECT "
                "id FROM mail_outbox WHERE state = 'pending' AND next_at_ms <= $1 ORDER BY "
                "next_at_ms, id LIMIT 1" +
                    std::string(db.ForUpdateSkipLocked()) + ") RETURNING " + kMailColumns,
                SqlParams().Int(now_ms).Int(lease_ms).Text(claim_token));
            if (!claimed.Ok()) {
                return claimed.Err();
            }
            if (claimed->Count() == 0) {
                return std::optional<MailRecord>();
            }
            return std::optional<MailRecord>(ReadMail(*claimed, 0));
        });
}

Result<bool> SqlServerStore::MarkMailSent(int64_t id, std::string_view claim_token,
                                          int64_t now_ms) {
    return InSession<bool>([&](SqlSession& db) -> Result<bool> {
        Result<SqlRows> marked = db.Exec(
            "mark mail sent",
            "UPDATE mail_outbox SET state = 'sent', sent_at_ms = $3, next_at_ms = NULL, attempts "
            "= attempts + 1, last_error = '' WHERE id = $1 AND claim_token = $2 AND state = "
            "'pending'",
            SqlParams().Int(id).Text(claim_token).Int(now_ms));
        if (!marked.Ok()) {
            return marked.Err();
        }
        return marked->Affected() > 0;
    });
}

Status SqlServerStore::RecordMailFailure(int64_t id, std::string_view claim_token,
                                         std::optional<int64_t> next_at_ms, std::string_view error,
                                         int64_t now_ms) {
    return WithSession([&](SqlSession& db) -> Status {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "record mail failure");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        Result<SqlRows> recorded = db.Exec(
            "record mail failure",
            "UPDATE mail_outbox SET attempts = attempts + CASE WHEN state = 'sent' THEN 0 ELSE 1 "
            "END, state = $3, next_at_ms = $4, last_error = $5, sent_at_ms = NULL WHERE id = $1 "
            "AND claim_token = $2 AND state <> 'failed' RETURNING store, recipient",
            SqlParams()
                .Int(id)
                .Text(claim_token)
                .Text(next_at_ms ? "pending" : "failed")
                .OptionalInt(next_at_ms)
                .Text(error));
        if (!recorded.Ok()) {
            return recorded.Err();
        }
        if (recorded->Count() == 1 && !next_at_ms) {
            // Refused for good: every recipient row of that address shows it.
            Status noted = db.Run(
                "note recipient's refusal",
                "UPDATE mail_recipients SET last_error = $2, last_error_at_ms = $3 WHERE address "
                "= $1",
                SqlParams().Text(recorded->Text(0, 1)).Text(error).Int(now_ms));
            if (!noted.Ok()) {
                return noted;
            }
        }
        return transaction->Commit();
    });
}

Result<std::vector<MailRecord>> SqlServerStore::ListMail(std::string_view state, int limit) {
    return InSession<std::vector<MailRecord>>(
        [&](SqlSession& db) -> Result<std::vector<MailRecord>> {
            Result<SqlRows> rows = db.Exec(
                "list mail",
                std::string("SELECT ") + kMailColumns +
                    " FROM mail_outbox WHERE $1 = '' OR state = $1 ORDER BY id DESC LIMIT $2",
                SqlParams().Text(state).Int(limit));
            if (!rows.Ok()) {
                return rows.Err();
            }
            return ReadSqlRows<MailRecord>(*rows, ReadMail);
        });
}

Result<MailRecipient> SqlServerStore::SaveRecipient(const MailRecipient& recipient) {
    return InSession<MailRecipient>([&](SqlSession& db) -> Result<MailRecipient> {
        Result<SqlRows> saved = db.Exec(
            "save recipient",
            "INSERT INTO mail_recipients (store, address, lang, alerts, daily, weekly, "
            "digest_hour, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT "
            "(store, address) DO UPDATE SET lang = excluded.lang, alerts = excluded.alerts, daily "
            "= excluded.daily, weekly = excluded.weekly, digest_hour = excluded.digest_hour "
            "RETURNING " +
                std::string(kRecipientColumns),
            SqlParams()
                .Text(recipient.Store)
                .Text(recipient.Address)
                .Text(recipient.Language)
                .Int(recipient.Alerts ? 1 : 0)
                .Int(recipient.Daily ? 1 : 0)
                .Int(recipient.Weekly ? 1 : 0)
                .Int(recipient.DigestHour)
                .Int(recipient.CreatedAtMs));
        if (!saved.Ok()) {
            return saved.Err();
        }
        return ReadRecipient(*saved, 0);
    });
}

Result<bool> SqlServerStore::RemoveRecipient(int64_t id) {
    return InSession<bool>([&](SqlSession& db) -> Result<bool> {
        Result<SqlRows> removed = db.Exec(
            "remove recipient", "DELETE FROM mail_recipients WHERE id = $1", SqlParams().Int(id));
        if (!removed.Ok()) {
            return removed.Err();
        }
        return removed->Affected() > 0;
    });
}

Result<std::vector<MailRecipient>> SqlServerStore::ListRecipients() {
    return InSession<std::vector<MailRecipient>>(
        [&](SqlSession& db) -> Result<std::vector<MailRecipient>> {
            Result<SqlRows> rows =
                db.Exec("list recipients", std::string("SELECT ") + kRecipientColumns +
                                               " FROM mail_recipients ORDER BY store" +
                                               std::string(db.BinaryCollation()) + ", address" +
                                               std::string(db.BinaryCollation()));
            if (!rows.Ok()) {
                return rows.Err();
            }
            return ReadSqlRows<MailRecipient>(*rows, ReadRecipient);
        });
}

}  // namespace doorstep::server
