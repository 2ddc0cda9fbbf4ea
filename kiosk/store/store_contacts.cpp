// The terminal's side of service recovery: a contact a customer left after a low answer.
//
// A CONTACT (contacts)
//   (none) --KeepContact(): sealed to head office's key, then written, one transaction--> kept
//   kept   --head office lists it in "contacts_received" (FinishAlertSync)--> (gone)
//   kept   --PruneSynced(), left longer ago than the retention period, never received--> (gone)
//
// Invariants:
//   * Only the sealed form reaches the file: the terminal holds head office's public key only,
//     so what it wrote it cannot read back (docs/PRIVACY.md, "Contact details").
//   * A contact names a stored answer; the answer's row is not changed by it.
#include <sqlite3.h>

#include "core/alerts/alert_rules.hpp"
#include "core/alerts/contact.hpp"
#include "core/base/local_time.hpp"
#include "core/sqlite/sqlite_db.hpp"
#include "kiosk/store/store.hpp"

namespace doorstep {
namespace {

constexpr const char* kContactKeyMeta = "contact_key";
constexpr int kContactsPerSync = 200;

std::string LowNeeds(const Response& response) {
    std::string needs;
    for (const NeedScore& score : response.Scores) {
        if (score.Score <= kLowScore) {
            needs += (needs.empty() ? "" : ",") + score.NeedId;
        }
    }
    return needs;
}

}  // namespace

Result<bool> Store::HasContactKey() const {
    Result<std::optional<std::string>> key = ReadMeta(kContactKeyMeta);
    if (!key.Ok()) {
        return key.Err();
    }
    return key->has_value() && IsContactKeyHex(**key);
}

Status Store::KeepContact(const std::string& response_uuid, const std::string& contact,
                          int64_t now_ms) {
    Result<std::optional<std::string>> key = ReadMeta(kContactKeyMeta);
    if (!key.Ok()) {
        return key.Err();
    }
    if (!key->has_value()) {
        return Error{"head office's contact key has not come yet: nothing can be sealed"};
    }
    Result<std::string> sealed = SealContact(contact, **key);
    if (!sealed.Ok()) {
        return sealed.Err();
    }
    Result<std::optional<StoredResponse>> answer = FindByUuid(response_uuid);
    if (!answer.Ok()) {
        return answer.Err();
    }
    if (!answer->has_value()) {
        return Error{"the answer " + response_uuid + " is not in the store"};
    }
    const Response& response = (*answer)->Data;
    Result<Transaction> transaction = Transaction::Begin(Db_, "keep contact");
    if (!transaction.Ok()) {
        return transaction.Err();
    }
    Result<Statement> insert = Statement::Prepare(
        Db_, "keep contact",
        "INSERT OR IGNORE INTO contacts (response_uuid, sealed, left_at_ms, ended_at_ms, "
        "utc_offset_min, least_met, low_needs, intent, comment) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!insert.Ok()) {
        return insert.Err();
    }
    insert->BindText(1, response_uuid);
    insert->BindText(2, *sealed);
    insert->BindInt64(3, now_ms);
    insert->BindInt64(4, response.EndedAtMs);
    insert->BindInt64(5, (*answer)->UtcOffsetMin);
    insert->BindText(6, response.LeastMet);
    insert->BindText(7, LowNeeds(response));
    insert->BindOptional(8,
                         response.Intent ? std::optional<int64_t>(*response.Intent) : std::nullopt);
    insert->BindText(9, response.Comment);
    if (Status kept = insert->Run(); !kept.Ok()) {
        return kept;
    }
    return transaction->Commit();
}

Result<int64_t> Store::CountContacts() const {
    Result<Statement> count =
        Statement::Prepare(Db_, "count contacts", "SELECT count(*) FROM contacts");
    if (!count.Ok()) {
        return count.Err();
    }
    Result<bool> row = count->Step();
    if (!row.Ok()) {
        return row.Err();
    }
    return count->ColumnInt64(0);
}

Status Store::ReadPendingContacts(AlertSyncWork& work) const {
    Result<Statement> select = Statement::Prepare(
        Db_, "read contacts",
        "SELECT response_uuid, sealed, left_at_ms, ended_at_ms, utc_offset_min, least_met, "
        "low_needs, intent, comment FROM contacts ORDER BY left_at_ms LIMIT ?1");
    if (!select.Ok()) {
        return select.Err();
    }
    select->BindInt64(1, kContactsPerSync);
    while (true) {
        Result<bool> row = select->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            return Success();
        }
        std::optional<int64_t> intent = select->ColumnOptionalInt64(7);
        work.Contacts.push_back({{"response_uuid", select->ColumnText(0)},
                                 {"sealed", select->ColumnText(1)},
                                 {"left_at_ms", select->ColumnInt64(2)},
                                 {"ended_at_ms", select->ColumnInt64(3)},
                                 {"utc_offset_min", select->ColumnInt64(4)},
                                 {"least_met", select->ColumnText(5)},
                                 {"low_needs", select->ColumnText(6)},
                                 {"intent", intent ? nlohmann::json(*intent) : nullptr},
                                 {"comment", select->ColumnText(8)}});
    }
}

Status Store::FinishContactSync(const nlohmann::json& reply) {
    auto key = reply.find("contact_key");
    if (key != reply.end() && key->is_string() && IsContactKeyHex(key->get<std::string>())) {
        if (Status saved = WriteMeta(kContactKeyMeta, key->get<std::string>()); !saved.Ok()) {
            return saved;
        }
    }
    for (const nlohmann::json& uuid : reply.value("contacts_received", nlohmann::json::array())) {
        if (!uuid.is_string()) {
            continue;
        }
        Result<Statement> forget = Statement::Prepare(
            Db_, "forget received contact", "DELETE FROM contacts WHERE response_uuid = ?1");
        if (!forget.Ok()) {
            return forget.Err();
        }
        forget->BindText(1, uuid.get<std::string>());
        if (Status gone = forget->Run(); !gone.Ok()) {
            return gone;
        }
    }
    return Success();
}

}  // namespace doorstep
