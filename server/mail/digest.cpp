#include "server/mail/digest.hpp"

#include "core/base/local_time.hpp"
#include "server/store/report_filter.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kDayMs = 86'400'000;

int64_t FloorDiv(int64_t a, int64_t b) {
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

double Mean(const ScoreTotals& totals, int64_t& answers) {
    answers = 0;
    int64_t sum = 0;
    for (size_t score = 0; score < totals.Counts.size(); ++score) {
        answers += totals.Counts[score];
        sum += totals.Counts[score] * static_cast<int64_t>(score + 1);
    }
    return answers == 0 ? 0 : static_cast<double>(sum) / static_cast<double>(answers);
}

}  // namespace

std::vector<DigestPeriod> DueDigests(const MailRecipient& recipient, int64_t now_ms,
                                     int utc_offset_min) {
    int64_t local_ms = now_ms + int64_t{utc_offset_min} * 60'000;
    int64_t today = FloorDiv(local_ms, kDayMs);
    int64_t hour = FloorDiv(local_ms, 3'600'000) - today * 24;
    std::vector<DigestPeriod> due;
    if (hour < recipient.DigestHour) {
        return due;
    }
    // The end of a period in UTC: it must have ended after the recipient was added.
    auto ended_after_added = [&](int64_t last_day) {
        return (last_day + 1) * kDayMs - int64_t{utc_offset_min} * 60'000 > recipient.CreatedAtMs;
    };
    if (recipient.Daily && ended_after_added(today - 1)) {
        due.push_back({"daily", today - 1, today - 1});
    }
    int64_t monday = today - (WeekdayOfDay(today) + 6) % 7;
    if (recipient.Weekly && ended_after_added(monday - 1)) {
        due.push_back({"weekly", monday - 7, monday - 1});
    }
    return due;
}

std::string DigestKey(const DigestPeriod& period, const MailRecipient& recipient) {
    return "digest:" + period.Kind + ":" + recipient.Store + ":" + DayToIsoDate(period.FromDay) +
           ":" + recipient.Address;
}

Result<DigestFigures> ReadDigestFigures(ServerStore& store, const std::string& for_store,
                                        const DigestPeriod& period, int utc_offset_min) {
    ReportFilter filter;
    filter.FromDay = period.FromDay;
    filter.ToDay = period.ToDay;
    filter.Store = for_store;
    filter.Limit = kDigestComments;
    DigestFigures figures;
    Result<std::vector<AnswerTotals>> answers = store.SumAnswers(filter, ReportGroup::None);
    if (!answers.Ok()) {
        return answers.Err();
    }
    if (!answers->empty()) {
        figures.Answers = answers->front();
    }
    Result<std::vector<ScoreTotals>> scores = store.SumScores(filter, ReportGroup::None);
    if (!scores.Ok()) {
        return scores.Err();
    }
    figures.Scores = std::move(*scores);
    Result<std::vector<LeastMetTotal>> least_met = store.SumLeastMet(filter);
    if (!least_met.Ok()) {
        return least_met.Err();
    }
    figures.LeastMet = std::move(*least_met);
    Result<CommentPage> comments = store.ListComments(filter);
    if (!comments.Ok()) {
        return comments.Err();
    }
    figures.Comments = std::move(comments->Rows);
    // Alerts of the period's UTC span; those closed then may have opened up to a month before.
    int64_t from_ms = period.FromDay * kDayMs - int64_t{utc_offset_min} * 60'000;
    int64_t to_ms = (period.ToDay + 1) * kDayMs - int64_t{utc_offset_min} * 60'000;
    AlertQuery query;
    query.Store = for_store;
    query.State = "all";
    query.OpenedFromMs = from_ms - 31 * kDayMs;
    query.OpenedBeforeMs = to_ms;
    query.Limit = 100'000;
    Result<std::vector<AlertRecord>> alerts = store.ListAlerts(query);
    if (!alerts.Ok()) {
        return alerts.Err();
    }
    for (const AlertRecord& alert : *alerts) {
        figures.AlertsOpened += alert.OpenedAtMs >= from_ms ? 1 : 0;
        figures.AlertsClosed +=
            alert.ResolvedAtMs && *alert.ResolvedAtMs >= from_ms && *alert.ResolvedAtMs < to_ms;
    }
    return figures;
}

OutgoingMail DigestMail(const DigestFigures& figures, const DigestPeriod& period,
                        const MailRecipient& recipient, const MailWords& words,
                        const MailIdentity& identity, int64_t now_ms) {
    const std::string& lang = recipient.Language;
    std::string store = recipient.Store.empty() ? words.Say(lang, "every_store") : recipient.Store;
    WordValues values = {{"store", store},
                         {"date", DayToIsoDate(period.FromDay)},
                         {"end", DayToIsoDate(period.ToDay)},
                         {"min", std::to_string(kMinGroupAnswers)}};
    std::string subject = words.Say(lang, "digest_subject_" + period.Kind, values);
    MailBody body(lang, subject);
    body.Paragraph(words.Say(lang, "digest_intro_" + period.Kind, values));
    const AnswerTotals& answers = figures.Answers;
    if (answers.Answers < kMinGroupAnswers) {
        body.Paragraph(words.Say(lang, "digest_too_few", values));
    } else {
        body.Paragraph(
            words.Say(lang, "digest_answers", {{"answers", std::to_string(answers.Answers)}}));
        std::vector<std::string> needs;
        for (const ScoreTotals& totals : figures.Scores) {
            int64_t scored = 0;
            double mean = Mean(totals, scored);
            if (scored >= kMinGroupAnswers) {
                needs.push_back(words.Say(lang, "digest_need",
                                          {{"need", words.NeedName(lang, totals.Need)},
                                           {"mean", words.Number(lang, mean)},
                                           {"answers", std::to_string(scored)}}));
            }
        }
        body.List(words.Say(lang, "digest_needs"), needs);
        std::vector<std::string> ranking;
        for (const LeastMetTotal& need : figures.LeastMet) {
            ranking.push_back(words.Say(lang, "pain_point",
                                        {{"need", words.NeedName(lang, need.Need)},
                                         {"answers", std::to_string(need.Answers)}}));
        }
        body.List(words.Say(lang, "digest_least_met"), ranking);
        body.Paragraph(words.Say(lang, "digest_intent",
                                 {{"promoters", std::to_string(answers.Promoters)},
                                  {"answers", std::to_string(answers.IntentAnswers)},
                                  {"detractors", std::to_string(answers.Detractors)}}));
    }
    body.Paragraph(words.Say(lang, "digest_alerts",
                             {{"opened", std::to_string(figures.AlertsOpened)},
                              {"closed", std::to_string(figures.AlertsClosed)}}));
    std::vector<std::string> comments;
    for (const CommentRow& comment : figures.Comments) {
        comments.push_back((recipient.Store.empty() ? comment.Store + ", " : std::string()) +
                           comment.Door + ": " + comment.Text);
    }
    if (comments.empty()) {
        comments.push_back(words.Say(lang, "digest_no_comments"));
    }
    body.List(words.Say(lang, "digest_comments"), comments);
    body.Link(words.Say(lang, "digest_more"), identity.DashboardUrl);
    body.Footer(words.Say(lang, "footer", {{"store", store}}));
    return FinishMail(identity, recipient, "digest", DigestKey(period, recipient), recipient.Store,
                      subject, body,
                      "digest-" + period.Kind + "-" + DayToIsoDate(period.FromDay) + ".r" +
                          std::to_string(recipient.Id),
                      now_ms, std::nullopt);
}

}  // namespace doorstep::server
