// Leading-indicator alerts: the rule on known hour slots (same hours of earlier days, the
// store's own local hour, the minimum answers, the drop).
#include <doctest/doctest.h>

#include "server/alerts/alerts.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDay = 20717;                                   // 2026-09-21
constexpr int64_t kNow = (kDay * 24 + 13) * kHourMs + 1'800'000;  // 13:30 UTC

// `scores` scores averaging `mean` (tenths exact) in each hour slot of [first, last].
void Fill(std::vector<SlotTotals>& slots, const std::string& device, const std::string& need,
          int64_t first, int64_t last, int64_t scores, double mean) {
    for (int64_t slot = first; slot <= last; ++slot) {
        slots.push_back(
            {device, need, slot, scores, static_cast<int64_t>(mean * static_cast<double>(scores))});
    }
}

// 28 earlier days with `baseline_mean` in local hours 13-15, and every other hour at 1.0 (so a
// wrong hour in the baseline shows), plus today's 13-15 with `recent_mean`.
std::vector<SlotTotals> Scenario(const std::string& device, int local_hour_now,
                                 double baseline_mean, double recent_mean, int64_t recent_scores) {
    std::vector<SlotTotals> slots;
    for (int64_t day = kDay - 28; day < kDay; ++day) {
        Fill(slots, device, "speed", day * 24, day * 24 + local_hour_now - 3, 10, 1.0);
        Fill(slots, device, "speed", day * 24 + local_hour_now - 2, day * 24 + local_hour_now, 10,
             baseline_mean);
        Fill(slots, device, "speed", day * 24 + local_hour_now + 1, day * 24 + 23, 10, 1.0);
    }
    Fill(slots, device, "speed", kDay * 24 + local_hour_now - 2, kDay * 24 + local_hour_now,
         recent_scores, recent_mean);
    return slots;
}

}  // namespace

TEST_CASE("alerts: a drop against the same hours of the last 4 weeks fires, with enough answers") {
    AlertRules rules;  // 3 hours, drop 0.5, 20 answers, 28 days
    std::vector<DeviceClock> devices = {{"dev_a", "lisbon", "checkout", 0}};

    std::vector<AlertFinding> found =
        FindAlerts(rules, kNow, devices, Scenario("dev_a", 13, 4.5, 3.5, 10));
    REQUIRE(found.size() == 1);
    CHECK(found[0].Store == "lisbon");
    CHECK(found[0].Need == "speed");
    CHECK(found[0].WindowEndSlot == kDay * 24 + 13);
    CHECK(found[0].RecentAnswers == 30);
    CHECK(found[0].RecentMean == doctest::Approx(3.5));
    CHECK(found[0].BaselineAnswers == 28 * 3 * 10);  // only hours 11-13 of earlier days
    CHECK(found[0].BaselineMean == doctest::Approx(4.5));

    CHECK(FindAlerts(rules, kNow, devices, Scenario("dev_a", 13, 4.5, 4.1, 10)).empty());  // 0.4
    CHECK(FindAlerts(rules, kNow, devices, Scenario("dev_a", 13, 4.5, 3.0, 6)).empty());   // 18
    AlertRules sensitive = rules;
    sensitive.Drop = 0.3;
    CHECK(FindAlerts(sensitive, kNow, devices, Scenario("dev_a", 13, 4.5, 4.1, 10)).size() == 1);
}

TEST_CASE("alerts: the window is the store's local hours, from its latest answer's offset") {
    AlertRules rules;
    // 13:30 UTC is 15:30 where the clocks are 2 hours ahead: the window is 13-15 local.
    std::vector<DeviceClock> ahead = {{"dev_b", "athens", "entrance", 120}};
    std::vector<SlotTotals> local = Scenario("dev_b", 15, 4.5, 3.5, 10);
    CHECK(FindAlerts(rules, kNow, ahead, local).size() == 1);
    std::vector<DeviceClock> utc = {{"dev_b", "athens", "entrance", 0}};
    CHECK(FindAlerts(rules, kNow, utc, local).empty());  // its window would end at 13:00
    // Devices at one door add up; an unknown device's slots count nowhere.
    std::vector<SlotTotals> two = Scenario("dev_c", 13, 4.5, 3.5, 4);
    std::vector<SlotTotals> more = Scenario("dev_d", 13, 4.5, 3.5, 4);
    two.insert(two.end(), more.begin(), more.end());
    std::vector<DeviceClock> pair = {{"dev_c", "porto", "checkout", 0},
                                     {"dev_d", "porto", "checkout", 0}};
    CHECK(FindAlerts(rules, kNow, pair, two).size() == 1);  // 12 + 12 recent scores >= 20
    CHECK(FindAlerts(rules, kNow, {pair[0]}, two).empty());
    CHECK(LocalSlotAt(kNow, 120) == kDay * 24 + 15);
}

}  // namespace doorstep::server

// --- the service over a real store, with a webhook receiver on loopback ---------------------

#include <httplib.h>

#include <atomic>
#include <thread>

#include "server/alerts/alert_service.hpp"
#include "server/fleet/enrollment.hpp"
#include "store_fixtures.hpp"
#include "test_database.hpp"

namespace doorstep::server {
namespace {

// A webhook receiver that fails its first `failures` requests with 500.
class Receiver {
  public:
    explicit Receiver(int failures) : FailuresLeft_(failures) {
        Server_.Post("/hooks/doorstep",
                     [this](const httplib::Request& request, httplib::Response& response) {
                         Bodies.push_back(request.body);
                         response.status = FailuresLeft_-- > 0 ? 500 : 204;
                     });
        Port = Server_.bind_to_any_port("127.0.0.1");  // listening: requests queue until accepted
        Thread_ = std::thread([this] { Server_.listen_after_bind(); });
    }
    ~Receiver() {
        Server_.stop();
        Thread_.join();
    }
    std::string Url() const {
        return "http://127.0.0.1:" + std::to_string(Port) + "/hooks/doorstep";
    }

    int Port = 0;
    std::vector<std::string> Bodies;  // read only after the service's call returned

  private:
    httplib::Server Server_;
    std::atomic<int> FailuresLeft_;
    std::thread Thread_;
};

IncomingResponse SpeedAnswer(int64_t seq, int64_t started_at_ms, int speed) {
    Response r = testing::SampleResponse(0);
    r.StartedAtMs = started_at_ms;
    r.EndedAtMs = started_at_ms + 40'000;
    r.Scores = {{"speed", speed}};
    return IncomingResponse{0, seq, r, "", 0};
}

}  // namespace

TEST_CASE("alerts: evaluated over a real store, opened once, delivered with retries, resolved") {
    testing::TestDatabase db;
    std::unique_ptr<ServerStore> opened_store = db.Open();
    ServerStore& store = *opened_store;
    auto code = CreateEnrollmentCode(store, "lisbon", "checkout", 24, kNow - 40LL * 86'400'000);
    REQUIRE(code.Ok());
    auto device = RedeemEnrollmentCode(store, *code, kNow - 40LL * 86'400'000);
    REQUIRE(device.Ok());
    std::string device_id = (*device)->DeviceId;

    // 28 earlier days: one answer a day at 12:10 UTC with speed 5; today 24 at 12:xx with 2.
    std::vector<IncomingResponse> answers;
    int64_t seq = 0;
    for (int64_t day = kDay - 28; day < kDay; ++day) {
        answers.push_back(SpeedAnswer(++seq, (day * 24 + 12) * kHourMs + 600'000, 5));
    }
    for (int i = 0; i < 24; ++i) {
        answers.push_back(SpeedAnswer(++seq, (kDay * 24 + 12) * kHourMs + i * 60'000, 2));
    }
    REQUIRE(store.StoreBatch(device_id, answers, kNow).Ok());

    Receiver receiver(1);  // the first delivery fails
    int64_t now = kNow;
    AlertOptions options;
    options.Rules.MinAnswers = 20;
    options.WebhookUrl = receiver.Url();
    AlertService service(store, options, [&now] { return now; });

    Result<std::vector<AlertRecord>> opened = service.Evaluate();
    REQUIRE(opened.Ok());
    REQUIRE(opened->size() == 1);
    const AlertRecord& alert = opened->front();
    CHECK(alert.Finding.Need == "speed");
    CHECK(alert.Finding.RecentAnswers == 24);
    CHECK(alert.Finding.BaselineAnswers == 28);
    CHECK(alert.WebhookState == "pending");
    CHECK(service.Evaluate()->empty());  // still open: not opened twice
    CHECK(store.ListAlerts(false, 10)->size() == 1);

    CHECK(service.DeliverDue() == 0);  // HTTP 500: kept for a retry in 30 s
    CHECK(service.DeliverDue() == 0);  // not due yet
    now += 31'000;
    CHECK(service.DeliverDue() == 1);
    REQUIRE(receiver.Bodies.size() == 2);
    nlohmann::json sent = nlohmann::json::parse(receiver.Bodies[1]);
    CHECK(sent["event"] == "doorstep.alert.opened");
    CHECK(sent["alert"]["store"] == "lisbon");
    CHECK(sent["alert"]["recent"]["mean"] == 2.0);
    CHECK(sent["alert"]["baseline"]["mean"] == 5.0);
    CHECK(sent["alert"]["drop"] == 3.0);
    std::vector<AlertRecord> listed = *store.ListAlerts(true, 10);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].WebhookState == "delivered");
    CHECK(listed[0].WebhookAttempts == 2);

    // Three hours later the window holds no answers: the rule no longer holds, so it resolves.
    now += 3 * kHourMs;
    CHECK(service.Evaluate()->empty());
    CHECK(store.ListAlerts(false, 10)->empty());
    REQUIRE(store.ListAlerts(true, 10)->size() == 1);
    CHECK(store.ListAlerts(true, 10)->front().ResolvedAtMs == now);
}

}  // namespace doorstep::server
