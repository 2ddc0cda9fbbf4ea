// Command-line options of doorstep-kiosk and its subcommands, parsed with CLI11.
#pragma once

#include <optional>
#include <string>

namespace doorstep {

struct WindowSize {
    int Width = 0;
    int Height = 0;
};

struct KioskOptions {
    std::string DataDir;
    std::string SurveyPath;
    std::string Door = "entrance";
    std::string Language;      // empty: the survey's default
    std::string OpeningHours;  // empty: always open (opening_hours.hpp has the grammar)
    std::optional<WindowSize> Windowed;
    double IdleTimeoutSeconds = 20;
    std::string ExportDir;  // manager mode's CSV export; empty: DATA_DIR/exports
    int Autopilot = 0;      // development: drive N complete responses through the real input path
    int HeartbeatIntervalS = 300;  // how often head office hears how this terminal is
    int KeepSyncedDays = 30;       // answers head office holds stay on the terminal this long
    bool NoSpeech = false;         // no speech mode even where the survey and the audio allow it
};

struct SimulateOptionsCli {
    std::string DataDir;
    std::string SurveyPath;
    std::string Door = "entrance";
    int Responses = 0;
    unsigned long long Seed = 1;
    double StaffShare = 0.0;
    int BatchSize = 500;  // responses per transaction; 1 commits each alone, as the window does
    bool PrintCommitted = false;  // "committed SEQ UUID" on stdout once each commit has returned
    int Contacts = 0;  // the first N low answers' customers leave a contact (service recovery)
};

struct LayoutOptionsCli {
    WindowSize Size;
    std::string Screen = "attract";
    std::string SurveyPath;
    std::string Language;
    bool Symbols = false;
    bool LargeText = false;
    bool WithinReach = false;
    bool NoSpeech = false;  // as a terminal without speech: no tactile spot
};

struct EnrollOptionsCli {
    std::string DataDir;
    std::string Server;
    std::string Code;
    std::string CaFile;
    std::string PinnedPublicKey;
    bool InsecureHttp = false;
    bool SetPin = false;  // then ask for the manager PIN, as set-pin does
};

struct SyncOptionsCli {
    std::string DataDir;
    bool Once = false;
    bool Heartbeat = false;
    int Attempts = 5;
    int BatchSize = 500;
    long ConnectTimeoutS = 10;
    long TotalTimeoutS = 60;
    long BackoffBaseMs = 1000;
};

struct SetPinOptionsCli {
    std::string DataDir;
};

struct ExportOptionsCli {
    std::string DataDir;
    std::string OutPath;
};

// doorstep-kiosk alerts: the store's alerts as manager mode shows them, and acting on one.
struct AlertsOptionsCli {
    std::string DataDir;
    std::string Acknowledge;  // an alert's key, as listed
    std::string Resolve;
    std::string Note;
};

enum class Command { Run, Simulate, Layout, Enroll, Sync, SetPin, Export, Alerts };

struct ParsedCommandLine {
    Command Which = Command::Run;
    KioskOptions Run;
    SimulateOptionsCli Simulate;
    LayoutOptionsCli Layout;
    EnrollOptionsCli Enroll;
    SyncOptionsCli Sync;
    SetPinOptionsCli SetPin;
    ExportOptionsCli Export;
    AlertsOptionsCli Alerts;
};

// Parses argv. On --help prints usage and sets exit_code 0; on a bad flag or value prints a clear
// error naming it and sets exit_code 2. Returns nothing in both cases.
std::optional<ParsedCommandLine> ParseCommandLine(int argc, char** argv, int& exit_code);

// "1280x800" -> {1280, 800}; nothing for anything else.
std::optional<WindowSize> ParseWindowSize(const std::string& text);

}  // namespace doorstep
