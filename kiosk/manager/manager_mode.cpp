#include "kiosk/manager/manager_mode.hpp"

#include <filesystem>

#include "core/base/clock.hpp"
#include "core/base/log.hpp"
#include "core/base/paths.hpp"
#include "kiosk/store/local_export.hpp"
#include "kiosk/sync/device_identity.hpp"

namespace doorstep {
namespace {

constexpr int64_t kFiguresFreshMs = 5000;  // new answers arrive while the manager looks

}  // namespace

ManagerMode::ManagerMode(ManagerModeOptions options, Store& store, TaskQueue& tasks)
    : Options_(std::move(options)), Store_(store), Tasks_(tasks) {
    Result<PinVault> vault = PinVault::Open(Store_, Options_.DataDir);
    if (vault.Ok()) {
        Vault_.emplace(std::move(*vault));
    } else {
        VaultProblem_ = vault.Err().Message;
        Log(LogLevel::Error, "manager", "cannot open the PIN vault", {{"error", VaultProblem_}});
    }
    Result<Translations> words = Translations::Load(Options_.TranslationsPath, Options_.Language);
    if (words.Ok()) {
        Words_ = std::move(*words);
    } else {
        Log(LogLevel::Error, "manager", "cannot load the manager's words",
            {{"error", words.Err().Message}});
    }
    Result<std::optional<DeviceIdentity>> identity = LoadDeviceIdentity(Options_.DataDir);
    if (identity.Ok() && identity->has_value()) {
        Device_.DeviceId = (*identity)->DeviceId;
        Device_.StoreName = (*identity)->StoreName;
        Device_.Door = (*identity)->Door;
    }
    Device_.AppVersion = DOORSTEP_VERSION;
    Device_.SurveyVersion = Options_.SurveyVersion;
}

ManagerMode::~ManagerMode() {
    Stopping_ = true;  // the export stops at its next progress report
    if (ExportThread_.joinable()) {
        ExportThread_.join();
    }
}

Event ManagerMode::CheckPin(const std::string& digits, const Clock& now) {
    Event event{EventKind::PinChecked, {}, now, true};
    if (!Vault_) {
        event.Pin = PinAnswer::NoPin;
        return event;
    }
    PinCheck check = Vault_->Check(digits, now.WallMs);
    switch (check.Outcome) {
        case PinOutcome::Accepted:
            event.Pin = PinAnswer::Accepted;
            break;
        case PinOutcome::Rejected:
            event.Pin = PinAnswer::Rejected;
            event.PinAttemptsLeft = check.AttemptsLeft;
            break;
        case PinOutcome::LockedOut:
            event.Pin = PinAnswer::LockedOut;
            event.PinLockedUntilWallMs = check.LockedUntilMs;
            break;
        case PinOutcome::NoPin:
            event.Pin = PinAnswer::NoPin;
            break;
    }
    Log(event.Pin == PinAnswer::Accepted ? LogLevel::Info : LogLevel::Warning, "manager",
        event.Pin == PinAnswer::Accepted ? "manager mode opened" : "manager PIN refused");
    return event;
}

void ManagerMode::StartExport() {
    if (Export_.Running) {
        return;
    }
    if (ExportThread_.joinable()) {
        ExportThread_.join();
    }
    if (Status dir = EnsurePrivateDirectory(Options_.ExportDir); !dir.Ok()) {
        Export_.Result = Words_.Format("export_failed", {{"error", dir.Err().Message}});
        return;
    }
    std::string stamp = FormatUtcIso8601(WallClockMs()).substr(0, 19);
    for (char& ch : stamp) {
        ch = ch == ':' ? '-' : ch;
    }
    std::string out = Options_.ExportDir + "/doorstep-" +
                      (Device_.DeviceId.empty() ? std::string("terminal") : Device_.DeviceId) +
                      "-" + stamp + ".csv";
    Export_ = ExportState{true, 0, 0, ""};
    ExportThread_ = std::thread([this, out, store_path = Store_.Path()] {
        int64_t last_total = 0;
        Status done =
            ExportResponsesCsv(store_path, out, [this, &last_total](int64_t n, int64_t total) {
                last_total = total;
                Tasks_.Post([this, n, total] {
                    Export_.Done = n;
                    Export_.Total = total;
                });
                return !Stopping_.load();
            });
        std::string result =
            done.Ok() ? Words_.Format("export_done",
                                      {{"count", std::to_string(last_total)}, {"path", out}})
                      : Words_.Format("export_failed", {{"error", done.Err().Message}});
        Log(done.Ok() ? LogLevel::Info : LogLevel::Error, "manager", result);
        if (!Stopping_) {
            Tasks_.Post([this, result] {
                Export_.Running = false;
                Export_.Result = result;
            });
        }
    });
}

void ManagerMode::ActOnAlert(const Effect& effect) {
    if (effect.AlertIndex < 0 || effect.AlertIndex >= static_cast<int>(Data_.Alerts.size())) {
        return;  // the screen showed no such alert
    }
    const KioskAlert& alert = Data_.Alerts[static_cast<size_t>(effect.AlertIndex)];
    std::string note = effect.AlertNoteIndex >= 0
                           ? Words_.Get("alert_note_" + std::to_string(effect.AlertNoteIndex))
                           : std::string();
    Status done = Store_.RecordAlertAct(alert, effect.Pin, note, WallClockMs());
    Log(done.Ok() ? LogLevel::Info : LogLevel::Error, "manager",
        done.Ok() ? "alert acted on" : "could not record the act on an alert",
        {{"alert", alert.Key()}, {"act", effect.Pin}});
    DataKey_.clear();  // show it at once
}

int ManagerMode::OpenAlertCount(int64_t now_mono_ms) {
    if (now_mono_ms - AlertsCountedMonoMs_ >= kFiguresFreshMs || AlertsCountedMonoMs_ == 0) {
        AlertsCountedMonoMs_ = now_mono_ms;
        Result<std::vector<KioskAlert>> alerts = Store_.ListAlerts();
        OpenAlerts_ = 0;
        for (const KioskAlert& alert : alerts.Ok() ? *alerts : std::vector<KioskAlert>()) {
            OpenAlerts_ += alert.State == "open" ? 1 : 0;
        }
    }
    return OpenAlerts_;
}

void ManagerMode::Refresh(const FlowConfig& config, const FlowState& state, int64_t now_mono_ms) {
    std::string key = ManagerDataKey(state);
    if (key == DataKey_ && now_mono_ms - DataLoadedMonoMs_ < kFiguresFreshMs) {
        return;
    }
    Data_ = LoadManagerData(Store_.Handle(), config, state, WallClockMs());
    if (state.Tab == ManagerTab::Alerts) {
        Result<std::vector<KioskAlert>> alerts = Store_.ListAlerts();
        if (alerts.Ok()) {
            Data_.Alerts = std::move(*alerts);
        } else {
            Data_.Error = alerts.Err().Message;
        }
    }
    DataKey_ = key;
    DataLoadedMonoMs_ = now_mono_ms;
    Device_.FreeDiskBytes = FreeDiskBytes(Options_.DataDir);
}

void ManagerMode::Draw(ImDrawList* draw, const Survey& survey, const FlowConfig& config,
                       const FlowState& state, const ScreenLayout& layout, const Fonts& fonts,
                       std::optional<Target> pressed, const SyncStatus& sync, size_t held_answers) {
    Device_.AnswersHeldInMemory = held_answers;
    ManagerContext context{survey, config, state, layout,  fonts,   std::move(pressed),
                           Words_, Data_,  sync,  Device_, Export_, WallClockMs()};
    if (state.Current == Screen::PinEntry) {
        DrawPinPad(draw, context);
    } else if (state.Current == Screen::Manager) {
        DrawManager(draw, context);
    }
}

}  // namespace doorstep
