#include "server/alerts/alert_service.hpp"

#include <httplib.h>

#include <algorithm>
#include <cmath>

#include "core/base/clock.hpp"
#include "core/base/log.hpp"
#include "server/store/report_filter.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kDeliveryCheckMs = 5'000;
constexpr int64_t kDeliveryLeaseMs = 60'000;  // longer than a delivery attempt can take
constexpr int64_t kFirstRetryMs = 30'000;
constexpr int64_t kLongestRetryMs = 3'600'000;

double Round2(double value) {
    return std::round(value * 100) / 100;
}

std::string SlotTime(int64_t slot) {
    char hour[8];
    std::snprintf(hour, sizeof hour, "%02d:00", static_cast<int>(slot % 24));
    return DayToIsoDate(slot / 24) + " " + hour;
}

}  // namespace

nlohmann::json AlertJson(const AlertRecord& alert) {
    const AlertFinding& f = alert.Finding;
    nlohmann::json json{
        {"id", alert.Id},
        {"store", f.Store},
        {"door", f.Door},
        {"need", f.Need},
        // The local hour the window ends with, and the one after it.
        {"window_end", SlotTime(f.WindowEndSlot + 1)},
        {"recent", {{"answers", f.RecentAnswers}, {"mean", Round2(f.RecentMean)}}},
        {"baseline", {{"answers", f.BaselineAnswers}, {"mean", Round2(f.BaselineMean)}}},
        {"drop", Round2(f.BaselineMean - f.RecentMean)},
        {"opened_at_ms", alert.OpenedAtMs},
        {"updated_at_ms", alert.UpdatedAtMs},
        {"state", alert.ResolvedAtMs ? "resolved" : "open"},
        {"webhook", alert.WebhookState}};
    if (alert.ResolvedAtMs) {
        json["resolved_at_ms"] = *alert.ResolvedAtMs;
    }
    return json;
}

AlertService::AlertService(ServerStore& store, AlertOptions options, Clock clock)
    : Store_(store),
      Options_(std::move(options)),
      Clock_(clock ? std::move(clock) : Clock(WallClockMs)) {}

AlertService::~AlertService() {
    Stop();
}

Result<std::vector<AlertRecord>> AlertService::Evaluate() {
    int64_t now_ms = Clock_();
    int64_t today = now_ms / (24LL * 3600 * 1000);
    // A day of margin each side: local days run up to 18 hours from UTC days.
    Result<std::vector<SlotTotals>> slots =
        Store_.SumSlots(today - Options_.Rules.BaselineDays - 1, today + 1);
    if (!slots.Ok()) {
        return slots.Err();
    }
    Result<std::vector<DeviceClock>> clocks = Store_.ListDeviceClocks();
    if (!clocks.Ok()) {
        return clocks.Err();
    }
    std::vector<AlertFinding> findings = FindAlerts(Options_.Rules, now_ms, *clocks, *slots);
    Result<std::vector<AlertRecord>> opened =
        Store_.ApplyAlertFindings(findings, now_ms, !Options_.WebhookUrl.empty());
    if (opened.Ok()) {
        for (const AlertRecord& alert : *opened) {
            Log(LogLevel::Warning, "alerts", "alert opened",
                {{"store", alert.Finding.Store},
                 {"door", alert.Finding.Door},
                 {"need", alert.Finding.Need},
                 {"recent_mean", std::to_string(Round2(alert.Finding.RecentMean))},
                 {"baseline_mean", std::to_string(Round2(alert.Finding.BaselineMean))}});
        }
    }
    return opened;
}

std::string AlertService::Post(const std::string& body) {
    // scheme://host[:port]/path -> httplib's client for the first part, the path for the POST.
    const std::string& url = Options_.WebhookUrl;
    size_t scheme_end = url.find("://");
    size_t path_start =
        scheme_end == std::string::npos ? std::string::npos : url.find('/', scheme_end + 3);
    std::string base = path_start == std::string::npos ? url : url.substr(0, path_start);
    std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
    httplib::Client client(base);
    if (!client.is_valid()) {
        return "the webhook URL is not usable: " + url;
    }
    client.set_connection_timeout(10, 0);
    client.set_read_timeout(30, 0);
    client.set_write_timeout(30, 0);
    httplib::Result reply = client.Post(path, body, "application/json");
    if (!reply) {
        return "cannot reach the webhook: " + httplib::to_string(reply.error());
    }
    if (reply->status < 200 || reply->status >= 300) {
        return "the webhook answered HTTP " + std::to_string(reply->status);
    }
    return {};
}

int AlertService::DeliverDue() {
    if (Options_.WebhookUrl.empty()) {
        return 0;
    }
    int delivered = 0;
    for (;;) {
        Result<std::optional<AlertRecord>> claimed =
            Store_.ClaimWebhookDelivery(Clock_(), kDeliveryLeaseMs);
        if (!claimed.Ok() || !claimed->has_value()) {
            return delivered;
        }
        const AlertRecord& alert = **claimed;
        nlohmann::json body{{"event", "doorstep.alert.opened"}, {"alert", AlertJson(alert)}};
        std::string error = Post(body.dump());
        std::optional<int64_t> next_at_ms;
        if (!error.empty() && alert.WebhookAttempts + 1 < kWebhookMaxAttempts) {
            int64_t wait =
                std::min(kLongestRetryMs, kFirstRetryMs << std::min(alert.WebhookAttempts, 20));
            next_at_ms = Clock_() + wait;
        }
        Status recorded = Store_.RecordWebhookAttempt(alert.Id, error.empty(), next_at_ms, error);
        if (error.empty()) {
            ++delivered;
        } else {
            Log(LogLevel::Warning, "alerts", "webhook delivery failed",
                {{"alert", std::to_string(alert.Id)},
                 {"error", error},
                 {"retry", next_at_ms ? "yes" : "no, gave up"}});
        }
        if (!recorded.Ok()) {
            return delivered;
        }
    }
}

void AlertService::Start() {
    int64_t next_evaluation = MonotonicClockMs();
    Worker_.Start([this, next_evaluation]() mutable {
        if (MonotonicClockMs() >= next_evaluation) {
            Result<std::vector<AlertRecord>> opened = Evaluate();
            if (!opened.Ok()) {
                Log(LogLevel::Error, "alerts", "evaluation failed",
                    {{"error", opened.Err().Message}});
            }
            next_evaluation = MonotonicClockMs() + Options_.IntervalMs;
        }
        DeliverDue();
        return std::min(kDeliveryCheckMs, next_evaluation - MonotonicClockMs());
    });
}

void AlertService::Stop() {
    Worker_.Stop();
}

}  // namespace doorstep::server
