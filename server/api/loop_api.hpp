// Head office's API for closing the loop (docs/server.md, "Alerts and mail"), behind the same
// sign-in as the reports:
//   GET    /api/alerts                   the inbox: ?state=open (not resolved; the default)|
//                                        unacknowledged|acknowledged|resolved|all
//                                        &store= &kind= &older_than_hours= &limit=
//   GET    /api/alerts/times             time to acknowledge and resolve per store and week:
//                                        ?weeks=1-104 (8) &goal_minutes=1-10080 (the --alert-goal)
//   GET    /api/alerts/ID                one alert
//   GET    /api/alerts/ID/contact        the customer's contact, to accounts of the alert's
//                                        store only (contact_view.cpp)
//   POST   /api/alerts/ID/acknowledge    {"note": "..."}: the caller acknowledges it
//   POST   /api/alerts/ID/resolve        {"note": "..."}: the caller resolves it
//   GET    /api/alert-rules              the rules in force; POST one (alert_rules.hpp) to add it
//   DELETE /api/alert-rules/ID           the rule opens nothing more; its alerts stay
//   GET    /api/recipients               who gets mail; POST one (recipients.hpp) to add or change
//   DELETE /api/recipients/ID
//   GET    /api/mail                     the outbox, newest first: ?state=pending|sent|failed
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <variant>

#include "core/alerts/contact.hpp"
#include "server/api/api_message.hpp"
#include "server/mail/mail_words.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

inline constexpr size_t kMaxNoteBytes = 1000;
inline constexpr int64_t kDefaultAlertGoalMinutes = 60;

// The JSON object a POST sends (application/json only, as for sign-in: a cross-site form
// cannot send it), or the refusal.
std::variant<nlohmann::json, ApiReply> JsonObjectBody(const ApiRequest& request);

class LoopApi {
  public:
    using Clock = std::function<int64_t()>;

    LoopApi(ServerStore& store, int64_t goal_minutes, Clock clock, ContactKeyPair contact_keys);

    // The reply when the path is one of the loop's, else nothing. `user` is the caller's name.
    std::optional<ApiReply> Handle(const ApiRequest& request, const std::string& user);

  private:
    ApiReply ListAlerts(const ApiRequest& request);
    ApiReply AlertTimes(const ApiRequest& request);
    ApiReply ActOnAlert(const ApiRequest& request, int64_t id, std::string_view act,
                        const std::string& user);
    ApiReply ShowContact(int64_t id, const std::string& user);  // contact_view.cpp
    ApiReply Rules(const ApiRequest& request, std::optional<int64_t> id, const std::string& user);
    ApiReply Recipients(const ApiRequest& request, std::optional<int64_t> id);
    ApiReply Mail(const ApiRequest& request);

    ServerStore& Store_;
    int64_t GoalMinutes_;
    Clock Clock_;
    MailWords Words_;
    ContactKeyPair ContactKeys_;
};

}  // namespace doorstep::server
