// The manager's summaries (summary.hpp) over answers whose every number is known: ten customer
// answers on one Wednesday give exact means, distributions, shares, heat-map cells, intent score,
// ranking; then staff beside customers, completion, k = 5 suppression, the suspect and synthetic
// filters, the change against the same weekday, comments, and local-time bucketing.
#include <doctest/doctest.h>

#include "core/base/local_time.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/store/summary.hpp"
#include "store_fixtures.hpp"
#include "summary_fixtures.hpp"

namespace doorstep {
namespace {

using doctest::Approx;
using testing::Abandoned;
using testing::Answer;
using testing::AppendOrFail;
using testing::kNeeds;
using testing::LocalMs;
using testing::OpenStore;
using testing::ScopedTimeZone;
using testing::Staff;
using testing::TempDir;

// "Now" for every test: Wednesday 18 June 2025, 20:00 local.
int64_t Now() {
    return LocalMs(2025, 6, 18, 20, 0);
}
constexpr int kWednesday = 3;

int64_t Day(int year, int month, int day) {
    return DaysFromCivil({year, month, day});
}

double ValueOf(const Guarded& guarded) {
    REQUIRE_FALSE(guarded.Suppressed());
    return *guarded.Value;
}

template <typename T>
T Must(Result<T> result) {
    INFO((result.Ok() ? std::string() : result.Err().Message));
    REQUIRE(result.Ok());
    return std::move(*result);
}

SummaryFilter Over(Period period) {
    SummaryFilter filter;
    filter.Span = period;
    return filter;
}

// Ten customer answers today, 5 minutes apart (no burst, no repeat): five from 10:00, five from
// 15:00. Columns: trust, control, support, least-met, intent.
std::vector<Response> TenAnswers() {
    const int64_t morning = LocalMs(2025, 6, 18, 10, 0);
    const int64_t afternoon = LocalMs(2025, 6, 18, 15, 0);
    const int64_t step = 5 * 60'000;
    return {
        Answer(morning + 0 * step, {5, 4, 3}, "support", 10, "Great"),
        Answer(morning + 1 * step, {4, 4, 2}, "support", 9),
        Answer(morning + 2 * step, {3, 2, 1}, "support", 6, "Nobody helped me"),
        Answer(morning + 3 * step, {5, 5, 5}, "trust", 10),
        Answer(morning + 4 * step, {2, 3, 4}, "trust", 5),
        Answer(afternoon + 0 * step, {1, 2, 3}, "trust", 0, "Could not find anything"),
        Answer(afternoon + 1 * step, {4, 3, 5}, "control", 8),
        Answer(afternoon + 2 * step, {5, 4, 4}, "support", 7, "Lovely staff"),
        Answer(afternoon + 3 * step, {3, 3, 3}, "control", 9),
        Answer(afternoon + 4 * step, {4, 5, 2}, "support", 9),
    };
}

std::unique_ptr<Store> StoreWith(const TempDir& dir, const std::vector<Response>& answers) {
    auto store = OpenStore(dir.File("kiosk.db"));
    for (const Response& answer : answers) {
        AppendOrFail(*store, answer);
    }
    return store;
}

}  // namespace

TEST_CASE("summary: ten known answers give exact means, distributions and negative shares") {
    ScopedTimeZone zone;
    TempDir dir;
    auto store = StoreWith(dir, TenAnswers());
    NeedSummaries needs = Must(SummarizeNeeds(store->Handle(), kNeeds, {}, Now()));

    CHECK(needs.Days == DayRange{Day(2025, 6, 18), Day(2025, 6, 18)});
    REQUIRE(needs.Needs.size() == 3);
    const NeedSummary& trust = needs.Needs[0];
    CHECK(trust.NeedId == "trust");
    CHECK(trust.Count == 10);
    CHECK(ValueOf(trust.Mean) == Approx(3.6));
    CHECK(trust.Distribution == std::array<int64_t, 5>{1, 1, 2, 3, 3});
    CHECK(ValueOf(trust.NegativeShare) == Approx(0.2));
    const NeedSummary& control = needs.Needs[1];
    CHECK(control.Count == 10);
    CHECK(ValueOf(control.Mean) == Approx(3.5));
    CHECK(control.Distribution == std::array<int64_t, 5>{0, 2, 3, 3, 2});
    CHECK(ValueOf(control.NegativeShare) == Approx(0.2));
    const NeedSummary& support = needs.Needs[2];
    CHECK(ValueOf(support.Mean) == Approx(3.2));
    CHECK(support.Distribution == std::array<int64_t, 5>{1, 2, 3, 2, 2});
    CHECK(ValueOf(support.NegativeShare) == Approx(0.3));
    // Nothing in the weeks before: nothing to compare with.
    CHECK(trust.BaselineCount == 0);
    CHECK(trust.BaselineMean.Suppressed());
    CHECK(trust.Change.Suppressed());

    // A need the survey no longer lists is not summarised; a listed need without answers is.
    std::vector<std::string> other = {"support", "balance"};
    NeedSummaries listed = Must(SummarizeNeeds(store->Handle(), other, {}, Now()));
    REQUIRE(listed.Needs.size() == 2);
    CHECK(listed.Needs[0].Count == 10);
    CHECK(listed.Needs[1].NeedId == "balance");
    CHECK(listed.Needs[1].Count == 0);
    CHECK(listed.Needs[1].Mean.Suppressed());
}

TEST_CASE("summary: the heat map has each local weekday and hour's mean") {
    ScopedTimeZone zone;
    TempDir dir;
    auto store = StoreWith(dir, TenAnswers());
    HeatMap trust =
        Must(SummarizeHeatMap(store->Handle(), "trust", Over(Period::Last7Days), Now()));
    CHECK(trust.Cells[kWednesday][10].Count == 5);
    CHECK(ValueOf(trust.Cells[kWednesday][10].Mean) == Approx(3.8));  // 5 4 3 5 2
    CHECK(trust.Cells[kWednesday][15].Count == 5);
    CHECK(ValueOf(trust.Cells[kWednesday][15].Mean) == Approx(3.4));  // 1 4 5 3 4
    int64_t elsewhere = 0;
    for (size_t weekday = 0; weekday < 7; ++weekday) {
        for (size_t hour = 0; hour < 24; ++hour) {
            if (weekday != kWednesday || (hour != 10 && hour != 15)) {
                elsewhere += trust.Cells[weekday][hour].Count;
                CHECK(trust.Cells[weekday][hour].Mean.Suppressed());
            }
        }
    }
    CHECK(elsewhere == 0);
    HeatMap control = Must(SummarizeHeatMap(store->Handle(), "control", {}, Now()));
    CHECK(ValueOf(control.Cells[kWednesday][10].Mean) == Approx(3.6));  // 4 4 2 5 3
}

TEST_CASE("summary: least-met ranking, intent score and distribution") {
    ScopedTimeZone zone;
    TempDir dir;
    auto store = StoreWith(dir, TenAnswers());

    LeastMetRanking ranking = Must(RankLeastMet(store->Handle(), kNeeds, {}, Now()));
    CHECK(ranking.Total == 10);
    REQUIRE(ranking.Needs.size() == 3);
    CHECK(ranking.Needs[0].NeedId == "support");
    CHECK(ranking.Needs[0].Count == 5);
    CHECK(ValueOf(ranking.Needs[0].Share) == Approx(0.5));
    CHECK(ranking.Needs[1].NeedId == "trust");
    CHECK(ranking.Needs[1].Count == 3);
    CHECK(ValueOf(ranking.Needs[1].Share) == Approx(0.3));
    CHECK(ranking.Needs[2].NeedId == "control");
    CHECK(ranking.Needs[2].Count == 2);
    CHECK(ValueOf(ranking.Needs[2].Share) == Approx(0.2));

    // Intent 10 9 6 10 5 0 8 7 9 9: promoters 5, passives 2, detractors 3.
    IntentSummary intent = Must(SummarizeIntent(store->Handle(), {}, Now()));
    CHECK(intent.Count == 10);
    CHECK(ValueOf(intent.Score) == Approx(20.0));
    CHECK(ValueOf(intent.PromoterShare) == Approx(0.5));
    CHECK(ValueOf(intent.PassiveShare) == Approx(0.2));
    CHECK(ValueOf(intent.DetractorShare) == Approx(0.3));
    CHECK(intent.Distribution == std::array<int64_t, 11>{1, 0, 0, 0, 0, 1, 1, 1, 1, 3, 2});
}

TEST_CASE("summary: staff means beside customers', and staff never in customer summaries") {
    ScopedTimeZone zone;
    TempDir dir;
    auto store = StoreWith(dir, TenAnswers());
    const int64_t noon = LocalMs(2025, 6, 18, 12, 0);
    // Staff: trust 2 2 3 3 5 (3.0), control all 4, support only four times.
    const std::vector<std::vector<int>> staff_scores = {
        {2, 4, 1}, {2, 4, 1}, {3, 4, 1}, {3, 4, 1}, {5, 4, 0}};
    for (size_t i = 0; i < staff_scores.size(); ++i) {
        AppendOrFail(*store, Staff(Answer(noon + static_cast<int64_t>(i) * 1'000, staff_scores[i],
                                          "trust", 10, "staff note")));
    }
    StaffGap gap = Must(SummarizeStaffGap(store->Handle(), kNeeds, {}, Now()));
    REQUIRE(gap.Needs.size() == 3);
    CHECK(gap.Needs[0].CustomerCount == 10);
    CHECK(ValueOf(gap.Needs[0].CustomerMean) == Approx(3.6));
    CHECK(gap.Needs[0].StaffCount == 5);
    CHECK(ValueOf(gap.Needs[0].StaffMean) == Approx(3.0));
    CHECK(ValueOf(gap.Needs[0].Gap) == Approx(-0.6));
    CHECK(ValueOf(gap.Needs[1].Gap) == Approx(0.5));
    CHECK(gap.Needs[2].StaffCount == 4);
    CHECK(gap.Needs[2].StaffMean.Suppressed());
    CHECK(gap.Needs[2].Gap.Suppressed());
    CHECK(ValueOf(gap.Needs[2].CustomerMean) == Approx(3.2));

    // Staff answers stay out of everything else; they came fast, yet are not suspect.
    NeedSummaries needs = Must(SummarizeNeeds(store->Handle(), kNeeds, {}, Now()));
    CHECK(needs.Needs[0].Count == 10);
    CHECK(ValueOf(needs.Needs[0].Mean) == Approx(3.6));
    CHECK(Must(RankLeastMet(store->Handle(), kNeeds, {}, Now())).Total == 10);
    CHECK(Must(SummarizeIntent(store->Handle(), {}, Now())).Count == 10);
    CHECK(Must(SummarizeCompletion(store->Handle(), {}, Now())).Completed == 10);
    CHECK(Must(SummarizeSuspects(store->Handle(), {}, Now())).Flagged == 0);
    for (const CommentItem& item : Must(ListComments(store->Handle(), {}, Now(), {})).Items) {
        CHECK(item.Text != "staff note");
    }
}

TEST_CASE("summary: completion counts abandoned responses by the step they stopped at") {
    ScopedTimeZone zone;
    TempDir dir;
    std::vector<Response> answers = TenAnswers();
    answers.resize(6);
    const int64_t evening = LocalMs(2025, 6, 18, 18, 0);
    answers.push_back(Abandoned(evening, {4}, "need:control"));
    answers.push_back(Abandoned(evening + 60'000, {2}, "need:control"));
    answers.push_back(Abandoned(evening + 120'000, {3, 3, 3}, "least_met"));
    Response at_comment = Abandoned(evening + 180'000, {5, 4, 3}, "comment");
    at_comment.LeastMet = "support";
    answers.push_back(at_comment);
    auto store = StoreWith(dir, answers);

    CompletionSummary completion = Must(SummarizeCompletion(store->Handle(), {}, Now()));
    CHECK(completion.Completed == 6);
    CHECK(completion.Abandoned == 4);
    CHECK(ValueOf(completion.CompletedShare) == Approx(0.6));
    REQUIRE(completion.AbandonedAt.size() == 3);
    CHECK(completion.AbandonedAt[0].Step == "need:control");
    CHECK(completion.AbandonedAt[0].Count == 2);
    CHECK(completion.AbandonedAt[1].Step == "comment");
    CHECK(completion.AbandonedAt[1].Count == 1);
    CHECK(completion.AbandonedAt[2].Step == "least_met");

    // What an abandoning customer answered still counts.
    NeedSummaries needs = Must(SummarizeNeeds(store->Handle(), kNeeds, {}, Now()));
    CHECK(needs.Needs[0].Count == 10);  // 6 completed + 4 abandoned
    CHECK(needs.Needs[1].Count == 8);
    CHECK(Must(RankLeastMet(store->Handle(), kNeeds, {}, Now())).Total == 7);
    CHECK(Must(SummarizeIntent(store->Handle(), {}, Now())).Count == 6);
}

TEST_CASE("summary: four answers are suppressed everywhere, five are shown") {
    ScopedTimeZone zone;
    TempDir dir;
    std::vector<Response> answers = TenAnswers();
    auto store = StoreWith(dir, {answers.begin(), answers.begin() + 4});
    sqlite3* db = store->Handle();

    NeedSummary four = Must(SummarizeNeeds(db, kNeeds, {}, Now())).Needs[0];
    CHECK(four.Count == 4);  // how many there are is no secret; what they said is
    CHECK(four.Mean.Suppressed());
    CHECK_FALSE(four.Distribution.has_value());
    CHECK(four.NegativeShare.Suppressed());
    HeatCell cell = Must(SummarizeHeatMap(db, "trust", {}, Now())).Cells[kWednesday][10];
    CHECK(cell.Count == 4);
    CHECK(cell.Mean.Suppressed());
    LeastMetRanking ranking = Must(RankLeastMet(db, kNeeds, {}, Now()));
    CHECK(ranking.Total == 4);
    REQUIRE(ranking.Needs.size() == 3);
    CHECK(ranking.Needs[0].NeedId == "trust");  // listed order: the ranking itself would tell
    for (const LeastMetEntry& entry : ranking.Needs) {
        CHECK_FALSE(entry.Count.has_value());
        CHECK(entry.Share.Suppressed());
    }
    IntentSummary intent = Must(SummarizeIntent(db, {}, Now()));
    CHECK(intent.Count == 4);
    CHECK(intent.Score.Suppressed());
    CHECK(intent.PromoterShare.Suppressed());
    CHECK_FALSE(intent.Distribution.has_value());
    CHECK(Must(SummarizeCompletion(db, {}, Now())).CompletedShare.Suppressed());
    CHECK(Must(SummarizeStaffGap(db, kNeeds, {}, Now())).Needs[0].CustomerMean.Suppressed());

    AppendOrFail(*store, answers[4]);
    NeedSummary five = Must(SummarizeNeeds(db, kNeeds, {}, Now())).Needs[0];
    CHECK(ValueOf(five.Mean) == Approx(3.8));
    CHECK(five.Distribution.has_value());
    CHECK(ValueOf(five.NegativeShare) == Approx(0.2));
    cell = Must(SummarizeHeatMap(db, "trust", {}, Now())).Cells[kWednesday][10];
    CHECK(ValueOf(cell.Mean) == Approx(3.8));
    ranking = Must(RankLeastMet(db, kNeeds, {}, Now()));
    CHECK(ranking.Needs[0].NeedId == "support");
    CHECK(ranking.Needs[0].Count == 3);
    CHECK(ValueOf(ranking.Needs[0].Share) == Approx(0.6));
    CHECK(ranking.Needs[2].Count == 0);  // a zero inside a large enough group is shown
    CHECK(ValueOf(ranking.Needs[2].Share) == Approx(0.0));
    CHECK_FALSE(Must(SummarizeIntent(db, {}, Now())).Score.Suppressed());
    CHECK_FALSE(Must(SummarizeCompletion(db, {}, Now())).CompletedShare.Suppressed());
    CHECK_FALSE(Must(SummarizeStaffGap(db, kNeeds, {}, Now())).Needs[0].CustomerMean.Suppressed());
}

TEST_CASE("summary: suspect answers are left out by default, counted, and shown on request") {
    ScopedTimeZone zone;
    TempDir dir;
    std::vector<Response> answers = TenAnswers();
    answers.resize(5);
    const int64_t eleven = LocalMs(2025, 6, 18, 11, 0);
    for (int i = 0; i < 4; ++i) {  // the 3rd and 4th are a burst
        answers.push_back(
            Answer(eleven + i * 5'000, {1, 1, i + 1}, "control", i, i == 3 ? "aaaaaaa" : ""));
    }
    Response hurried = Answer(LocalMs(2025, 6, 18, 12, 0), {1, 1, 1}, "control", 0);
    hurried.DurationMs = 3'000;
    answers.push_back(hurried);
    auto store = StoreWith(dir, answers);
    sqlite3* db = store->Handle();

    SuspectSummary suspects = Must(SummarizeSuspects(db, {}, Now()));
    CHECK(suspects.Responses == 10);
    CHECK(suspects.Flagged == 3);
    REQUIRE(suspects.ByReason.size() == 3);
    CHECK(suspects.ByReason[0].Reason == "burst");
    CHECK(suspects.ByReason[0].Count == 2);
    CHECK(suspects.ByReason[1].Reason == "too_fast");
    CHECK(suspects.ByReason[1].Count == 1);
    CHECK(suspects.ByReason[2].Reason == "repeat");
    CHECK(suspects.ByReason[2].Count == 0);

    SummaryFilter with_suspect;
    with_suspect.IncludeSuspect = true;
    CHECK(Must(SummarizeNeeds(db, kNeeds, {}, Now())).Needs[0].Count == 7);
    CHECK(Must(SummarizeNeeds(db, kNeeds, with_suspect, Now())).Needs[0].Count == 10);
    CHECK(Must(SummarizeIntent(db, {}, Now())).Count == 7);
    CHECK(Must(SummarizeCompletion(db, {}, Now())).Completed == 7);
    CHECK(Must(SummarizeCompletion(db, with_suspect, Now())).Completed == 10);
    CHECK(Must(RankLeastMet(db, kNeeds, with_suspect, Now())).Total == 10);
    CHECK(Must(SummarizeSuspects(db, with_suspect, Now())).Flagged == 3);  // the same either way

    CommentPage hidden = Must(ListComments(db, {}, Now(), {}));
    for (const CommentItem& item : hidden.Items) {
        CHECK(item.Text != "aaaaaaa");
    }
    CommentPage shown = Must(ListComments(db, with_suspect, Now(), {}));
    REQUIRE_FALSE(shown.Items.empty());
    CHECK(shown.Items[0].Text == "aaaaaaa");
    CHECK(shown.Items[0].SuspectReason == "burst");
    // Flagged, never deleted.
    CHECK(*store->CountResponses() == 10);
}

TEST_CASE("summary: demo answers are included by default and can be left out") {
    ScopedTimeZone zone;
    TempDir dir;
    std::vector<Response> answers = TenAnswers();
    for (size_t i = 5; i < answers.size(); ++i) {
        answers[i].Synthetic = true;
    }
    auto store = StoreWith(dir, answers);
    SummaryFilter real_only;
    real_only.IncludeSynthetic = false;
    CHECK(Must(SummarizeNeeds(store->Handle(), kNeeds, {}, Now())).Needs[0].Count == 10);
    NeedSummary real = Must(SummarizeNeeds(store->Handle(), kNeeds, real_only, Now())).Needs[0];
    CHECK(real.Count == 5);
    CHECK(ValueOf(real.Mean) == Approx(3.8));
    CHECK(Must(SummarizeSuspects(store->Handle(), real_only, Now())).Responses == 5);
    CommentPage comments = Must(ListComments(store->Handle(), real_only, Now(), {}));
    CHECK(comments.Items.size() == 2);  // "Great", "Nobody helped me"
}

TEST_CASE("summary: change against the same weekdays of the four weeks before") {
    ScopedTimeZone zone;
    TempDir dir;
    auto store = OpenStore(dir.File("kiosk.db"));
    // Five trust scores at 10:00, 10:05, ... on each of these days.
    struct DayScores {
        int Month, Day, Score;
    };
    const DayScores days[] = {
        {6, 18, 4},  // today, Wednesday
        {6, 17, 1},  // yesterday, Tuesday: not the same weekday
        {6, 11, 3},  // Wednesday a week ago
        {6, 4, 2},   // Wednesday two weeks ago
        {5, 14, 1},  // Wednesday five weeks ago: outside 4 weeks before today or this week
    };
    for (const DayScores& day : days) {
        for (int i = 0; i < 5; ++i) {
            AppendOrFail(*store, Answer(LocalMs(2025, day.Month, day.Day, 10, 5 * i), {day.Score},
                                        "trust", 9));
        }
    }
    sqlite3* db = store->Handle();

    // Today (4.0) against the Wednesdays of 11 June and 4 June (2.5).
    NeedSummaries today = Must(SummarizeNeeds(db, kNeeds, {}, Now()));
    CHECK(today.Compared.Days == DayRange{Day(2025, 5, 21), Day(2025, 6, 17)});
    CHECK(today.Compared.Weekday == kWednesday);
    const NeedSummary& trust = today.Needs[0];
    CHECK(ValueOf(trust.Mean) == Approx(4.0));
    CHECK(trust.BaselineCount == 10);
    CHECK(ValueOf(trust.BaselineMean) == Approx(2.5));
    CHECK(ValueOf(trust.Change) == Approx(1.5));
    CHECK(today.Needs[1].Change.Suppressed());  // control: no answers at all

    // The last 7 days (12-18 June: 4 and 1) against the 4 weeks before (15 May - 11 June).
    NeedSummaries week = Must(SummarizeNeeds(db, kNeeds, Over(Period::Last7Days), Now()));
    CHECK(week.Days == DayRange{Day(2025, 6, 12), Day(2025, 6, 18)});
    CHECK(week.Compared.Days == DayRange{Day(2025, 5, 15), Day(2025, 6, 11)});
    CHECK_FALSE(week.Compared.Weekday.has_value());
    CHECK(ValueOf(week.Needs[0].Mean) == Approx(2.5));
    CHECK(ValueOf(week.Needs[0].BaselineMean) == Approx(2.5));
    CHECK(ValueOf(week.Needs[0].Change) == Approx(0.0));

    // The last 28 days (22 May - 18 June: 4 1 3 2) against the 28 before (24 April - 21 May).
    NeedSummaries month = Must(SummarizeNeeds(db, kNeeds, Over(Period::Last28Days), Now()));
    CHECK(month.Days == DayRange{Day(2025, 5, 22), Day(2025, 6, 18)});
    CHECK(month.Compared.Days == DayRange{Day(2025, 4, 24), Day(2025, 5, 21)});
    CHECK(month.Needs[0].Count == 20);
    CHECK(ValueOf(month.Needs[0].Mean) == Approx(2.5));
    CHECK(month.Needs[0].BaselineCount == 5);
    CHECK(ValueOf(month.Needs[0].BaselineMean) == Approx(1.0));
    CHECK(ValueOf(month.Needs[0].Change) == Approx(1.5));
}

TEST_CASE("summary: comments come newest first, negative ones on request, a page at a time") {
    ScopedTimeZone zone;
    TempDir dir;
    auto store = StoreWith(dir, TenAnswers());
    sqlite3* db = store->Handle();

    CommentPage all = Must(ListComments(db, {}, Now(), {}));
    REQUIRE(all.Items.size() == 4);
    CHECK_FALSE(all.More);
    CHECK(all.Items[0].Text == "Lovely staff");
    CHECK(all.Items[1].Text == "Could not find anything");
    CHECK(all.Items[2].Text == "Nobody helped me");
    CHECK(all.Items[3].Text == "Great");
    CHECK(all.Items[0].EndedAtMs == LocalMs(2025, 6, 18, 15, 10));
    CHECK(all.Items[0].Language == "en");
    CHECK(all.Items[0].MeanScore == Approx(13.0 / 3));
    CHECK(all.Items[0].LeastMet == "support");
    CHECK(all.Items[0].Intent == 7);
    CHECK_FALSE(all.Items[0].Negative);
    CHECK(all.Items[0].SuspectReason.empty());
    CHECK(all.Items[1].Negative);  // a score of 1
    CHECK(all.Items[2].MeanScore == Approx(2.0));
    CHECK(all.Items[2].Negative);

    CommentQuery negative;
    negative.NegativeOnly = true;
    CommentPage bad = Must(ListComments(db, {}, Now(), negative));
    REQUIRE(bad.Items.size() == 2);
    CHECK(bad.Items[0].Text == "Could not find anything");
    CHECK(bad.Items[1].Text == "Nobody helped me");

    CommentPage first = Must(ListComments(db, {}, Now(), {false, 3, 0}));
    CHECK(first.Items.size() == 3);
    CHECK(first.More);
    CommentPage second = Must(ListComments(db, {}, Now(), {false, 3, 3}));
    REQUIRE(second.Items.size() == 1);
    CHECK(second.Items[0].Text == "Great");
    CHECK_FALSE(second.More);

    // Yesterday's period holds none of them.
    CHECK(Must(ListComments(db, {}, Now() - 24 * 3'600'000LL, {})).Items.empty());
}

TEST_CASE("summary: answers are bucketed by the terminal's local time, once and for all") {
    ScopedTimeZone zone;  // CEST in June: UTC+2
    TempDir dir;
    std::vector<Response> answers;
    // 01:30 local on Wednesday is 23:30 UTC on Tuesday.
    for (int i = 0; i < 5; ++i) {
        answers.push_back(Answer(LocalMs(2025, 6, 18, 1, 30 + 5 * i), {4, 4, 4}, "trust", 9));
    }
    CHECK(LocalSlotOf(answers[0].EndedAtMs) == LocalSlot{Day(2025, 6, 18), 1, kWednesday});
    auto store = StoreWith(dir, answers);
    HeatMap heat = Must(SummarizeHeatMap(store->Handle(), "trust", {}, Now()));
    CHECK(heat.Cells[kWednesday][1].Count == 5);
    CHECK(heat.Cells[kWednesday - 1][23].Count == 0);
    CHECK(Must(SummarizeNeeds(store->Handle(), kNeeds, {}, Now())).Needs[0].Count == 5);

    // Moving the terminal to UTC does not move what is stored; new answers use the new zone.
    ScopedTimeZone utc("UTC0");
    AppendOrFail(*store, Answer(answers[0].EndedAtMs + 60'000, {2, 2, 2}, "control", 3));
    HeatMap moved = Must(SummarizeHeatMap(store->Handle(), "trust", Over(Period::Last7Days),
                                          answers[0].EndedAtMs + 3'600'000));
    CHECK(moved.Cells[kWednesday][1].Count == 5);
    CHECK(moved.Cells[kWednesday - 1][23].Count == 1);
}

}  // namespace doorstep
