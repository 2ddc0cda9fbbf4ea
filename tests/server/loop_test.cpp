// Closing the loop in parts: the alert rules on known answers and slots, the times report, the
// mail's exact bytes and words, and the store's inbox and outbox on SQLite and PostgreSQL.
#include <doctest/doctest.h>
#include <sodium.h>

#include "received_mail.hpp"
#include "server/alerts/alert_rules.hpp"
#include "server/mail/digest.hpp"
#include "server/mail/mail_service.hpp"
#include "server/mail/mail_words.hpp"
#include "server/mail/mime.hpp"
#include "server/reports/alert_times.hpp"
#include "smtp_sink.hpp"
#include "store_fixtures.hpp"
#include "test_database.hpp"

namespace doorstep::server {
namespace {

AlertRule Rule(int64_t id, const char* kind, double threshold, const char* need = "") {
    nlohmann::json json{{"kind", kind}, {"need", need}};
    if (std::string(kind) != "comment") {
        json["threshold"] = threshold;
    }
    std::variant<AlertRule, RuleProblem> parsed = ParseAlertRule(json);
    REQUIRE(std::holds_alternative<AlertRule>(parsed));
    AlertRule rule = std::get<AlertRule>(parsed);
    rule.Id = id;
    return rule;
}

ScannedAnswer Unhappy() {
    ScannedAnswer answer;
    answer.Uuid = "0193c0de-0000-7000-8000-000000000001";
    answer.Store = "lisbon";
    answer.Door = "checkout";
    answer.EndedAtMs = 1'790'000'000'000;
    answer.LeastMet = "support";
    answer.Intent = 2;
    answer.Comment = "Nobody at the till";
    answer.Scores = {{"trust", 4}, {"control", 2}, {"support", 1}};
    return answer;
}

}  // namespace

TEST_CASE("alert rules: defaults, and the fields each kind takes") {
    AlertRule intent = Rule(1, "low_intent", 3);
    CHECK(intent.Threshold == 3);
    CHECK(intent.Mail);
    auto parsed = ParseAlertRule(nlohmann::json{{"kind", "below_goal"}});
    REQUIRE(std::holds_alternative<AlertRule>(parsed));
    CHECK(std::get<AlertRule>(parsed).Threshold == 4);
    CHECK(std::get<AlertRule>(parsed).WindowHours == 24);
    CHECK(std::get<AlertRule>(parsed).MinAnswers == 20);
    CHECK(std::get<AlertRule>(ParseAlertRule(nlohmann::json{{"kind", "low_score"}})).Threshold ==
          1);
    auto problem = [](const nlohmann::json& json) {
        auto result = ParseAlertRule(json);
        return std::holds_alternative<RuleProblem>(result) ? std::get<RuleProblem>(result).Field
                                                           : std::string("(accepted)");
    };
    CHECK(problem({{"kind", "low_score"}, {"threshold", 2.5}}) == "threshold");
    CHECK(problem({{"kind", "comment"}, {"threshold", 1}}) == "threshold");
    CHECK(problem({{"kind", "low_intent"}, {"window_hours", 3}}) == "window_hours");
    CHECK(problem({{"kind", "low_intent"}, {"store", "a;drop"}}) == "store");
    CHECK(problem({{"kind", "low_intent"}, {"colour", "red"}}) == "colour");
    CHECK(problem({{"kind", "low_intent"}, {"mail", "yes"}}) == "mail");
    CHECK(problem(nlohmann::json::array()) == "");
}

TEST_CASE("alert rules: an answer raises one alert per rule that fires, in the rule's scope") {
    std::vector<AlertRule> rules = {Rule(1, "low_score", 1),  Rule(2, "low_score", 2, "control"),
                                    Rule(3, "low_intent", 3), Rule(4, "comment", 0),
                                    Rule(5, "low_intent", 1), Rule(6, "below_goal", 4)};
    std::vector<AlertRecord> alerts = AlertsForAnswer(rules, Unhappy());
    REQUIRE(alerts.size() == 4);
    CHECK(alerts[0].Finding.Kind == "low_score");
    CHECK(alerts[0].Finding.Need == "");
    CHECK(alerts[0].Answer.LowNeeds == "support");
    CHECK(alerts[1].Finding.Need == "control");
    CHECK(alerts[1].Answer.LowNeeds == "control");
    CHECK(alerts[2].Finding.RuleId == 3);
    CHECK(alerts[2].Answer.LowNeeds == "control,support");  // 2 or lower names a need as low
    CHECK(alerts[3].Finding.Kind == "comment");
    CHECK(alerts[3].Answer.Comment == "Nobody at the till");
    CHECK(alerts[3].Finding.Store == "lisbon");

    rules[0].Store = "porto";
    rules[1].Door = "entrance";
    rules[2].RemovedAtMs = 1;
    CHECK(AlertsForAnswer(rules, Unhappy()).size() == 1);  // only the comment rule still fires
    ScannedAnswer content = Unhappy();
    content.Intent = 9;
    content.Comment = "";
    content.Scores = {{"trust", 5}};
    CHECK(AlertsForAnswer(rules, content).empty());
}

TEST_CASE("alert rules: below_goal holds when a door's rolling mean is under the goal") {
    AlertRule goal = Rule(7, "below_goal", 4.0, "trust");
    goal.WindowHours = 3;
    goal.MinAnswers = 10;
    constexpr int64_t kNowSlot = 20717 * 24 + 13;
    int64_t now_ms = kNowSlot * 3'600'000 + 1'800'000;
    std::vector<DeviceClock> devices = {{"dev_a", "lisbon", "checkout", 0}};
    // 12 scores at 3.5 in the window, and 100 at 5 just before it (outside, so not counted).
    std::vector<SlotTotals> slots = {{"dev_a", "trust", kNowSlot, 6, 21},
                                     {"dev_a", "trust", kNowSlot - 2, 6, 21},
                                     {"dev_a", "trust", kNowSlot - 3, 100, 500},
                                     {"dev_a", "speed", kNowSlot, 50, 50}};
    std::vector<AlertFinding> found = FindGoalAlerts({goal}, now_ms, devices, slots);
    REQUIRE(found.size() == 1);
    CHECK(found[0].Kind == "below_goal");
    CHECK(found[0].RuleId == 7);
    CHECK(found[0].Need == "trust");
    CHECK(found[0].RecentAnswers == 12);
    CHECK(found[0].RecentMean == doctest::Approx(3.5));
    CHECK(found[0].BaselineMean == 4.0);
    goal.MinAnswers = 13;
    CHECK(FindGoalAlerts({goal}, now_ms, devices, slots).empty());
    goal.MinAnswers = 10;
    goal.Threshold = 3.5;  // the mean must be below the goal, not at it
    CHECK(FindGoalAlerts({goal}, now_ms, devices, slots).empty());
}

TEST_CASE("alert times: per store and local week, a person's acts only") {
    constexpr int64_t kMonday = 20710;  // 2026-09-14
    auto alert = [&](const char* store, int64_t opened_min, std::optional<int64_t> ack_min,
                     std::optional<int64_t> resolved_min, const char* by) {
        AlertRecord record;
        record.Finding.Store = store;
        record.Answer.Uuid = "x";
        record.OpenedAtMs = kMonday * 86'400'000 + opened_min * 60'000;
        if (ack_min) {
            record.AcknowledgedAtMs = record.OpenedAtMs + *ack_min * 60'000;
        }
        if (resolved_min) {
            record.ResolvedAtMs = record.OpenedAtMs + *resolved_min * 60'000;
            record.ResolvedBy = by;
        }
        return record;
    };
    std::vector<AlertRecord> alerts = {
        alert("lisbon", 600, 5, 30, "ana"),
        alert("lisbon", 700, 15, 90, "ana"),
        alert("lisbon", 800, std::nullopt, 40, "rui"),
        alert("lisbon", 900, std::nullopt, 10, "rule"),
        alert("lisbon", 7 * 1440 + 60, std::nullopt, std::nullopt, ""),
        alert("porto", 60, 1, 2, "eva")};
    std::vector<AlertTimesRow> rows = SumAlertTimes(alerts, 60 * 60'000);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].Store == "lisbon");
    CHECK(rows[0].WeekStartDay == kMonday);
    CHECK(rows[0].Opened == 4);
    CHECK(rows[0].Acknowledged == 3);  // ack, ack, and a resolution without one
    CHECK(rows[0].Resolved == 3);
    CHECK(rows[0].Cleared == 1);
    CHECK(rows[0].ResolvedWithinGoal == 2);           // 30 and 40 minutes; 90 is late
    CHECK(rows[0].MedianAcknowledgeMinutes == 15.0);  // of 5, 15, 40
    CHECK(rows[0].MedianResolveMinutes == 40.0);      // of 30, 40, 90
    CHECK(rows[1].WeekStartDay == kMonday + 7);
    CHECK(rows[1].Acknowledged == 0);
    CHECK(!rows[1].MedianResolveMinutes);
    CHECK(rows[2].Store == "porto");
    CHECK(AlertTimesJson(rows, 3'600'000)["weeks"][0]["share_within_goal"] == 0.5);
}

TEST_CASE("mime: the exact bytes of a mail") {
    MailParts parts{"doorstep@example.com",
                    "Doorstep",
                    "ana@example.com",
                    "Ça va?",
                    "Hi\nthere",
                    "<p>Hi</p>",
                    "alert-1.r2@example.com",
                    1'790'000'000'000};
    CHECK(
        ComposeMail(parts) ==
        "From: Doorstep <doorstep@example.com>\r\n"
        "To: ana@example.com\r\n"
        "Subject: =?UTF-8?B?w4dhIHZhPw==?=\r\n"
        "Date: Mon, 21 Sep 2026 14:13:20 +0000\r\n"
        "Message-ID: <alert-1.r2@example.com>\r\n"
        "MIME-Version: 1.0\r\n"
        "Auto-Submitted: auto-generated\r\n"
        "Content-Type: multipart/alternative; boundary=\"=_doorstep_YWxlcnQtMS5yMkBleGFtcGxl\"\r\n"
        "\r\n"
        "--=_doorstep_YWxlcnQtMS5yMkBleGFtcGxl\r\n"
        "Content-Type: text/plain; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "SGkNCnRoZXJl\r\n"
        "--=_doorstep_YWxlcnQtMS5yMkBleGFtcGxl\r\n"
        "Content-Type: text/html; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "PHA+SGk8L3A+\r\n"
        "--=_doorstep_YWxlcnQtMS5yMkBleGFtcGxl--\r\n");
    // Long words outside ASCII: several encoded words, none over 75 characters, no character cut.
    std::string greek = EncodeHeaderWords("Ένας πελάτης βαθμολόγησε χαμηλά την υποστήριξη");
    CHECK(greek.find("\r\n =?UTF-8?B?") != std::string::npos);
    size_t start = 0;
    while (start < greek.size()) {
        size_t end = std::min(greek.find("\r\n ", start), greek.size());
        CHECK(end - start <= 75);
        start = end + 3;
    }
    CHECK(EncodeHeaderWords("plain words") == "plain words");
    CHECK(AddressProblem("ana@example.com").empty());
    CHECK(!AddressProblem("ana@@example.com").empty());
    CHECK(!AddressProblem("ana@example..com").empty());
    CHECK(!AddressProblem("ana <ana@example.com>").empty());
    CHECK(EscapeHtml("<a href='x'>&</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
}

TEST_CASE("mail words: every language has every key, and every mark is filled") {
    MailWords words;
    CHECK(words.Languages() == std::vector<std::string>{"de", "el", "en", "es", "fr"});
    for (const std::string& language : words.Languages()) {
        CHECK_MESSAGE(words.MissingKeys(language).empty(), language);
    }
    CHECK(words.Say("el", "goal", {{"goal", "4,0"}}) == "Στόχος: 4,0");
    CHECK(words.Say("pt", "comment") == "Comment");  // a language the mails lack speaks English
    CHECK(words.Number("fr", 3.25) == "3,2");
    CHECK(words.Number("en", 3.26) == "3.3");
    CHECK(words.NeedName("de", "support") == "Unterstützung");
    CHECK(words.NeedName("de", "speed") == "speed");
}

}  // namespace doorstep::server

namespace doorstep::testing {

TEST_CASE("loop store: an answer's alert opens once; acts are kept; a condition clears") {
    TestDatabase db;
    std::unique_ptr<server::ServerStore> store = db.Open();
    server::AlertRecord alert;
    alert.Finding.Kind = "comment";
    alert.Finding.RuleId = 4;
    alert.Finding.Store = "lisbon";
    alert.Finding.Door = "checkout";
    alert.Finding.PainPoints = {{"support", 3}, {"trust", 1}};
    alert.Answer.Uuid = "0193c0de-0000-7000-8000-000000000001";
    alert.Answer.Comment = "Cold";
    alert.Answer.Intent = 4;
    auto opened = store->OpenAnswerAlerts({alert, alert}, 1000, false, true);
    REQUIRE(opened.Ok());
    REQUIRE(opened->size() == 1);
    CHECK(opened->front().Finding.PainPoints == alert.Finding.PainPoints);
    CHECK(opened->front().MailState == "pending");
    CHECK(store->OpenAnswerAlerts({alert}, 2000, false, true)->empty());
    int64_t id = opened->front().Id;
    auto acknowledged = store->AcknowledgeAlert(id, "ana", "on it", 3000);
    REQUIRE(acknowledged.Ok());
    CHECK((*acknowledged)->State() == "acknowledged");
    CHECK((*store->AcknowledgeAlert(id, "rui", "me too", 4000))->AcknowledgedBy == "ana");
    auto resolved = store->ResolveAlert(id, "rui", "called back", 5000);
    CHECK((*resolved)->State() == "resolved");
    CHECK((*resolved)->ResolvedBy == "rui");
    CHECK(!store->FindAlert(id + 100)->has_value());
    CHECK(store->ListAlertsToMail(10)->size() == 1);
    REQUIRE(store->QueueAlertMails(id, {}, 6000).Ok());
    CHECK(store->ListAlertsToMail(10)->empty());

    // A condition alert resolved by a person stays resolved while it holds, and is not opened
    // again; once its condition clears, the next finding opens a new one.
    server::AlertFinding holding{"lisbon", "checkout", "trust", 100, 12, 3.5, 0, 4.0};
    holding.Kind = "below_goal";
    holding.RuleId = 7;
    auto first = store->ApplyConditionFindings("below_goal", {holding}, 1000, false, false);
    REQUIRE(first->size() == 1);
    REQUIRE(store->ResolveAlert(first->front().Id, "ana", "", 2000).Ok());
    CHECK(store->ApplyConditionFindings("below_goal", {holding}, 3000, false, false)->empty());
    CHECK(store->ApplyConditionFindings("below_goal", {}, 4000, false, false)->empty());
    auto kept = *store->FindAlert(first->front().Id);
    CHECK(kept->ResolvedBy == "ana");
    CHECK(kept->ClearedAtMs == 4000);
    CHECK(store->ApplyConditionFindings("below_goal", {holding}, 5000, false, false)->size() == 1);
    server::AlertQuery goals;
    goals.Kind = "below_goal";
    goals.State = "all";
    CHECK(store->ListAlerts(goals)->size() == 2);
}

TEST_CASE("loop store: a mail is claimed under a token, and only that claim marks it sent") {
    TestDatabase db;
    std::unique_ptr<server::ServerStore> store = db.Open();
    server::OutgoingMail mail{
        "alert:1:ana@example.com", "alert", "lisbon", "ana@example.com", "Subject", "message", 1};
    CHECK(*store->QueueMail(mail, 1000));
    CHECK(!*store->QueueMail(mail, 1001));  // the same dedupe key: kept once
    auto first = store->ClaimMail(1000, 500, "first");
    REQUIRE(first->has_value());
    CHECK(!store->ClaimMail(1200, 500, "other")->has_value());  // leased
    auto second = store->ClaimMail(1600, 500, "second");        // the lease ran out
    REQUIRE(second->has_value());
    CHECK((*second)->Id == (*first)->Id);
    CHECK(!*store->MarkMailSent((*first)->Id, "first", 1700));
    CHECK(*store->MarkMailSent((*second)->Id, "second", 1700));
    CHECK(!store->ClaimMail(99'000, 500, "late")->has_value());  // sent: never claimed again
    auto listed = store->ListMail("sent", 10);
    REQUIRE(listed->size() == 1);
    CHECK(listed->front().Attempts == 1);

    // A refusal after the mark (the server said no to the end of the message) undoes it.
    server::OutgoingMail refused = mail;
    refused.DedupeKey = "alert:1:rui@example.com";
    refused.Recipient = "rui@example.com";
    REQUIRE(*store->QueueMail(refused, 2000));
    server::MailRecipient rui;
    rui.Address = "rui@example.com";
    REQUIRE(store->SaveRecipient(rui).Ok());
    auto claim = store->ClaimMail(2000, 500, "third");
    REQUIRE(claim->has_value());
    CHECK(*store->MarkMailSent((*claim)->Id, "third", 2001));
    REQUIRE(
        store->RecordMailFailure((*claim)->Id, "third", std::nullopt, "SMTP 554: no", 2002).Ok());
    CHECK(store->ListMail("failed", 10)->size() == 1);
    CHECK(store->ListRecipients()->front().LastError == "SMTP 554: no");
}

}  // namespace doorstep::testing

namespace doorstep::testing {
namespace {

// The plain-text part of a mail, decoded.
std::string TextPart(const std::string& message) {
    return ParseMail(message).Text;
}

}  // namespace

TEST_CASE("digests: due at the store's hour, for periods after the recipient was added") {
    constexpr int64_t kDayMs = 86'400'000;
    constexpr int64_t kMonday = 20717;  // 2026-09-21
    server::MailRecipient ana;
    ana.Daily = true;
    ana.Weekly = true;
    ana.CreatedAtMs = kMonday * kDayMs;
    auto due = [&](int64_t day, int hour, int offset_min) {
        std::string kinds;
        for (const server::DigestPeriod& period : server::DueDigests(
                 ana, day * kDayMs + hour * 3'600'000 - offset_min * 60'000LL, offset_min)) {
            kinds += period.Kind + ":" + server::DayToIsoDate(period.FromDay) + " ";
        }
        return kinds;
    };
    CHECK(due(kMonday + 1, 6, 0) == "");  // before 07:00
    CHECK(due(kMonday + 1, 7, 0) == "daily:2026-09-21 ");
    CHECK(due(kMonday + 1, 7, 120) == "daily:2026-09-21 ");  // 07:00 where clocks are ahead
    CHECK(due(kMonday, 9, 0) == "");  // yesterday and last week ended before ana was added
    CHECK(due(kMonday + 7, 8, 0) == "daily:2026-09-27 weekly:2026-09-21 ");
    CHECK(due(kMonday + 9, 8, 0) == "daily:2026-09-29 weekly:2026-09-21 ");  // missed Monday
}

TEST_CASE("digests: queued once per recipient and period, and sent through a real SMTP server") {
    TestDatabase db;
    std::unique_ptr<server::ServerStore> store = db.Open();
    std::string device = EnrollDevice(*store, "lisbon", "entrance", 1'789'000'000'000);
    REQUIRE(store->StoreBatch(device, SampleItems(1, 6), 1'790'001'000'000).Ok());  // 2026-09-21
    server::MailRecipient ana;
    ana.Store = "lisbon";
    ana.Address = "ana@example.com";
    ana.Daily = true;
    ana.Weekly = true;
    ana.Alerts = false;
    ana.CreatedAtMs = 20717LL * 86'400'000 + 1;  // just after last week ended
    REQUIRE(store->SaveRecipient(ana).Ok());

    TempDir dir;
    SmtpSink sink(dir.File("sink"));
    server::MailOptions options;
    options.Smtp.Url = sink.Url();
    options.Smtp.From = "doorstep@example.com";
    options.Identity.From = "doorstep@example.com";
    int64_t now = 20718LL * 86'400'000 + 8 * 3'600'000;  // Tuesday 2026-09-22 08:00
    server::MailService mail(*store, options, [&] { return now; });
    CHECK(mail.QueueDigests() == 1);
    CHECK(mail.QueueDigests() == 0);
    CHECK(server::MailService(*store, options, [&] { return now; }).QueueDigests() == 0);
    CHECK(mail.SendDue() == 1);
    auto kept = sink.Messages();
    REQUIRE(kept.size() == 1);
    const std::string& message = kept[0].second;
    CHECK(message.find("Subject: lisbon: how customers felt on 2026-09-21\r\n") !=
          std::string::npos);
    std::string text = TextPart(message);
    for (const char* line :
         {"Your Doorstep summary for lisbon, 2026-09-21.\r\n", "6 customers answered.\r\n",
          "- speed: 2.8 (6 scores)\r\n", "- clean: 5.0 (6 scores)\r\n",
          "Named least met:\r\n- speed: 6\r\n",
          "Would come back: 0 of 6 said 9 or 10, 6 said 6 or less\r\n",
          "Alerts: 0 opened, 0 closed\r\n", "Comments:\r\n- entrance: comment 6\r\n"}) {
        CHECK_MESSAGE(text.find(line) != std::string::npos, line << "\nin:\n" << text);
    }

    // Monday: yesterday had no answers (too few to show), and last week's digest.
    now = 20724LL * 86'400'000 + 8 * 3'600'000;
    CHECK(mail.QueueDigests() == 2);
    CHECK(mail.SendDue() == 2);
    REQUIRE(sink.Messages().size() == 3);
    CHECK(TextPart(sink.Messages()[1].second).find("Fewer than 5 customers answered") !=
          std::string::npos);
    std::string weekly = TextPart(sink.Messages()[2].second);
    CHECK(weekly.find("the week from 2026-09-21 to 2026-09-27.") != std::string::npos);
    CHECK(weekly.find("6 customers answered.") != std::string::npos);
}

}  // namespace doorstep::testing
