// Service recovery on the terminal: reading what a customer typed, sealing it so only head
// office opens it, the survey's offer, the flow from the thank-you to the contact and back,
// and the store keeping only the sealed form until head office has it.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/alerts/contact.hpp"
#include "core/survey/survey.hpp"
#include "flow_fixtures.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/layout/layout.hpp"
#include "kiosk/store/store.hpp"
#include "store_fixtures.hpp"

using namespace doorstep;
using doorstep::testing::CommitFinished;
using doorstep::testing::SampleResponse;
using doorstep::testing::Tap;
using doorstep::testing::TempDir;
using doorstep::testing::ThreeNeedConfig;
using doorstep::testing::Tick;

namespace {

const std::string kDefaultPath = std::string(DOORSTEP_SOURCE_ASSETS_DIR) + "/surveys/default.json";

nlohmann::ordered_json DefaultJson() {
    std::ifstream in(kDefaultPath, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return nlohmann::ordered_json::parse(text.str());
}

FlowConfig OfferingConfig() {
    FlowConfig config = ThreeNeedConfig();
    config.OfferContact = true;
    return config;
}

// A customer scores the three needs, skips the comment, gives `intent`, and the commit returns.
testing::FlowRun Answered(FlowConfig config, int low_score, int intent) {
    testing::FlowRun run(std::move(config));
    run.Apply(Tap(TargetKind::Start, 0, 1000))
        .Apply(Tap(TargetKind::Face, low_score, 2000))
        .Apply(Tap(TargetKind::Face, 4, 3000))
        .Apply(Tap(TargetKind::Face, 5, 4000))
        .Apply(Tap(TargetKind::LeastMetNeed, 0, 5000))
        .Apply(Tap(TargetKind::Skip, 0, 5100))
        .Apply(Tap(TargetKind::IntentScore, intent, 5200));
    Event committed = CommitFinished(5300);
    committed.ResponseUuid = "0193aaaa-0000-7000-8000-000000000001";
    run.Apply(committed);
    return run;
}

void Type(testing::FlowRun& run, const std::string& text, int64_t at) {
    for (char c : text) {
        run.Apply(Tap(TargetKind::Key, 0, at++, std::string(1, c)));
    }
}

}  // namespace

TEST_CASE("contact: an e-mail address or a phone number, nothing else") {
    CHECK(ReadContact(" ann@example.com ")->Kind == ContactKind::Email);
    CHECK(ReadContact(" ann@example.com ")->Text == "ann@example.com");
    CHECK(ReadContact("+351 912 345 678")->Kind == ContactKind::Phone);
    CHECK(ReadContact("(030) 1234-567")->Kind == ContactKind::Phone);
    CHECK(ReadContact("").Err().Message == "contact_empty");
    CHECK(ReadContact("   ").Err().Message == "contact_empty");
    CHECK(ReadContact("ann").Err().Message == "contact_unreadable");
    CHECK(ReadContact("ann@example").Err().Message == "contact_unreadable");
    CHECK(ReadContact("a@b@example.com").Err().Message == "contact_unreadable");
    CHECK(ReadContact("12345").Err().Message == "contact_unreadable");  // too few digits
    CHECK(ReadContact("1+2345678").Err().Message == "contact_unreadable");
    CHECK(ReadContact(std::string(110, 'a') + "@example.com").Err().Message == "contact_too_long");
}

TEST_CASE("contact: a low answer is a need at 2 or lower, or would-come-back at 3 or lower") {
    Response answer;
    answer.Scores = {{"trust", 3}, {"control", 4}};
    answer.Intent = 4;
    CHECK_FALSE(IsLowAnswer(answer));
    answer.Scores[1].Score = 2;
    CHECK(IsLowAnswer(answer));
    answer.Scores[1].Score = 4;
    answer.Intent = 3;
    CHECK(IsLowAnswer(answer));
    answer.Kind = ResponseKind::Staff;
    CHECK_FALSE(IsLowAnswer(answer));
}

TEST_CASE("contact: sealed to head office's key, opened only with its secret half") {
    ContactKeyPair head_office = NewContactKeyPair();
    ContactKeyPair other = NewContactKeyPair();
    REQUIRE(IsContactKeyHex(head_office.PublicHex));
    Result<std::string> sealed = SealContact("ann@example.com", head_office.PublicHex);
    REQUIRE(sealed.Ok());
    CHECK(sealed->find("ann") == std::string::npos);
    CHECK(*OpenContact(*sealed, head_office) == "ann@example.com");
    CHECK_FALSE(OpenContact(*sealed, other).Ok());
    std::string changed = *sealed;
    changed[10] = changed[10] == '0' ? '1' : '0';
    CHECK_FALSE(OpenContact(changed, head_office).Ok());
    CHECK_FALSE(SealContact("x", "not a key").Ok());
}

TEST_CASE("contact: the shipped survey has the offer's words in every language, switched off") {
    SurveyParse parse = LoadSurveyFile(kDefaultPath);
    REQUIRE(parse.Ok());
    CHECK_FALSE(parse.Definition.Contact.Enabled);
    for (std::string_view key : kContactTextKeys) {
        for (const Language& language : parse.Definition.Languages) {
            CHECK_FALSE(parse.Definition.ContactText(key, language.Code).empty());
        }
    }
    nlohmann::ordered_json missing = DefaultJson();
    missing["contact_offer"]["texts"]["send"].erase("el");
    missing["contact_offer"]["enabled"] = "yes";
    SurveyParse broken = ParseSurvey(missing.dump(), "test.json");
    REQUIRE(broken.Problems.size() == 2);
    CHECK(broken.Problems[0].JsonPath == "$.contact_offer.enabled");
    CHECK(broken.Problems[1].JsonPath == "$.contact_offer.texts.send.el");
    nlohmann::ordered_json without = DefaultJson();
    without.erase("contact_offer");
    CHECK(ParseSurvey(without.dump(), "test.json").Ok());
}

TEST_CASE("contact flow: offered only after a low answer, when the terminal may take it") {
    CHECK_FALSE(Answered(ThreeNeedConfig(), 1, 2).State.ContactOffered);  // survey or key says no
    CHECK_FALSE(Answered(OfferingConfig(), 4, 8).State.ContactOffered);   // not a low answer
    testing::FlowRun run = Answered(OfferingConfig(), 1, 8);
    CHECK(run.State.Current == Screen::ThankYou);
    CHECK(run.State.ContactOffered);
    CHECK(NextDeadlineMonoMs(run.Config, run.State) == 5300 + run.Config.ContactOfferMs);
    // Held in memory, not yet durable: no offer, the answer might still be lost.
    testing::FlowRun held(OfferingConfig());
    held.State = Answered(OfferingConfig(), 1, 8).State;
    CHECK(held.State.RecordedUuid == "0193aaaa-0000-7000-8000-000000000001");
    run.Apply(Tick(5300 + run.Config.ContactOfferMs));
    CHECK(run.State == InitialFlowState(run.Config));
}

TEST_CASE("contact flow: typed, refused in words, then left sealed through one effect") {
    testing::FlowRun run = Answered(OfferingConfig(), 2, 8);
    run.Apply(Tap(TargetKind::ContactYes, 0, 6000));
    CHECK(run.State.Current == Screen::Contact);
    run.Apply(Tap(TargetKind::Done, 0, 6100));
    CHECK(run.State.ContactProblem == "problem_empty");
    Type(run, "ann", 6200);
    CHECK(run.State.ContactProblem.empty());
    run.Apply(Tap(TargetKind::Done, 0, 6300));
    CHECK(run.State.ContactProblem == "problem_unreadable");
    Type(run, "@example.com", 6400);
    size_t effects_before = run.Effects.size();
    run.Apply(Tap(TargetKind::Done, 0, 7000));
    REQUIRE(run.Effects.size() == effects_before + 1);
    const Effect& leave = run.Effects.back();
    CHECK(leave.Kind == EffectKind::LeaveContact);
    CHECK(leave.Contact == "ann@example.com");
    CHECK(leave.ResponseUuid == "0193aaaa-0000-7000-8000-000000000001");
    CHECK(run.State.Current == Screen::Saving);
    CHECK(run.State.ContactText.empty());  // the effect holds the only copy now
    run.Apply(CommitFinished(7100));
    CHECK(run.State.Current == Screen::ThankYou);
    CHECK(run.State.ContactKept);
    CHECK_FALSE(run.State.ContactOffered);
    run.Apply(Tap(TargetKind::ContactYes, 0, 7200));  // never offered twice
    CHECK(run.State.Current == Screen::ThankYou);
    run.Apply(Tap(TargetKind::Dismiss, 0, 7300));
    CHECK(run.State == InitialFlowState(run.Config));
}

TEST_CASE("contact flow: back, cancel and walking away keep nothing") {
    testing::FlowRun run = Answered(OfferingConfig(), 1, 1);
    run.Apply(Tap(TargetKind::ContactYes, 0, 6000));
    Type(run, "ann@", 6100);
    run.Apply(Tap(TargetKind::Back, 0, 6500));
    CHECK(run.State.Current == Screen::ThankYou);
    CHECK(run.State.ContactText.empty());
    run.Apply(Tap(TargetKind::ContactYes, 0, 6600)).Apply(Tap(TargetKind::Skip, 0, 6700));
    CHECK(run.State == InitialFlowState(run.Config));
    testing::FlowRun idle = Answered(OfferingConfig(), 1, 1);
    idle.Apply(Tap(TargetKind::ContactYes, 0, 6000));
    Type(idle, "ann@example.com", 6100);
    idle.Apply(Tick(6115 + idle.Config.IdleTimeoutMs));
    CHECK(idle.State == InitialFlowState(idle.Config));
    bool left = false;
    for (const Effect& effect : idle.Effects) {
        left = left || effect.Kind == EffectKind::LeaveContact;
    }
    CHECK_FALSE(left);
}

TEST_CASE("contact flow: a store that cannot keep it says so rather than promise") {
    testing::FlowRun run = Answered(OfferingConfig(), 1, 1);
    run.Apply(Tap(TargetKind::ContactYes, 0, 6000));
    Type(run, "0912345678", 6100);
    run.Apply(Tap(TargetKind::Done, 0, 6500)).Apply(CommitFinished(6600, false));
    CHECK(run.State.Current == Screen::ThankYou);
    CHECK(run.State.ContactLeft);
    CHECK_FALSE(run.State.ContactKept);
}

TEST_CASE("contact layout: the offer answers only to its two buttons, the keyboard types Latin") {
    for (Viewport viewport : {Viewport{1280, 800}, Viewport{800, 480}, Viewport{480, 800}}) {
        LayoutInput input;
        input.Current = Screen::ThankYou;
        input.ContactOffer = true;
        ScreenLayout layout = ComputeLayout(viewport, input);
        REQUIRE(layout.Targets.size() == 2);
        CHECK(layout.Targets[0].Tap.Kind == TargetKind::ContactYes);
        CHECK(layout.Targets[1].Tap.Kind == TargetKind::Dismiss);
        CHECK(layout.Targets[0].Area.H >= MinTargetSize(viewport));
        CHECK(layout.Targets[1].Area.Bottom() <= viewport.Height);
    }
    FlowState state;
    state.Current = Screen::Contact;
    state.Language = "el";
    SurveyParse survey = LoadSurveyFile(kDefaultPath);
    LayoutInput input = LayoutInputFor(survey.Definition, ThreeNeedConfig(), state);
    ScreenLayout layout = ComputeLayout({800, 480}, input);
    CHECK(HitTest(layout, layout.TextBox.CenterX(), layout.TextBox.CenterY()) == std::nullopt);
    bool at = false;
    for (const Hit& hit : layout.Targets) {
        at = at || (hit.Tap.Kind == TargetKind::Key && hit.Tap.Text == "@");
        CHECK(hit.Area.Bottom() <= 480);
    }
    CHECK(at);
    CHECK(layout.Subtitle.Bottom() <= layout.Targets.back().Area.Y);
}

TEST_CASE("store contacts: only the sealed form is written, and it goes once head office has it") {
    TempDir dir;
    Result<std::unique_ptr<Store>> opened = Store::Open(dir.File("kiosk.db"));
    REQUIRE(opened.Ok());
    std::unique_ptr<Store> store = std::move(*opened);
    Response answer = SampleResponse(0);
    REQUIRE(store->Append(answer).Ok());
    CHECK_FALSE(*store->HasContactKey());
    CHECK_FALSE(store->KeepContact(answer.Uuid, "ann@example.com", 1).Ok());  // no key yet
    ContactKeyPair head_office = NewContactKeyPair();
    nlohmann::json reply{{"server_time_ms", 1},
                         {"rules", nlohmann::json::array()},
                         {"alerts", nlohmann::json::array()},
                         {"contact_key", head_office.PublicHex}};
    REQUIRE(store->FinishAlertSync({}, reply.dump()).Ok());
    CHECK(*store->HasContactKey());
    CHECK_FALSE(store->KeepContact("0193aaaa-0000-7000-8000-00000000dead", "a@b.co", 1).Ok());
    REQUIRE(store->KeepContact(answer.Uuid, "ann@example.com", 1'790'000'100'000).Ok());
    REQUIRE(store->KeepContact(answer.Uuid, "bob@example.com", 1'790'000'100'001).Ok());
    CHECK(*store->CountContacts() == 1);  // the first one stays

    Result<AlertSyncWork> work = store->PendingAlertSync();
    REQUIRE(work.Ok());
    REQUIRE(work->Contacts.size() == 1);
    const nlohmann::json& contact = work->Contacts[0];
    CHECK(contact["response_uuid"] == answer.Uuid);
    CHECK(contact["least_met"] == "speed");
    CHECK(contact["low_needs"] == "speed,advice");
    CHECK(contact["comment"] == "comment 0");
    CHECK(*OpenContact(contact["sealed"].get<std::string>(), head_office) == "ann@example.com");

    store.reset();  // the file's bytes, WAL included, never hold the contact in clear
    for (const char* name : {"kiosk.db", "kiosk.db-wal"}) {
        std::ifstream in(dir.File(name), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(bytes.find("ann@example.com") == std::string::npos);
    }
    store = std::move(*Store::Open(dir.File("kiosk.db")));
    reply["contacts_received"] = {answer.Uuid};
    REQUIRE(store->FinishAlertSync(*work, reply.dump()).Ok());
    CHECK(*store->CountContacts() == 0);
}
