// Runs the alert rule (alerts.hpp) on a schedule inside `serve`, and delivers each newly opened
// alert to the webhook: POST of JSON, retried with exponential backoff (30 s doubling to 1 h,
// 12 attempts) from the database, so a restart or another server picks up where this left off.
//
// THE THREAD
//   started --every IntervalMs: Evaluate()--> ... ; --every few seconds: DeliverDue()--> ...
//   Stop() wakes it and joins; an evaluation or delivery in progress finishes first.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/periodic_thread.hpp"
#include "core/base/result.hpp"
#include "server/alerts/alerts.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

struct AlertOptions {
    AlertRules Rules;
    int64_t IntervalMs = 5 * 60 * 1000;
    std::string WebhookUrl;  // empty: no webhook
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
    PeriodicThread Worker_;
};

// An alert as the API and the webhook show it.
nlohmann::json AlertJson(const AlertRecord& alert);

}  // namespace doorstep::server
