#include "server/alerts/alert_service.hpp"

#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/base/clock.hpp"
#include "core/base/log.hpp"
#include "server/alerts/alert_rules.hpp"
#include "server/store/report_filter.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kDeliveryCheckMs = 5'000;
constexpr int64_t kDeliveryLeaseMs = 60'000;  // longer than a delivery attempt can take
constexpr int64_t kFirstRetryMs = 30'000;
constexpr int64_t kLongestRetryMs = 3'600'000;
constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kScanOverlapMs = 60'000;
constexpr int64_t kFirstScanBackMs = 24 * kHourMs;
constexpr int kScanPage = 2'000;

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
    nlohmann::json json{{"id", alert.Id},
                        {"kind", f.Kind},
                        {"store", f.Store},
                        {"door", f.Door},
                        {"need", f.Need},
                        {"opened_at_ms", alert.OpenedAtMs},
                        {"updated_at_ms", alert.UpdatedAtMs},
                        {"state", alert.State()},
                        {"source", alert.Source},
                        {"webhook", alert.WebhookState},
                        {"mail", alert.MailState}};
    if (f.RuleId) {
        json["rule_id"] = *f.RuleId;
    }
    if (f.Kind == "contact") {
        json["contact"] = alert.ContactHeld;  // the contact itself: GET /api/alerts/ID/contact
    }
    if (alert.Answer.Uuid.empty()) {
        // The local hour the window ends with, and the one after it.
        json["window_end"] = SlotTime(f.WindowEndSlot + 1);
        json["recent"] = {{"answers", f.RecentAnswers}, {"mean", Round2(f.RecentMean)}};
        if (f.Kind == "below_goal") {
            json["goal"] = Round2(f.BaselineMean);
        } else {
            json["baseline"] = {{"answers", f.BaselineAnswers}, {"mean", Round2(f.BaselineMean)}};
            json["drop"] = Round2(f.BaselineMean - f.RecentMean);
        }
    } else {
        const AlertAnswer& answer = alert.Answer;
        json["answer"] = {{"uuid", answer.Uuid},
                          {"ended_at_ms", answer.EndedAtMs},
                          {"utc_offset_min", answer.UtcOffsetMin},
                          {"least_met", answer.LeastMet},
                          {"low_needs", nlohmann::json::array()},
                          {"intent", answer.Intent ? nlohmann::json(*answer.Intent) : nullptr},
                          {"comment", answer.Comment}};
        for (size_t start = 0; start < answer.LowNeeds.size();) {
            size_t end = std::min(answer.LowNeeds.find(',', start), answer.LowNeeds.size());
            json["answer"]["low_needs"].push_back(answer.LowNeeds.substr(start, end - start));
            start = end + 1;
        }
    }
    json["pain_points"] = nlohmann::json::array();
    for (const PainPoint& point : f.PainPoints) {
        json["pain_points"].push_back({{"need", point.Need}, {"answers", point.Answers}});
    }
    if (alert.AcknowledgedAtMs) {
        json["acknowledged"] = {{"at_ms", *alert.AcknowledgedAtMs},
                                {"by", alert.AcknowledgedBy},
                                {"note", alert.AcknowledgeNote}};
    }
    if (alert.ResolvedAtMs) {
        json["resolved_at_ms"] = *alert.ResolvedAtMs;
        json["resolved"] = {
            {"at_ms", *alert.ResolvedAtMs}, {"by", alert.ResolvedBy}, {"note", alert.ResolveNote}};
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
    Result<std::vector<AlertRule>> rules = Store_.ListAlertRules(false);
    if (!rules.Ok()) {
        return rules.Err();
    }
    std::vector<AlertFinding> findings = FindAlerts(Options_.Rules, now_ms, *clocks, *slots);
    std::vector<AlertFinding> goals = FindGoalAlerts(*rules, now_ms, *clocks, *slots);
    std::map<int64_t, bool> mailed;
    for (const AlertRule& rule : *rules) {
        mailed[rule.Id] = rule.Mail;
    }
    std::map<std::string, std::vector<PainPoint>> pains;
    for (std::vector<AlertFinding>* kind : {&findings, &goals}) {
        for (AlertFinding& finding : *kind) {
            if (pains.count(finding.Store) == 0) {
                pains[finding.Store] =
                    PainPointsBefore(Store_, finding.Store, now_ms, Options_.PainPointHours);
            }
            finding.PainPoints = pains[finding.Store];
        }
    }
    bool webhook = !Options_.WebhookUrl.empty();
    Result<std::vector<AlertRecord>> opened =
        Store_.ApplyConditionFindings("trend", findings, now_ms, webhook, Options_.QueueMail);
    if (!opened.Ok()) {
        return opened;
    }
    for (AlertFinding& goal : goals) {
        goal.Mail = mailed[goal.RuleId.value_or(0)];
    }
    Result<std::vector<AlertRecord>> below =
        Store_.ApplyConditionFindings("below_goal", goals, now_ms, webhook, Options_.QueueMail);
    if (!below.Ok()) {
        return below;
    }
    opened->insert(opened->end(), below->begin(), below->end());
    if (!opened->empty() && Options_.Opened) {
        Options_.Opened();
    }
    if (opened.Ok()) {
        for (const AlertRecord& alert : *opened) {
            Log(LogLevel::Warning, "alerts", "alert opened",
                {{"kind", alert.Finding.Kind},
                 {"store", alert.Finding.Store},
                 {"door", alert.Finding.Door},
                 {"need", alert.Finding.Need},
                 {"recent_mean", std::to_string(Round2(alert.Finding.RecentMean))},
                 {"baseline_mean", std::to_string(Round2(alert.Finding.BaselineMean))}});
        }
    }
    return opened;
}

std::vector<PainPoint> PainPointsBefore(ServerStore& store, const std::string& for_store,
                                        int64_t at_ms, int hours) {
    Result<std::vector<PainPoint>> points =
        store.TopPainPoints(for_store, at_ms - hours * kHourMs, at_ms + 1, 3);
    return points.Ok() ? *points : std::vector<PainPoint>();
}

Result<std::vector<AlertRecord>> AlertService::ScanAnswers() {
    int64_t now_ms = Clock_();
    Result<std::vector<AlertRule>> rules = Store_.ListAlertRules(false);
    if (!rules.Ok()) {
        return rules.Err();
    }
    int64_t from_ms = ScannedUpToMs_ ? *ScannedUpToMs_ - kScanOverlapMs : now_ms - kFirstScanBackMs;
    std::vector<AlertRecord> opened;
    std::set<std::string> scanned;
    for (;;) {
        Result<std::vector<ScannedAnswer>> answers =
            Store_.ListAnswersReceivedSince(from_ms, kScanPage);
        if (!answers.Ok()) {
            return answers.Err();
        }
        std::vector<AlertRecord> raised;
        for (const ScannedAnswer& answer : *answers) {
            ScannedUpToMs_ = std::max(ScannedUpToMs_.value_or(0), answer.ReceivedAtMs);
            scanned.insert(answer.Uuid);
            if (RecentlyScanned_.count(answer.Uuid) != 0) {
                continue;
            }
            std::vector<AlertRule> in_force;
            for (const AlertRule& rule : *rules) {
                if (rule.CreatedAtMs <= answer.ReceivedAtMs) {
                    in_force.push_back(rule);
                }
            }
            for (AlertRecord& alert : AlertsForAnswer(in_force, answer)) {
                alert.Finding.PainPoints = PainPointsBefore(Store_, answer.Store, answer.EndedAtMs,
                                                            Options_.PainPointHours);
                raised.push_back(std::move(alert));
            }
        }
        if (!raised.empty()) {
            Result<std::vector<AlertRecord>> now_open = Store_.OpenAnswerAlerts(
                raised, now_ms, !Options_.WebhookUrl.empty(), Options_.QueueMail);
            if (!now_open.Ok()) {
                return now_open.Err();
            }
            opened.insert(opened.end(), now_open->begin(), now_open->end());
        }
        if (static_cast<int>(answers->size()) < kScanPage ||
            answers->back().ReceivedAtMs == from_ms) {
            break;  // (a page that all arrived in one millisecond: the next scan goes on)
        }
        from_ms = answers->back().ReceivedAtMs;  // the next page; the overlap is skipped above
        RecentlyScanned_.insert(scanned.begin(), scanned.end());
    }
    RecentlyScanned_ = std::move(scanned);
    if (!opened.empty() && Options_.Opened) {
        Options_.Opened();
    }
    for (const AlertRecord& alert : opened) {
        Log(LogLevel::Warning, "alerts", "alert opened",
            {{"kind", alert.Finding.Kind},
             {"store", alert.Finding.Store},
             {"door", alert.Finding.Door},
             {"answer", alert.Answer.Uuid}});
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
    int64_t next_scan = MonotonicClockMs();
    Worker_.Start([this, next_evaluation, next_scan]() mutable {
        if (MonotonicClockMs() >= next_scan) {
            Result<std::vector<AlertRecord>> opened = ScanAnswers();
            if (!opened.Ok()) {
                Log(LogLevel::Error, "alerts", "answer scan failed",
                    {{"error", opened.Err().Message}});
            }
            next_scan = MonotonicClockMs() + Options_.ScanMs;
        }
        if (MonotonicClockMs() >= next_evaluation) {
            Result<std::vector<AlertRecord>> opened = Evaluate();
            if (!opened.Ok()) {
                Log(LogLevel::Error, "alerts", "evaluation failed",
                    {{"error", opened.Err().Message}});
            }
            next_evaluation = MonotonicClockMs() + Options_.IntervalMs;
        }
        DeliverDue();
        return std::max<int64_t>(0,
                                 std::min({kDeliveryCheckMs, next_evaluation - MonotonicClockMs(),
                                           next_scan - MonotonicClockMs()}));
    });
}

void AlertService::Stop() {
    Worker_.Stop();
}

}  // namespace doorstep::server
