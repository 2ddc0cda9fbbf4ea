// The uploader's alerts step (docs/protocol.md, "Alerts"): every AlertsIntervalMs, and as soon
// as the manager acts, one POST /v1/alerts hands head office the alerts this terminal raised
// and the manager's acts and the contacts customers left, and brings back the store's alerts and
// the rules in force here.
//
//   (due, or work waiting) --POST /v1/alerts--> 200: FinishAlertSync() in one transaction,
//                                                     then the UI is told (publish)
//                                              --fails--> nothing changes; the next try sends
//                                                     the same work again (head office takes an
//                                                     alert or an act once, however often sent)
#include <nlohmann/json.hpp>

#include "core/base/log.hpp"
#include "core/wire/gzip.hpp"
#include "kiosk/sync/uploader.hpp"

namespace doorstep {

Status Uploader::SyncAlertsNow() {
    Result<AlertSyncWork> work = Store_->PendingAlertSync();
    if (!work.Ok()) {
        return work.Err();
    }
    nlohmann::json request{{"device_id", Config_.Identity.DeviceId},
                           {"raised", work->Raised},
                           {"acts", work->Acts},
                           {"contacts", work->Contacts}};
    Result<HttpReply> reply = PostSigned(protocol::kPathAlerts, GzipCompress(request.dump()));
    if (!reply.Ok()) {
        return reply.Err();
    }
    if (reply->Status != 200) {
        return Error{"head office answered the alerts with HTTP " + std::to_string(reply->Status) +
                         ": " + reply->Body.substr(0, 200),
                     0};
    }
    nlohmann::json answer = nlohmann::json::parse(reply->Body, nullptr, false);
    if (!answer.is_object() || !answer.contains("alerts") || !answer.contains("rules")) {
        return Error{"head office's answer about alerts is not what the protocol says", 0};
    }
    return Store_->FinishAlertSync(*work, reply->Body);
}

bool Uploader::AlertWorkWaiting() const {
    Result<AlertSyncWork> work = Store_->PendingAlertSync();
    return work.Ok() && (!work->Raised.empty() || !work->Acts.empty() || !work->Contacts.empty());
}

}  // namespace doorstep
