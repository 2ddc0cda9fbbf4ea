#include "server/mail/alert_mail.hpp"

#include <cstdio>

#include "server/mail/mail_body.hpp"
#include "server/mail/mime.hpp"
#include "server/store/report_filter.hpp"

namespace doorstep::server {
namespace {

// One line of the mail: a label and its value, as text and as an HTML table row.
struct Line {
    std::string Label;
    std::string Value;
};

std::string NeedList(const std::string& needs, const MailWords& words, const std::string& lang) {
    std::string list;
    size_t start = 0;
    while (start < needs.size()) {
        size_t end = std::min(needs.find(',', start), needs.size());
        list += (list.empty() ? "" : ", ") + words.NeedName(lang, needs.substr(start, end - start));
        start = end + 1;
    }
    return list;
}

std::string SlotHour(int64_t slot) {
    char hour[8];
    std::snprintf(hour, sizeof hour, "%02d:00", static_cast<int>(slot % 24));
    return DayToIsoDate(slot / 24) + " " + hour;
}

}  // namespace

std::string LocalMinute(int64_t wall_ms, int utc_offset_min) {
    int64_t local_minutes = (wall_ms / 60'000) + utc_offset_min;
    int64_t day = local_minutes / 1440;
    int64_t minute = local_minutes % 1440;
    char time[8];
    std::snprintf(time, sizeof time, "%02d:%02d", static_cast<int>(minute / 60),
                  static_cast<int>(minute % 60));
    return DayToIsoDate(day) + " " + time;
}

OutgoingMail AlertMail(const AlertRecord& alert, const MailRecipient& recipient,
                       const MailWords& words, const MailIdentity& identity, int64_t now_ms) {
    const std::string& lang = recipient.Language;
    const AlertFinding& finding = alert.Finding;
    const AlertAnswer& answer = alert.Answer;
    bool about_answer = !answer.Uuid.empty();
    std::string need = words.NeedName(lang, finding.Need);
    WordValues values = {{"store", finding.Store},
                         {"door", finding.Door},
                         {"need", need},
                         {"needs", NeedList(answer.LowNeeds, words, lang)},
                         {"intent", answer.Intent ? std::to_string(*answer.Intent) : ""},
                         {"mean", words.Number(lang, finding.RecentMean)},
                         {"goal", words.Number(lang, finding.BaselineMean)},
                         {"baseline", words.Number(lang, finding.BaselineMean)},
                         {"time", about_answer ? LocalMinute(answer.EndedAtMs, answer.UtcOffsetMin)
                                               : SlotHour(finding.WindowEndSlot + 1)},
                         {"answers", std::to_string(finding.RecentAnswers)},
                         {"hours", std::to_string(identity.PainPointHours)}};
    std::string subject = words.Say(lang, "subject_" + finding.Kind, values);
    std::string intro = words.Say(lang, about_answer ? "intro_answer" : "intro_condition", values);

    std::vector<Line> lines;
    if (about_answer) {
        std::string none = words.Say(lang, "none");
        lines.push_back({words.Say(lang, "rated_low"),
                         answer.LowNeeds.empty() ? none : NeedList(answer.LowNeeds, words, lang)});
        lines.push_back({words.Say(lang, "least_met"),
                         answer.LeastMet.empty() ? none : words.NeedName(lang, answer.LeastMet)});
        lines.push_back({words.Say(lang, "intent"),
                         answer.Intent ? std::to_string(*answer.Intent) + "/10" : none});
        if (!answer.Comment.empty()) {
            lines.push_back({words.Say(lang, "comment"), answer.Comment});
        }
    } else {
        lines.push_back({need, words.Say(lang, "recent", values)});
        lines.push_back(
            {"", words.Say(lang, finding.Kind == "below_goal" ? "goal" : "baseline", values)});
    }
    std::string pain_title = words.Say(lang, "pain_points", values);
    std::vector<std::string> pains;
    for (const PainPoint& point : finding.PainPoints) {
        pains.push_back(words.Say(lang, "pain_point",
                                  {{"need", words.NeedName(lang, point.Need)},
                                   {"answers", std::to_string(point.Answers)}}));
    }
    if (pains.empty()) {
        pains.push_back(words.Say(lang, "none"));
    }
    std::string store_name =
        recipient.Store.empty() ? words.Say(lang, "every_store") : recipient.Store;
    std::string footer = words.Say(lang, "footer", {{"store", store_name}});

    MailBody body(lang, subject);
    body.Paragraph(intro);
    if (finding.Kind == "contact") {
        // Never the contact itself: it stays sealed at head office for the store's accounts.
        body.Paragraph(words.Say(lang, "contact_asked", values));
    }
    std::vector<std::pair<std::string, std::string>> pairs;
    pairs.reserve(lines.size());
    for (const Line& line : lines) {
        pairs.emplace_back(line.Label, line.Value);
    }
    body.Lines(pairs);
    body.List(pain_title, pains);
    body.Link(words.Say(lang, "act"), identity.DashboardUrl);
    body.Footer(footer);

    return FinishMail(identity, recipient, "alert",
                      "alert:" + std::to_string(alert.Id) + ":" + recipient.Address, finding.Store,
                      subject, body,
                      "alert-" + std::to_string(alert.Id) + ".r" + std::to_string(recipient.Id),
                      now_ms, alert.Id);
}

}  // namespace doorstep::server
