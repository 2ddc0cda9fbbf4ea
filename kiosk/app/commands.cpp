#include "kiosk/app/commands.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/alerts/contact.hpp"
#include "core/base/clock.hpp"
#include "core/base/paths.hpp"
#include "core/base/uuid.hpp"
#include "kiosk/app/flow_config.hpp"
#include "kiosk/layout/layout.hpp"
#include "kiosk/store/simulate.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/store/survey_source.hpp"

namespace doorstep {
namespace {

const char* TargetKindName(TargetKind kind) {
    switch (kind) {
        case TargetKind::None:
            return "none";
        case TargetKind::Start:
            return "start";
        case TargetKind::Language:
            return "language";
        case TargetKind::Face:
            return "face";
        case TargetKind::LeastMetNeed:
            return "least_met";
        case TargetKind::IntentScore:
            return "intent";
        case TargetKind::Back:
            return "back";
        case TargetKind::StartOver:
            return "start_over";
        case TargetKind::Key:
            return "key";
        case TargetKind::Shift:
            return "shift";
        case TargetKind::SymbolsToggle:
            return "symbols";
        case TargetKind::Backspace:
            return "backspace";
        case TargetKind::Space:
            return "space";
        case TargetKind::Skip:
            return "skip";
        case TargetKind::Done:
            return "done";
        case TargetKind::Dismiss:
            return "dismiss";
        case TargetKind::ContactYes:
            return "contact_yes";
        case TargetKind::AccessToggle:
            return "access";
        case TargetKind::ManagerCorner:
            return "manager_corner";
        case TargetKind::PinDigit:
            return "pin_digit";
        case TargetKind::PinBackspace:
            return "pin_backspace";
        case TargetKind::PinOk:
            return "pin_ok";
        case TargetKind::PinCancel:
            return "pin_cancel";
        case TargetKind::ManagerTabChoice:
            return "tab";
        case TargetKind::PeriodChoice:
            return "period";
        case TargetKind::ToggleSuspect:
            return "toggle_suspect";
        case TargetKind::ToggleNegative:
            return "toggle_negative";
        case TargetKind::PageNext:
            return "page_next";
        case TargetKind::PagePrevious:
            return "page_previous";
        case TargetKind::HeatMapNeed:
            return "heatmap_need";
        case TargetKind::StartStaffRating:
            return "staff_rating";
        case TargetKind::SyncNow:
            return "sync_now";
        case TargetKind::ExportCsv:
            return "export";
        case TargetKind::ExitManager:
            return "exit";
        case TargetKind::AlertPrevious:
            return "alert_previous";
        case TargetKind::AlertNext:
            return "alert_next";
        case TargetKind::AlertNoteChoice:
            return "alert_note";
        case TargetKind::AcknowledgeAlert:
            return "alert_acknowledge";
        case TargetKind::ResolveAlert:
            return "alert_resolve";
        case TargetKind::SpeechSpot:
            return "speech_spot";
    }
    return "none";
}

// Screen names of `layout --screen`; manager tabs are "manager:<tab>".
Screen ScreenNamed(const std::string& name, ManagerTab& tab) {
    if (name == "need")
        return Screen::Need;
    if (name == "least_met")
        return Screen::LeastMet;
    if (name == "comment")
        return Screen::Comment;
    if (name == "intent")
        return Screen::Intent;
    if (name == "thank_you" || name == "contact_offer")
        return Screen::ThankYou;
    if (name == "contact")
        return Screen::Contact;
    if (name == "closed")
        return Screen::Closed;
    if (name == "pin")
        return Screen::PinEntry;
    if (name == "staff_need")
        return Screen::StaffNeed;
    if (name.rfind("manager", 0) == 0) {
        const char* tabs[] = {"manager:summary", "manager:heatmap", "manager:comments",
                              "manager:staff",   "manager:sync",    "manager:alerts"};
        for (int i = 0; i < kManagerTabCount; ++i) {
            if (name == tabs[i]) {
                tab = static_cast<ManagerTab>(i);
            }
        }
        return Screen::Manager;
    }
    return Screen::Attract;
}

}  // namespace

int RunSimulate(const SimulateOptionsCli& options) {
    if (Status dir = EnsurePrivateDirectory(options.DataDir); !dir.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk simulate: %s\n", dir.Err().Message.c_str());
        return 1;
    }
    Result<std::unique_ptr<Store>> store = Store::Open(options.DataDir + "/kiosk.db");
    if (!store.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk simulate: %s\n", store.Err().Message.c_str());
        return 1;
    }
    Result<ActiveSurvey> survey = ResolveSurvey(**store, options.SurveyPath);
    if (!survey.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk simulate: %s\n", survey.Err().Message.c_str());
        return 1;
    }
    if (options.Contacts > 0) {
        Result<bool> key = (*store)->HasContactKey();
        if (!key.Ok() || !*key) {
            std::fprintf(stderr,
                         "doorstep-kiosk simulate: --contacts needs head office's contact key; "
                         "run 'doorstep-kiosk sync --once' first\n");
            return 1;
        }
    }
    SimulateOptions simulate;
    simulate.Door = options.Door;
    simulate.NowWallMs = WallClockMs();
    simulate.StaffShare = options.StaffShare;
    // Sample comments ship beside the surveys: assets/surveys/x.json -> assets/simulate/.
    std::filesystem::path assets =
        std::filesystem::path(options.SurveyPath).parent_path().parent_path();
    simulate.SampleComments = LoadSampleComments((assets / "simulate" / "comments.json").string(),
                                                 survey->Definition.DefaultLanguage);
    ResponseSimulator simulator(survey->Definition, simulate, options.Seed);
    simulator.PlanInTimeOrder(options.Responses);
    int written = 0;
    int contacts = 0;
    while (written < options.Responses) {
        std::vector<Response> batch;
        // One transaction per batch: fast, and still all-or-nothing.
        for (int i = 0; i < options.BatchSize && written + i < options.Responses; ++i) {
            Response response = simulator.Next();
            response.Uuid = NewUuidV7(WallClockMs());
            batch.push_back(std::move(response));
        }
        Result<std::vector<int64_t>> stored = (*store)->AppendBatch(batch);
        if (!stored.Ok()) {
            std::fprintf(stderr, "doorstep-kiosk simulate: stopped after %d responses: %s\n",
                         written, stored.Err().Message.c_str());
            return 1;
        }
        if (options.PrintCommitted) {
            // Only now, after the commit returned: a line is a promise the answer is durable.
            for (size_t i = 0; i < batch.size(); ++i) {
                std::printf("committed %lld %s\n", static_cast<long long>((*stored)[i]),
                            batch[i].Uuid.c_str());
            }
            std::fflush(stdout);
        }
        written += static_cast<int>(batch.size());
        // The first low answers' customers leave a contact, as they would on the thank-you screen.
        for (const Response& response : batch) {
            if (contacts < options.Contacts && response.Status == ResponseStatus::Completed &&
                IsLowAnswer(response)) {
                std::string contact = "customer-" + std::to_string(contacts + 1) + "@example.org";
                Status kept = (*store)->KeepContact(response.Uuid, contact, WallClockMs());
                if (!kept.Ok()) {
                    std::fprintf(stderr, "doorstep-kiosk simulate: %s\n",
                                 kept.Err().Message.c_str());
                    return 1;
                }
                ++contacts;
            }
        }
    }
    std::printf("wrote %d synthetic responses to %s\n", written, (*store)->Path().c_str());
    if (options.Contacts > 0) {
        std::printf("left %d contacts after low answers\n", contacts);
    }
    return 0;
}

int RunLayout(const LayoutOptionsCli& options) {
    SurveyParse survey = LoadSurveyFile(options.SurveyPath);
    if (!survey.Ok()) {
        for (const SurveyProblem& problem : survey.Problems) {
            std::fprintf(stderr, "doorstep-kiosk layout: %s\n", problem.Describe().c_str());
        }
        return 1;
    }
    KioskOptions terminal;
    terminal.NoSpeech = options.NoSpeech;
    FlowConfig config = BuildFlowConfig(survey.Definition, terminal);
    FlowState state;
    state.Current = ScreenNamed(options.Screen, state.Tab);
    state.ContactOffered = options.Screen == "contact_offer";
    state.Language =
        options.Language.empty() ? survey.Definition.DefaultLanguage : options.Language;
    state.SymbolsOn = options.Symbols;
    state.Access.LargeText = options.LargeText;
    state.Access.WithinReach = options.WithinReach;
    Viewport viewport{static_cast<float>(options.Size.Width),
                      static_cast<float>(options.Size.Height)};
    ScreenLayout layout = ComputeLayout(viewport, LayoutInputFor(survey.Definition, config, state));
    nlohmann::json targets = nlohmann::json::array();
    for (const Hit& hit : layout.Targets) {
        targets.push_back({{"kind", TargetKindName(hit.Tap.Kind)},
                           {"index", hit.Tap.Index},
                           {"text", hit.Tap.Text},
                           {"x", hit.Area.X},
                           {"y", hit.Area.Y},
                           {"w", hit.Area.W},
                           {"h", hit.Area.H},
                           {"cx", static_cast<int>(hit.Area.CenterX())},
                           {"cy", static_cast<int>(hit.Area.CenterY())}});
    }
    std::cout << nlohmann::json{{"screen", options.Screen}, {"targets", targets}}.dump(1) << "\n";
    return 0;
}

}  // namespace doorstep
