// Runs the alert rules on a schedule inside `serve`: the trend rule (alerts.hpp) and head
// office's below_goal rules every IntervalMs, and every ScanMs the answer rules (alert_rules.hpp)
// over the answers that arrived since the last scan. Each newly opened alert goes to the
// webhook: POST of JSON, retried with exponential backoff (30 s doubling to 1 h, 12 attempts)
// from the database, so a restart or another server picks up where this left off; its mails
// are left pending for the mail service (mail_service.hpp).
//
// THE THREAD
//   started --every IntervalMs: Evaluate()--> ... ; --every ScanMs: ScanAnswers()--> ...
//           --every few seconds: DeliverDue()--> ...
//   Stop() wakes it and joins; an evaluation or delivery in progress finishes first.
//
// THE SCAN
//   It reads the answers received from a minute before the newest it read last (a batch whose
//   transaction committed late is not missed), from a day back after a start. Reading one twice
//   opens nothing twice: an answer has at most one alert per rule (the store's unique index),
//   and a rule opens nothing for answers received before the rule was made.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "core/base/periodic_thread.hpp"
#include "core/base/result.hpp"
#include "server/alerts/alerts.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

// An alert names the store's top pain points of these hours before it.
inline constexpr int kPainPointHours = 3;

struct AlertOptions {
    AlertRules Rules;
    int64_t IntervalMs = 5 * 60 * 1000;
    int64_t ScanMs = 2'000;
    std::string WebhookUrl;        // empty: no webhook
    bool QueueMail = false;        // mail is set up: new alerts' mails are pending
    std::function<void()> Opened;  // called after alerts opened (wakes the mail service)
    int PainPointHours = kPainPointHours;
};

inline constexpr int kWebhookMaxAttempts = 12;

class AlertService {
  public:
    using Clock = std::function<int64_t()>;  // Unix milliseconds

    AlertService(ServerStore& store, AlertOptions options, Clock clock = nullptr);
    ~AlertService();
    AlertService(const AlertService&) = delete;
    AlertService& operator=(const AlertService&) = delete;

    // One evaluation now; returns the alerts it opened.
    Result<std::vector<AlertRecord>> Evaluate();
    // Runs the answer rules over the answers received since the last scan; returns the alerts
    // it opened.
    Result<std::vector<AlertRecord>> ScanAnswers();
    // Sends every delivery that is due; returns how many were delivered.
    int DeliverDue();

    void Start();
    void Stop();

  private:
    // Empty when delivered, else what went wrong.
    std::string Post(const std::string& body);

    ServerStore& Store_;
    AlertOptions Options_;
    Clock Clock_;
    std::optional<int64_t> ScannedUpToMs_;   // the newest arrival the last scan read
    std::set<std::string> RecentlyScanned_;  // answers read within the last minute's overlap
    PeriodicThread Worker_;
};

// A store's top three pain points of the `hours` before `at_ms` (alerts name them); none when
// they cannot be read.
std::vector<PainPoint> PainPointsBefore(ServerStore& store, const std::string& for_store,
                                        int64_t at_ms, int hours);

// An alert as the API and the webhook show it.
nlohmann::json AlertJson(const AlertRecord& alert);

}  // namespace doorstep::server
