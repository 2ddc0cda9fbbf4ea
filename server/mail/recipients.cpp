#include "server/mail/recipients.hpp"

#include "server/mail/mime.hpp"

namespace doorstep::server {

std::variant<MailRecipient, FieldProblem> ParseRecipient(const nlohmann::json& json,
                                                         const MailWords& words) {
    if (!json.is_object()) {
        return FieldProblem{"", "a recipient must be a JSON object"};
    }
    for (const auto& [name, value] : json.items()) {
        if (name != "address" && name != "store" && name != "language" && name != "alerts" &&
            name != "daily" && name != "weekly" && name != "digest_hour" && name != "id") {
            return FieldProblem{name,
                                "unknown member '" + name.substr(0, 40) + "' in the recipient"};
        }
    }
    MailRecipient recipient;
    auto address = json.find("address");
    if (address == json.end() || !address->is_string()) {
        return FieldProblem{"address", "address must be an e-mail address"};
    }
    recipient.Address = address->get<std::string>();
    if (std::string problem = AddressProblem(recipient.Address); !problem.empty()) {
        return FieldProblem{"address", "address '" + recipient.Address.substr(0, 80) +
                                           "' is not usable: " + problem};
    }
    if (auto store = json.find("store"); store != json.end() && !store->is_null()) {
        if (!store->is_string() || store->get<std::string>().size() > 64) {
            return FieldProblem{"store", "store must be a store name (\"\" for every store)"};
        }
        recipient.Store = store->get<std::string>();
    }
    if (auto language = json.find("language"); language != json.end() && !language->is_null()) {
        if (!language->is_string() || !words.Has(language->get<std::string>())) {
            std::string known;
            for (const std::string& code : words.Languages()) {
                known += (known.empty() ? "" : ", ") + code;
            }
            return FieldProblem{"language",
                                "language must be one the mails are written in: " + known};
        }
        recipient.Language = language->get<std::string>();
    }
    for (auto [name, into] : {std::pair<const char*, bool*>{"alerts", &recipient.Alerts},
                              {"daily", &recipient.Daily},
                              {"weekly", &recipient.Weekly}}) {
        if (auto flag = json.find(name); flag != json.end() && !flag->is_null()) {
            if (!flag->is_boolean()) {
                return FieldProblem{name, std::string(name) + " must be true or false"};
            }
            *into = flag->get<bool>();
        }
    }
    if (auto hour = json.find("digest_hour"); hour != json.end() && !hour->is_null()) {
        if (!hour->is_number_integer() || hour->get<int>() < 0 || hour->get<int>() > 23) {
            return FieldProblem{"digest_hour",
                                "digest_hour must be a whole hour from 0 to 23 (the store's time)"};
        }
        recipient.DigestHour = hour->get<int>();
    }
    return recipient;
}

nlohmann::json RecipientJson(const MailRecipient& recipient) {
    nlohmann::json json{{"id", recipient.Id},
                        {"store", recipient.Store},
                        {"address", recipient.Address},
                        {"language", recipient.Language},
                        {"alerts", recipient.Alerts},
                        {"daily", recipient.Daily},
                        {"weekly", recipient.Weekly},
                        {"digest_hour", recipient.DigestHour},
                        {"last_error", recipient.LastError}};
    if (recipient.LastErrorAtMs) {
        json["last_error_at_ms"] = *recipient.LastErrorAtMs;
    }
    return json;
}

nlohmann::json MailJson(const MailRecord& mail) {
    nlohmann::json json{{"id", mail.Id},
                        {"kind", mail.Mail.Kind},
                        {"store", mail.Mail.Store},
                        {"to", mail.Mail.Recipient},
                        {"subject", mail.Mail.Subject},
                        {"state", mail.State},
                        {"attempts", mail.Attempts},
                        {"last_error", mail.LastError},
                        {"created_at_ms", mail.CreatedAtMs}};
    if (mail.Mail.AlertId) {
        json["alert_id"] = *mail.Mail.AlertId;
    }
    if (mail.SentAtMs) {
        json["sent_at_ms"] = *mail.SentAtMs;
    }
    if (mail.NextAtMs && mail.State == "pending") {
        json["next_attempt_at_ms"] = *mail.NextAtMs;
    }
    return json;
}

}  // namespace doorstep::server
