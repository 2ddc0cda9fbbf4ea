// Everything manager mode needs beyond the reducer: the PIN vault, the manager's words, the
// figures for the open tab, and the CSV export running on its own thread. Owned by the UI loop;
// the export thread reports back through the task queue only.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "core/base/task_queue.hpp"
#include "core/survey/translations.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/manager/manager_data.hpp"
#include "kiosk/manager/manager_screens.hpp"
#include "kiosk/store/pin_vault.hpp"
#include "kiosk/store/store.hpp"

namespace doorstep {

struct ManagerModeOptions {
    std::string DataDir;
    std::string ExportDir;
    std::string TranslationsPath;
    std::string Language;
    int SurveyVersion = 0;
};

class ManagerMode {
  public:
    ManagerMode(ManagerModeOptions options, Store& store, TaskQueue& tasks);
    ~ManagerMode();
    ManagerMode(const ManagerMode&) = delete;
    ManagerMode& operator=(const ManagerMode&) = delete;

    // Asks the vault; the answer is an event for the reducer.
    Event CheckPin(const std::string& digits, const Clock& now);
    void StartExport();
    // The manager acknowledged or resolved the alert the Alerts tab shows (effect ActOnAlert).
    void ActOnAlert(const Effect& effect);
    // Alerts nobody has acknowledged yet, for the attract screen's staff-only marker; read
    // from the store at most every few seconds.
    int OpenAlertCount(int64_t now_mono_ms);
    // The survey the terminal shows changed (head office pushed one): the device panel says so.
    void SetSurveyVersion(int version) { Device_.SurveyVersion = version; }
    // Reloads the figures when the tab or a filter changed, or they are older than a few seconds.
    void Refresh(const FlowConfig& config, const FlowState& state, int64_t now_mono_ms);

    void Draw(ImDrawList* draw, const Survey& survey, const FlowConfig& config,
              const FlowState& state, const ScreenLayout& layout, const Fonts& fonts,
              std::optional<Target> pressed, const SyncStatus& sync, size_t held_answers);
    const Translations& Words() const { return Words_; }

  private:
    ManagerModeOptions Options_;
    Store& Store_;
    TaskQueue& Tasks_;
    std::optional<PinVault> Vault_;
    std::string VaultProblem_;
    Translations Words_;
    ManagerData Data_;
    std::string DataKey_;
    int64_t DataLoadedMonoMs_ = 0;
    int OpenAlerts_ = 0;
    int64_t AlertsCountedMonoMs_ = 0;
    DeviceFacts Device_;
    ExportState Export_;
    std::thread ExportThread_;
    std::atomic<bool> Stopping_{false};
};

}  // namespace doorstep
