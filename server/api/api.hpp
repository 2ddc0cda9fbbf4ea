// The endpoints of sync protocol version 1 (docs/protocol.md): POST /v1/enroll,
// /v1/responses, /v1/heartbeat, /v1/survey and /v1/alerts. Plain values in, plain values out:
// http_server.cpp adapts them to cpp-httplib.
#pragma once

#include <variant>

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/alerts/contact.hpp"
#include "server/api/api_message.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

class Api {
  public:
    using Clock = std::function<int64_t()>;  // Unix milliseconds

    explicit Api(ServerStore& store, Clock clock = nullptr);  // nullptr: the wall clock

    // Routes by method and path; unknown paths get 404, other methods 405. Safe to call from
    // several threads at once.
    ApiReply Handle(const ApiRequest& request);
    // Whether alerts a terminal raises have their mail pending (mail is set up), and their
    // webhook delivery (a webhook is set up).
    void SetAlertDeliveries(bool mail, bool webhook) {
        AlertMail_ = mail;
        AlertWebhook_ = webhook;
    }
    // Called after a terminal's request opened alerts (wakes the mail service).
    void WhenAlertsOpen(std::function<void()> opened) { AlertsOpened_ = std::move(opened); }
    // Head office's contact key (contact_key.hpp) and how many days a contact is kept at most
    // (--contact-days; at most --retention-days).
    void SetContacts(ContactKeyPair keys, int contact_days) {
        ContactKeys_ = std::move(keys);
        ContactDays_ = contact_days;
    }

  private:
    ApiReply HandleEnroll(const ApiRequest& request);
    ApiReply HandleResponses(const ApiRequest& request);
    ApiReply HandleHeartbeat(const ApiRequest& request);
    ApiReply HandleSurvey(const ApiRequest& request);
    ApiReply HandleAlerts(const ApiRequest& request);  // device_alerts.cpp
    // A signed request's device and inflated body, or the refusal to send instead.
    struct Authenticated {
        DeviceRecord Device;
        std::string Body;
    };
    std::variant<Authenticated, ApiReply> AuthenticateAndInflate(const ApiRequest& request);
    // The same, for a body that is a JSON object naming the signing device ("device_id"):
    // `shape` says what it must look like in the refusal.
    struct DeviceJson {
        DeviceRecord Device;
        nlohmann::json Body;
    };
    std::variant<DeviceJson, ApiReply> AuthenticateJson(const ApiRequest& request,
                                                        std::string_view shape);

    // A request's contacts (device_contacts.cpp): every uuid to list as received, and those
    // head office could open, each with the alert it opens.
    struct Contacts {
        std::vector<std::string> Received;
        std::vector<ContactRecord> Kept;
        std::vector<AlertRecord> Alerts;
    };
    std::variant<Contacts, ApiReply> ReadContacts(const nlohmann::json& body,
                                                  const DeviceRecord& device);
    // The refusal to send when the store failed.
    std::optional<ApiReply> KeepContacts(Contacts& contacts, int64_t now_ms);

    ServerStore& Store_;
    Clock Clock_;
    ContactKeyPair ContactKeys_;
    int ContactDays_ = 30;
    bool AlertMail_ = false;
    bool AlertWebhook_ = false;
    std::function<void()> AlertsOpened_;
};

}  // namespace doorstep::server
