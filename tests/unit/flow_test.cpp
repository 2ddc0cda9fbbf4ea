// The customer flow reducer: every transition, every timeout, and the reset between customers.
#include <doctest/doctest.h>

#include "flow_fixtures.hpp"
#include "kiosk/flow/flow.hpp"

using namespace doorstep;
using doorstep::testing::At;
using doorstep::testing::CommitFinished;
using doorstep::testing::Tap;
using doorstep::testing::ThreeNeedConfig;
using doorstep::testing::Tick;

namespace {

struct Run : testing::FlowRun {
    Run() : FlowRun(ThreeNeedConfig()) {}
};

// Start at t=1000 and answer all three needs 4, 2, 5.
Run AnsweredNeeds() {
    Run run;
    run.Apply(Tap(TargetKind::Start, 0, 1000))
        .Apply(Tap(TargetKind::Face, 4, 2000))
        .Apply(Tap(TargetKind::Face, 2, 3000))
        .Apply(Tap(TargetKind::Face, 5, 4000));
    return run;
}

}  // namespace

TEST_CASE("flow: a new customer meets the attract screen in the default language") {
    Run run;
    CHECK(run.State.Current == Screen::Attract);
    CHECK(run.State.Language == "en");
    CHECK(run.State.Comment.empty());
    CHECK_FALSE(NextDeadlineMonoMs(run.Config, run.State).has_value());
}

TEST_CASE("flow: language buttons switch the language and stay on attract") {
    Run run;
    run.Apply(Tap(TargetKind::Language, 2, 10));
    CHECK(run.State.Current == Screen::Attract);
    CHECK(run.State.Language == "el");
    run.Apply(Tap(TargetKind::Language, 7, 20));  // out of range: ignored
    CHECK(run.State.Language == "el");
}

TEST_CASE("flow: a new survey takes over only on an attract screen left alone for a while") {
    Run run;
    CHECK(CanSwitchSurvey(run.State, kSurveySwitchQuietMs));
    run.Apply(Tap(TargetKind::Language, 2, 1000));  // someone is choosing a language
    CHECK_FALSE(CanSwitchSurvey(run.State, 1000 + kSurveySwitchQuietMs - 1));
    CHECK(CanSwitchSurvey(run.State, 1000 + kSurveySwitchQuietMs));
    Run answering = AnsweredNeeds();  // a customer mid-way, however long they pause
    CHECK_FALSE(CanSwitchSurvey(answering.State, 4000 + 10 * kSurveySwitchQuietMs));
}

TEST_CASE("flow: the recorded comment is scrubbed; what was typed stays only in the state") {
    Run run = AnsweredNeeds();
    run.Apply(Tap(TargetKind::LeastMetNeed, 1, 5000));
    REQUIRE(run.State.Current == Screen::Comment);
    int64_t at = 5100;
    for (const char* key : {"0", "7", "7", "0", "0", "9", "0", "0"}) {
        run.Apply(Tap(TargetKind::Key, 0, at += 10, key));
    }
    CHECK(run.State.Comment == "07700900");
    run.Apply(Tap(TargetKind::Done, 0, at + 10));
    run.Apply(Tap(TargetKind::IntentScore, 9, at + 20));
    REQUIRE(run.Effects.size() == 1);
    CHECK(run.Effects[0].Record.Comment == "[phone]");
}

TEST_CASE("flow: a complete response walks every screen and records once") {
    Run run = AnsweredNeeds();
    CHECK(run.State.Current == Screen::LeastMet);
    run.Apply(Tap(TargetKind::LeastMetNeed, 1, 5000));
    CHECK(run.State.Current == Screen::Comment);
    CHECK(run.State.LeastMet == "control");
    run.Apply(Tap(TargetKind::Shift, 0, 5100))
        .Apply(Tap(TargetKind::Key, 0, 5200, "o"))
        .Apply(Tap(TargetKind::Key, 0, 5300, "k"))
        .Apply(Tap(TargetKind::Done, 0, 5400));
    CHECK(run.State.Current == Screen::Intent);
    CHECK(run.State.Comment == "Ok");
    CHECK(run.Effects.empty());
    run.Apply(Tap(TargetKind::IntentScore, 9, 6000));
    CHECK(run.State.Current == Screen::Saving);
    REQUIRE(run.Effects.size() == 1);
    const Response& r = run.Effects[0].Record;
    CHECK(r.Status == ResponseStatus::Completed);
    CHECK(r.SurveyId == "default");
    CHECK(r.SurveyVersion == 3);
    CHECK(r.Door == "checkout");
    CHECK(r.Language == "en");
    CHECK(r.Scores == std::vector<NeedScore>{{"trust", 4}, {"control", 2}, {"support", 5}});
    CHECK(r.LeastMet == "control");
    CHECK(r.Intent == 9);
    CHECK(r.Comment == "Ok");
    CHECK(r.DurationMs == 5000);
    CHECK(r.StartedAtMs == At(1000).WallMs);
    CHECK(r.EndedAtMs == At(6000).WallMs);
    CHECK(r.AbandonedAt.empty());
    CHECK(r.Uuid.empty());  // the effect runner assigns it
}

TEST_CASE("flow: thank you appears only after the commit returned, then times out") {
    Run run = AnsweredNeeds();
    run.Apply(Tap(TargetKind::LeastMetNeed, 0, 5000))
        .Apply(Tap(TargetKind::Skip, 0, 5100))
        .Apply(Tap(TargetKind::IntentScore, 7, 5200));
    CHECK(run.State.Current == Screen::Saving);
    run.Apply(Tick(60000));  // no idle timeout while saving
    CHECK(run.State.Current == Screen::Saving);
    run.Apply(Tap(TargetKind::IntentScore, 3, 60001));  // taps cannot record twice
    CHECK(run.Effects.size() == 1);
    run.Apply(CommitFinished(60002, false));
    CHECK(run.State.Current == Screen::ThankYou);
    CHECK_FALSE(run.State.LastCommitDurable);
    CHECK(NextDeadlineMonoMs(run.Config, run.State) == 63002);
    run.Apply(Tick(63001));
    CHECK(run.State.Current == Screen::ThankYou);
    run.Apply(Tick(63002));
    CHECK(run.State == InitialFlowState(run.Config));
}

TEST_CASE("flow: a tap on thank you returns to attract at once") {
    Run run = AnsweredNeeds();
    run.Apply(Tap(TargetKind::LeastMetNeed, 0, 5000))
        .Apply(Tap(TargetKind::Skip, 0, 5100))
        .Apply(Tap(TargetKind::IntentScore, 7, 5200))
        .Apply(CommitFinished(5210))
        .Apply(Tap(TargetKind::Dismiss, 0, 5300));
    CHECK(run.State == InitialFlowState(run.Config));
}

TEST_CASE("flow: nothing one customer chose is visible to the next") {
    Run run;
    run.Apply(Tap(TargetKind::Language, 1, 10)).Apply(Tap(TargetKind::Start, 0, 1000));
    run.Apply(Tap(TargetKind::Face, 1, 1100))
        .Apply(Tap(TargetKind::Face, 1, 1200))
        .Apply(Tap(TargetKind::Face, 1, 1300))
        .Apply(Tap(TargetKind::LeastMetNeed, 2, 1400))
        .Apply(Tap(TargetKind::Shift, 0, 1500))
        .Apply(Tap(TargetKind::Key, 0, 1600, "m"))
        .Apply(Tap(TargetKind::SymbolsToggle, 0, 1650))
        .Apply(Tap(TargetKind::Shift, 0, 1700));
    CHECK(run.State.Comment == "M");
    CHECK(run.State.SymbolsOn);
    CHECK(run.State.ShiftOn);
    run.Apply(Tick(1700 + 20000));  // walked away mid-comment
    CHECK(run.State == InitialFlowState(run.Config));
    CHECK(run.State.Language == "en");
    CHECK(run.State.Comment.empty());
    CHECK_FALSE(run.State.ShiftOn);
    CHECK_FALSE(run.State.SymbolsOn);
}

TEST_CASE("flow: idle timeout abandons with what was answered") {
    Run run;
    run.Apply(Tap(TargetKind::Start, 0, 1000)).Apply(Tap(TargetKind::Face, 3, 2000));
    CHECK(NextDeadlineMonoMs(run.Config, run.State) == 22000);
    run.Apply(Tick(21999));
    CHECK(run.State.Current == Screen::Need);
    run.Apply(Tick(22000));
    CHECK(run.State.Current == Screen::Attract);
    REQUIRE(run.Effects.size() == 1);
    const Response& r = run.Effects[0].Record;
    CHECK(r.Status == ResponseStatus::Abandoned);
    CHECK(r.AbandonedAt == "need:control");
    CHECK(r.Scores == std::vector<NeedScore>{{"trust", 3}});
    CHECK_FALSE(r.Intent.has_value());
    CHECK(r.DurationMs == 21000);
}

TEST_CASE("flow: every tap restarts the idle clock") {
    Run run;
    run.Apply(Tap(TargetKind::Start, 0, 1000)).Apply(Tap(TargetKind::Face, 3, 15000));
    run.Apply(Tick(30000));
    CHECK(run.State.Current == Screen::Need);
    run.Apply(Tap(TargetKind::Back, 0, 34000));  // back also counts as activity
    run.Apply(Tick(53999));
    CHECK(run.State.Current == Screen::Need);
    run.Apply(Tick(54000));
    CHECK(run.State.Current == Screen::Attract);
}

TEST_CASE("flow: a customer who starts and leaves without answering records nothing") {
    Run run;
    run.Apply(Tap(TargetKind::Start, 0, 1000)).Apply(Tick(21000));
    CHECK(run.State.Current == Screen::Attract);
    CHECK(run.Effects.empty());
}

TEST_CASE("flow: start over abandons from any question screen") {
    SUBCASE("least met") {
        Run run = AnsweredNeeds();
        run.Apply(Tap(TargetKind::StartOver, 0, 5000));
        REQUIRE(run.Effects.size() == 1);
        CHECK(run.Effects[0].Record.AbandonedAt == "least_met");
        CHECK(run.Effects[0].Record.Scores.size() == 3);
    }
    SUBCASE("comment keeps what was typed") {
        Run run = AnsweredNeeds();
        run.Apply(Tap(TargetKind::LeastMetNeed, 0, 5000))
            .Apply(Tap(TargetKind::Key, 0, 5100, "a"))
            .Apply(Tap(TargetKind::StartOver, 0, 5200));
        REQUIRE(run.Effects.size() == 1);
        CHECK(run.Effects[0].Record.AbandonedAt == "comment");
        CHECK(run.Effects[0].Record.Comment == "a");
        CHECK(run.Effects[0].Record.LeastMet == "trust");
    }
    SUBCASE("intent") {
        Run run = AnsweredNeeds();
        run.Apply(Tap(TargetKind::LeastMetNeed, 0, 5000))
            .Apply(Tap(TargetKind::Skip, 0, 5100))
            .Apply(Tap(TargetKind::StartOver, 0, 5200));
        REQUIRE(run.Effects.size() == 1);
        CHECK(run.Effects[0].Record.AbandonedAt == "intent");
    }
}

TEST_CASE("flow: back walks one screen at a time and keeps earlier answers") {
    Run run = AnsweredNeeds();
    run.Apply(Tap(TargetKind::LeastMetNeed, 2, 5000)).Apply(Tap(TargetKind::Skip, 0, 5100));
    CHECK(run.State.Current == Screen::Intent);
    run.Apply(Tap(TargetKind::Back, 0, 5200));
    CHECK(run.State.Current == Screen::Comment);
    run.Apply(Tap(TargetKind::Back, 0, 5300));
    CHECK(run.State.Current == Screen::LeastMet);
    CHECK(run.State.LeastMet == "support");
    run.Apply(Tap(TargetKind::Back, 0, 5400));
    CHECK(run.State.Current == Screen::Need);
    CHECK(run.State.NeedIndex == 2);
    run.Apply(Tap(TargetKind::Back, 0, 5500)).Apply(Tap(TargetKind::Back, 0, 5600));
    CHECK(run.State.NeedIndex == 0);
    CHECK(run.State.Scores == std::vector<int>{4, 2, 5});
    CHECK(run.Effects.empty());
    run.Apply(Tap(TargetKind::Back, 0, 5700));  // back from the first question = start over
    CHECK(run.State.Current == Screen::Attract);
    REQUIRE(run.Effects.size() == 1);
    CHECK(run.Effects[0].Record.Status == ResponseStatus::Abandoned);
    CHECK(run.Effects[0].Record.AbandonedAt == "need:trust");
}

TEST_CASE("flow: changing an answer after going back replaces it") {
    Run run = AnsweredNeeds();
    run.Apply(Tap(TargetKind::Back, 0, 5000)).Apply(Tap(TargetKind::Face, 1, 5100));
    CHECK(run.State.Current == Screen::LeastMet);
    CHECK(run.State.Scores == std::vector<int>{4, 2, 1});
}

TEST_CASE("flow: the comment keyboard") {
    Run run = AnsweredNeeds();
    run.Apply(Tap(TargetKind::LeastMetNeed, 0, 5000));
    SUBCASE("shift is one-shot and upper-cases non-Latin letters too") {
        run.Apply(Tap(TargetKind::Shift, 0, 5001))
            .Apply(Tap(TargetKind::Key, 0, 5002, "ά"))
            .Apply(Tap(TargetKind::Key, 0, 5003, "ü"));
        CHECK(run.State.Comment == "Άü");
        CHECK_FALSE(run.State.ShiftOn);
    }
    SUBCASE("backspace removes whole code points") {
        run.Apply(Tap(TargetKind::Key, 0, 5001, "ñ")).Apply(Tap(TargetKind::Backspace, 0, 5002));
        CHECK(run.State.Comment.empty());
        run.Apply(Tap(TargetKind::Backspace, 0, 5003));  // on empty: harmless
        CHECK(run.State.Comment.empty());
    }
    SUBCASE("no leading or double spaces, trimmed on done") {
        run.Apply(Tap(TargetKind::Space, 0, 5001))
            .Apply(Tap(TargetKind::Key, 0, 5002, "a"))
            .Apply(Tap(TargetKind::Space, 0, 5003))
            .Apply(Tap(TargetKind::Space, 0, 5004));
        CHECK(run.State.Comment == "a ");
        run.Apply(Tap(TargetKind::Done, 0, 5005));
        CHECK(run.State.Comment == "a");
    }
    SUBCASE("the length limit counts code points") {
        for (int i = 0; i < 12; ++i) {
            run.Apply(Tap(TargetKind::Key, 0, 5001 + i, "ω"));
        }
        CHECK(run.State.Comment.size() == 20);  // 10 code points of 2 bytes
    }
    SUBCASE("skip discards a started comment") {
        run.Apply(Tap(TargetKind::Key, 0, 5001, "x")).Apply(Tap(TargetKind::Skip, 0, 5002));
        CHECK(run.State.Current == Screen::Intent);
        CHECK(run.State.Comment.empty());
    }
    SUBCASE("the symbols page toggles and clears shift") {
        run.Apply(Tap(TargetKind::Shift, 0, 5001)).Apply(Tap(TargetKind::SymbolsToggle, 0, 5002));
        CHECK(run.State.SymbolsOn);
        CHECK_FALSE(run.State.ShiftOn);
        run.Apply(Tap(TargetKind::Key, 0, 5003, "7"));
        CHECK(run.State.Comment == "7");
    }
}

TEST_CASE("flow: taps meant for other screens are ignored") {
    Run run;
    run.Apply(Tap(TargetKind::Face, 3, 10)).Apply(Tap(TargetKind::IntentScore, 3, 20));
    CHECK(run.State == InitialFlowState(run.Config));
    run.Apply(Tap(TargetKind::Start, 0, 1000)).Apply(Tap(TargetKind::Face, 9, 1100));
    CHECK(run.State.NeedIndex == 0);
    CHECK(run.State.Scores == std::vector<int>{0, 0, 0});
    run.Apply(Tap(TargetKind::IntentScore, 11, 1200));
    CHECK(run.Effects.empty());
}

TEST_CASE("flow: a commit that finishes after the customer left changes nothing") {
    Run run;
    run.Apply(Tap(TargetKind::Start, 0, 1000)).Apply(Tap(TargetKind::Face, 3, 1100));
    run.Apply(Tap(TargetKind::StartOver, 0, 1200)).Apply(CommitFinished(1201));
    CHECK(run.State == InitialFlowState(run.Config));
}

TEST_CASE("flow: question numbering") {
    Run run = AnsweredNeeds();
    CHECK(QuestionCount(run.Config) == 6);
    CHECK(QuestionNumber(run.Config, run.State) == 4);
    run.Apply(Tap(TargetKind::LeastMetNeed, 0, 5000));
    CHECK(QuestionNumber(run.Config, run.State) == 5);
    CHECK(StepId(run.Config, run.State) == "comment");
}

TEST_CASE("flow: staff responses carry their kind") {
    Run run;
    run.Config.Kind = ResponseKind::Staff;
    run.State = InitialFlowState(run.Config);
    run.Apply(Tap(TargetKind::Start, 0, 1000)).Apply(Tap(TargetKind::Face, 3, 1100));
    run.Apply(Tap(TargetKind::StartOver, 0, 1200));
    REQUIRE(run.Effects.size() == 1);
    CHECK(run.Effects[0].Record.Kind == ResponseKind::Staff);
}

// --- Manager mode -----------------------------------------------------------------------------
