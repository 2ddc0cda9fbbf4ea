// POST /v1/alerts' contacts (docs/protocol.md, "Contacts"): what customers left after a low
// answer, sealed on the terminal to head office's contact key. Each opens the answer's contact
// alert (once, whichever server sees it first) and is kept, still sealed, until that alert is
// resolved or the contact is --contact-days old. The server opens each seal once to check it;
// what it holds is never logged.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base/log.hpp"
#include "core/base/text.hpp"
#include "core/base/uuid.hpp"
#include "core/wire/signing.hpp"
#include "server/alerts/alert_service.hpp"
#include "server/api/api.hpp"
#include "server/api/request_checks.hpp"
#include "server/api/terminal_items.hpp"

namespace doorstep::server {
namespace {

constexpr size_t kMaxContacts = 1000;
constexpr int64_t kDayMs = 24LL * 3'600'000;
// crypto_box_seal adds 48 bytes; a contact is at most kMaxContactBytes.
constexpr size_t kSealBytes = 48;
constexpr size_t kMaxSealedHex = 2 * (kMaxContactBytes + kSealBytes);

// Hex of at least a seal's overhead: what a terminal's SealContact makes. A seal of the right
// shape that does not open is another matter (logged, not kept).
bool IsSealShaped(const nlohmann::json& item) {
    std::string bytes;
    return IsJsonText(item, "sealed", kMaxSealedHex) &&
           FromHex(item["sealed"].get<std::string>(), bytes) && bytes.size() > kSealBytes;
}

bool IsContactItem(const nlohmann::json& item) {
    return IsTerminalAnswer(item) && IsUuid(item["response_uuid"].get<std::string>()) &&
           IsSealShaped(item) && IsJsonWhole(item, "left_at_ms");
}

}  // namespace

std::variant<Api::Contacts, ApiReply> Api::ReadContacts(const nlohmann::json& body,
                                                        const DeviceRecord& device) {
    Contacts read;
    nlohmann::json items = body.value("contacts", nlohmann::json::array());
    if (!items.is_array() || items.size() > kMaxContacts) {
        return ErrorReply(400, "bad_request", "contacts must be an array of at most 1000 contacts",
                          nlohmann::json{{"field", "contacts"}}.dump());
    }
    for (size_t i = 0; i < items.size(); ++i) {
        const nlohmann::json& item = items[i];
        std::string at = "contacts[" + std::to_string(i) + "]";
        if (!IsContactItem(item)) {
            return ErrorReply(400, "bad_request",
                              at + " must hold response_uuid (a UUID), sealed (hex, at most " +
                                  std::to_string(kMaxSealedHex) +
                                  " digits), left_at_ms, ended_at_ms, utc_offset_min, "
                                  "least_met, low_needs, intent and comment",
                              nlohmann::json{{"field", at}}.dump());
        }
        std::string uuid = item["response_uuid"].get<std::string>();
        read.Received.push_back(uuid);
        Result<std::string> opened = OpenContact(item["sealed"].get<std::string>(), ContactKeys_);
        if (!opened.Ok() || !ReadContact(*opened).Ok()) {
            Log(LogLevel::Error, "contacts",
                "a contact head office cannot open (sealed to another key?): not kept",
                {{"device", device.DeviceId},
                 {"answer", uuid},
                 {"error",
                  opened.Ok() ? "not an e-mail address or phone number" : opened.Err().Message}});
            continue;
        }
        ContactRecord contact;
        contact.ResponseUuid = uuid;
        contact.Store = device.Store;
        contact.Door = device.Door;
        contact.SealedHex = item["sealed"].get<std::string>();
        contact.LeftAtMs = item["left_at_ms"].get<int64_t>();
        read.Kept.push_back(std::move(contact));

        AlertRecord alert;
        alert.Source = "kiosk";
        alert.Finding.Kind = "contact";
        alert.Finding.RuleId = 0;
        alert.Finding.Store = device.Store;
        alert.Finding.Door = device.Door;
        alert.Finding.Mail = true;  // always: the store must call the customer back
        alert.Answer = ReadTerminalAnswer(item);
        alert.OpenedAtMs = std::max(read.Kept.back().LeftAtMs, alert.Answer.EndedAtMs);
        read.Alerts.push_back(std::move(alert));
    }
    return read;
}

std::optional<ApiReply> Api::KeepContacts(Contacts& contacts, int64_t now_ms) {
    if (contacts.Kept.empty()) {
        return std::nullopt;
    }
    for (size_t i = 0; i < contacts.Kept.size(); ++i) {
        contacts.Kept[i].ReceivedAtMs = now_ms;
        contacts.Alerts[i].Finding.PainPoints =
            PainPointsBefore(Store_, contacts.Alerts[i].Finding.Store,
                             contacts.Alerts[i].Answer.EndedAtMs, kPainPointHours);
    }
    Result<std::vector<AlertRecord>> opened =
        Store_.KeepContacts(contacts.Kept, contacts.Alerts, now_ms - ContactDays_ * kDayMs, now_ms,
                            AlertWebhook_, AlertMail_);
    if (!opened.Ok()) {
        return StoreFailureReply(opened.Err(), "keep the contacts");
    }
    if (!opened->empty() && AlertsOpened_) {
        AlertsOpened_();
    }
    return std::nullopt;
}

}  // namespace doorstep::server
