// Who gets mail: a recipient as the API and the command line give it, checked.
#pragma once

#include <nlohmann/json.hpp>
#include <variant>

#include "server/mail/mail_words.hpp"
#include "server/store/loop_records.hpp"

namespace doorstep::server {

// {"address": "ana@example.com", "store": "lisbon", "language": "pt", "alerts": true,
//  "daily": false, "weekly": true, "digest_hour": 7}: every member but address optional. The
// language must be one the mails speak.
std::variant<MailRecipient, FieldProblem> ParseRecipient(const nlohmann::json& json,
                                                         const MailWords& words);
nlohmann::json RecipientJson(const MailRecipient& recipient);
nlohmann::json MailJson(const MailRecord& mail);  // without the message itself

}  // namespace doorstep::server
