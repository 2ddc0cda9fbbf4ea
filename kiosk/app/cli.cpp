#include "kiosk/app/cli.hpp"

#include <CLI/CLI.hpp>
#include <regex>

#include "core/base/paths.hpp"
#include "core/service/json_config.hpp"
#include "kiosk/flow/opening_hours.hpp"

namespace doorstep {
namespace {

// Door names end up in reports and file names: keep them plain.
const CLI::Validator kDoorName(
    [](std::string& value) -> std::string {
        if (value.empty() || value.size() > 64 ||
            !std::regex_match(value, std::regex("[A-Za-z0-9 _.-]+"))) {
            return "door name must be 1-64 letters, digits, spaces, '_', '.' or '-', got '" +
                   value + "'";
        }
        return {};
    },
    "NAME");

const CLI::Validator kOpeningHours(
    [](std::string& value) -> std::string {
        Result<OpeningHours> hours = ParseOpeningHours(value);
        if (hours.Ok()) {
            return {};
        }
        // CLI11 names the flag already: "--opening-hours: rule 1 ...", not "... opening hours: ".
        std::string_view problem = hours.Err().Message;
        constexpr std::string_view kSubject = "opening hours: ";
        return std::string(problem.starts_with(kSubject) ? problem.substr(kSubject.size())
                                                         : problem);
    },
    "SPEC");

const CLI::Validator kWindowSize(
    [](std::string& value) -> std::string {
        if (!ParseWindowSize(value)) {
            return "expected WIDTHxHEIGHT between 320x240 and 7680x4320, like 1280x800, got '" +
                   value + "'";
        }
        return {};
    },
    "WxH");

}  // namespace

std::optional<WindowSize> ParseWindowSize(const std::string& text) {
    std::smatch match;
    if (!std::regex_match(text, match, std::regex("([0-9]{3,4})x([0-9]{3,4})"))) {
        return std::nullopt;
    }
    WindowSize size{std::stoi(match[1]), std::stoi(match[2])};
    if (size.Width < 320 || size.Height < 240 || size.Width > 7680 || size.Height > 4320) {
        return std::nullopt;
    }
    return size;
}

std::optional<ParsedCommandLine> ParseCommandLine(int argc, char** argv, int& exit_code) {
    ParsedCommandLine parsed;
    parsed.Run.DataDir = DefaultDataDir();
    parsed.Run.SurveyPath = DefaultSurveyPath();
    parsed.Simulate.DataDir = parsed.Run.DataDir;
    parsed.Simulate.SurveyPath = parsed.Run.SurveyPath;
    parsed.Layout.SurveyPath = parsed.Run.SurveyPath;

    CLI::App app{
        "Doorstep kiosk: asks customers at the door how they felt, and keeps every answer.",
        "doorstep-kiosk"};
    app.set_version_flag("--version", DOORSTEP_VERSION);
    std::string windowed;
    app.add_option("--data-dir", parsed.Run.DataDir, "Where answers are stored")
        ->capture_default_str();
    app.add_option("--survey", parsed.Run.SurveyPath, "Survey definition (JSON)")
        ->capture_default_str();
    app.add_option("--door", parsed.Run.Door,
                   "Touchpoint name: entrance, checkout, service desk...")
        ->check(kDoorName)
        ->capture_default_str();
    app.add_option("--lang", parsed.Run.Language,
                   "Default language code (survey default if unset)");
    app.add_option("--windowed", windowed,
                   "Run in a WxH window instead of full-screen (development)")
        ->check(kWindowSize);
    app.add_option("--idle-timeout", parsed.Run.IdleTimeoutSeconds,
                   "Seconds of silence before a half-finished response is stored as abandoned")
        ->check(CLI::Range(5.0, 600.0))
        ->capture_default_str();
    app.add_option("--opening-hours", parsed.Run.OpeningHours,
                   "When customers are asked, local time, e.g. \"mon-fri 08:00-20:00; sat "
                   "09:00-17:00; sun closed\"; outside them the screen dims and records nobody "
                   "(default: always)")
        ->check(kOpeningHours);
    app.add_option(
        "--export-dir", parsed.Run.ExportDir,
        "Where manager mode writes CSV exports, e.g. a USB stick (default DATA_DIR/exports)");
    app.add_option("--keep-synced-days", parsed.Run.KeepSyncedDays,
                   "Days the terminal keeps answers head office has confirmed (manager mode "
                   "shows them), then deletes them; answers not yet delivered are always kept")
        ->check(CLI::Range(1, 3650))
        ->capture_default_str();
    app.add_flag("--no-speech", parsed.Run.NoSpeech,
                 "No speech mode and no tactile spot, even where the survey has words for it "
                 "and there is an audio device (keys still navigate)");
    app.add_option("--heartbeat-interval", parsed.Run.HeartbeatIntervalS,
                   "Seconds between heartbeats (health, and new surveys from head office)")
        ->check(CLI::Range(2, 3600))
        ->group("Development");
    app.add_option("--autopilot", parsed.Run.Autopilot,
                   "Development: tap through N responses by itself, then exit")
        ->check(CLI::Range(0, 10000000))
        ->group("Development");

    CLI::App* simulate = app.add_subcommand(
        "simulate", "Write N realistic synthetic responses (marked synthetic) through the store");
    simulate->add_option("--data-dir", parsed.Simulate.DataDir, "Where answers are stored")
        ->capture_default_str();
    simulate->add_option("--survey", parsed.Simulate.SurveyPath, "Survey definition (JSON)")
        ->capture_default_str();
    simulate->add_option("--door", parsed.Simulate.Door, "Touchpoint name")->check(kDoorName);
    simulate->add_option("--responses", parsed.Simulate.Responses, "How many responses")
        ->required()
        ->check(CLI::Range(1, 100000000));
    simulate->add_option("--seed", parsed.Simulate.Seed, "Random seed (same seed, same answers)");
    simulate
        ->add_option("--staff-share", parsed.Simulate.StaffShare,
                     "Share of staff estimates among them (0 to 1)")
        ->check(CLI::Range(0.0, 1.0));
    simulate
        ->add_option("--batch-size", parsed.Simulate.BatchSize,
                     "Responses per transaction (1: each alone, as the window commits them)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    simulate
        ->add_option("--contacts", parsed.Simulate.Contacts,
                     "The first N low answers' customers leave a contact (needs head office's "
                     "contact key: sync once first)")
        ->check(CLI::Range(0, 100000));
    simulate->add_flag("--print-committed", parsed.Simulate.PrintCommitted,
                       "Print \"committed SEQ UUID\" for each response once its transaction "
                       "has committed (crash tests)");

    CLI::App* layout = app.add_subcommand(
        "layout", "Print the tap targets of a screen as JSON (used by end-to-end tests)");
    std::string layout_size;
    layout->add_option("--size", layout_size, "Screen size WxH")->required()->check(kWindowSize);
    layout
        ->add_option(
            "--screen", parsed.Layout.Screen,
            "attract, need, least_met, comment, intent, thank_you, contact_offer, contact, closed, "
            "pin, staff_need, manager:summary|heatmap|comments|staff|sync|alerts")
        ->check(CLI::IsMember({"attract", "need", "least_met", "comment", "intent", "thank_you",
                               "contact_offer", "contact", "closed", "pin", "staff_need",
                               "manager:summary", "manager:heatmap", "manager:comments",
                               "manager:staff", "manager:sync", "manager:alerts"}));
    layout->add_option("--survey", parsed.Layout.SurveyPath, "Survey definition (JSON)");
    layout->add_option("--lang", parsed.Layout.Language, "Language (keyboard layout)");
    layout->add_flag("--symbols", parsed.Layout.Symbols, "Keyboard on its symbols page");
    layout->add_flag("--large-text", parsed.Layout.LargeText, "With large text switched on");
    layout->add_flag("--within-reach", parsed.Layout.WithinReach,
                     "With \"within reach\" switched on: every button in the lower 60 %");
    layout->add_flag("--no-speech", parsed.Layout.NoSpeech,
                     "As on a terminal without speech: no tactile spot on attract");

    parsed.Enroll.DataDir = parsed.Run.DataDir;
    CLI::App* enroll = app.add_subcommand(
        "enroll", "Exchange a one-time code from head office for this terminal's identity");
    enroll->add_option("--data-dir", parsed.Enroll.DataDir, "Where answers are stored")
        ->capture_default_str();
    enroll->add_option("--server", parsed.Enroll.Server, "Head office, e.g. https://hq.example.com")
        ->required();
    enroll->add_option("--code", parsed.Enroll.Code, "The code `doorstep-server enroll` printed")
        ->required();
    enroll->add_option("--ca-file", parsed.Enroll.CaFile, "CA bundle for the server's certificate")
        ->check(CLI::ExistingFile);
    enroll->add_option("--pinned-public-key", parsed.Enroll.PinnedPublicKey,
                       "Pin the server's key: sha256//BASE64 or a PEM/DER file");
    enroll->add_flag("--set-pin", parsed.Enroll.SetPin,
                     "Then set the manager PIN (asked twice at the prompt, as set-pin does)");
    enroll->add_flag("--insecure-http", parsed.Enroll.InsecureHttp,
                     "Allow plain http to a non-loopback server (answers travel unencrypted)");

    parsed.Sync.DataDir = parsed.Run.DataDir;
    CLI::App* sync = app.add_subcommand("sync", "Send stored answers to head office");
    sync->add_option("--data-dir", parsed.Sync.DataDir, "Where answers are stored")
        ->capture_default_str();
    sync->add_flag("--heartbeat", parsed.Sync.Heartbeat,
                   "Then report this terminal's health to head office once (its fleet page)");
    sync->add_flag("--once", parsed.Sync.Once, "Drain the queue, then exit (0 only when all sent)")
        ->required();
    sync->add_option("--attempts", parsed.Sync.Attempts, "Tries per batch before giving up")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    sync->add_option("--batch-size", parsed.Sync.BatchSize, "Answers per request")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    sync->add_option("--connect-timeout", parsed.Sync.ConnectTimeoutS, "Seconds")
        ->check(CLI::Range(1L, 600L))
        ->capture_default_str();
    sync->add_option("--timeout", parsed.Sync.TotalTimeoutS, "Seconds per request, in total")
        ->check(CLI::Range(1L, 3600L))
        ->capture_default_str();
    sync->add_option("--backoff-base-ms", parsed.Sync.BackoffBaseMs, "First retry delay bound")
        ->check(CLI::Range(1L, 600000L))
        ->capture_default_str();

    parsed.SetPin.DataDir = parsed.Run.DataDir;
    CLI::App* set_pin = app.add_subcommand(
        "set-pin", "Set the store manager's PIN (4-8 digits), typed twice; replaces any old one");
    set_pin->add_option("--data-dir", parsed.SetPin.DataDir, "Where answers are stored")
        ->capture_default_str();

    parsed.Export.DataDir = parsed.Run.DataDir;
    CLI::App* export_csv = app.add_subcommand(
        "export", "Write every answer stored on this terminal to a CSV file (docs/export.md)");
    export_csv->add_option("--data-dir", parsed.Export.DataDir, "Where answers are stored")
        ->capture_default_str();
    export_csv->add_option("--out", parsed.Export.OutPath, "The CSV file to write (mode 0600)")
        ->required();

    parsed.Alerts.DataDir = parsed.Run.DataDir;
    CLI::App* alerts = app.add_subcommand(
        "alerts", "The store's alerts as manager mode shows them (synced by `sync`); act on one");
    alerts->add_option("--data-dir", parsed.Alerts.DataDir, "Where answers are stored")
        ->capture_default_str();
    CLI::Option* acknowledge = alerts->add_option("--acknowledge", parsed.Alerts.Acknowledge,
                                                  "Acknowledge this alert (its key)");
    CLI::Option* resolve =
        alerts->add_option("--resolve", parsed.Alerts.Resolve, "Resolve this alert (its key)");
    acknowledge->excludes(resolve);
    alerts->add_option("--note", parsed.Alerts.Note, "A short note: what was done");

    app.require_subcommand(0, 1);
    AddJsonConfig(app, app, DefaultConfigPath("kiosk.json"));
    if (std::optional<int> exit_now = ParseArguments(app, argc, argv)) {
        exit_code = *exit_now;
        return std::nullopt;
    }
    if (!windowed.empty()) {
        parsed.Run.Windowed = ParseWindowSize(windowed);
    }
    if (*simulate) {
        parsed.Which = Command::Simulate;
    } else if (*enroll) {
        parsed.Which = Command::Enroll;
    } else if (*sync) {
        parsed.Which = Command::Sync;
    } else if (*set_pin) {
        parsed.Which = Command::SetPin;
    } else if (*export_csv) {
        parsed.Which = Command::Export;
    } else if (*alerts) {
        parsed.Which = Command::Alerts;
    } else if (*layout) {
        parsed.Which = Command::Layout;
        parsed.Layout.Size = *ParseWindowSize(layout_size);
    }
    exit_code = 0;
    return parsed;
}

}  // namespace doorstep
