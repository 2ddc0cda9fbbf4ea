// GET /api/alerts/ID/contact: a customer's contact, opened for an account of the alert's own
// store (user_stores) and no one else. Each viewing is logged with who and which alert, never
// with the contact.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base/log.hpp"
#include "server/api/loop_api.hpp"
#include "server/api/request_checks.hpp"

namespace doorstep::server {

ApiReply LoopApi::ShowContact(int64_t id, const std::string& user) {
    Result<std::optional<AlertRecord>> alert = Store_.FindAlert(id);
    if (!alert.Ok()) {
        return HeadOfficeFailure(alert.Err(), "read the alert");
    }
    if (!alert->has_value() || (*alert)->Finding.Kind != "contact") {
        return ErrorReply(404, "not_found", "no contact alert " + std::to_string(id));
    }
    const std::string& store = (*alert)->Finding.Store;
    Result<std::vector<std::string>> stores = Store_.ListUserStores(user);
    if (!stores.Ok()) {
        return HeadOfficeFailure(stores.Err(), "read the account's stores");
    }
    if (std::find(stores->begin(), stores->end(), store) == stores->end()) {
        return ErrorReply(403, "not_your_store",
                          "only accounts of store " + store + " may see this customer's contact");
    }
    Result<std::optional<ContactRecord>> contact = Store_.FindContact((*alert)->Answer.Uuid);
    if (!contact.Ok()) {
        return HeadOfficeFailure(contact.Err(), "read the contact");
    }
    if (!contact->has_value()) {
        return ErrorReply(404, "no_contact",
                          "head office holds no contact for alert " + std::to_string(id) +
                              " (resolved, expired, or never left)");
    }
    Result<std::string> opened = OpenContact((*contact)->SealedHex, ContactKeys_);
    Result<Contact> read = opened.Ok() ? ReadContact(*opened) : Result<Contact>(opened.Err());
    if (!read.Ok()) {
        Log(LogLevel::Error, "contacts", "a kept contact cannot be opened with this server's key",
            {{"alert", std::to_string(id)}, {"error", read.Err().Message}});
        return ErrorReply(500, "server_error",
                          "this server's contact key cannot open the contact; check that every "
                          "server uses the same contact key file");
    }
    Log(LogLevel::Info, "contacts", "contact viewed",
        {{"alert", std::to_string(id)}, {"by", user}});
    return JsonReply(nlohmann::json{{"alert_id", id},
                                    {"kind", ContactKindName(read->Kind)},
                                    {"contact", read->Text},
                                    {"left_at_ms", (*contact)->LeftAtMs}}
                         .dump());
}

}  // namespace doorstep::server
