// What the manager's screens show, read from the local store for the open tab and filters. A
// plain cache the window refreshes when the manager changes tab, period or toggle; the figures
// themselves come from the UI-free summary queries (kiosk/store/summary.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/flow/flow.hpp"
#include "kiosk/store/kiosk_alerts.hpp"
#include "kiosk/store/summary.hpp"
#include "kiosk/sync/uploader.hpp"

struct sqlite3;

namespace doorstep {

struct ManagerData {
    std::optional<NeedSummaries> Needs;
    std::optional<LeastMetRanking> LeastMet;
    std::optional<IntentSummary> Intent;
    std::optional<CompletionSummary> Completion;
    std::optional<SuspectSummary> Suspects;
    std::optional<HeatMap> Heat;
    std::optional<CommentPage> Comments;
    std::optional<StaffGap> Gap;
    std::vector<KioskAlert> Alerts;  // the Alerts tab's, as Store::ListAlerts() gives them
    std::string Error;               // plain words when a query failed; the screen says so
};

// The key that decides when the cache is stale: tab, period, toggles, page, heat-map need.
std::string ManagerDataKey(const FlowState& state);

ManagerData LoadManagerData(sqlite3* db, const FlowConfig& config, const FlowState& state,
                            int64_t now_wall_ms);

// Facts about the terminal for the Sync tab.
struct DeviceFacts {
    std::string DeviceId;  // empty: not enrolled
    std::string StoreName;
    std::string Door;
    std::string AppVersion;
    int SurveyVersion = 0;
    long long FreeDiskBytes = -1;
    size_t AnswersHeldInMemory = 0;  // the recorder could not write them yet
};

// What an export in progress (or finished) reports.
struct ExportState {
    bool Running = false;
    int64_t Done = 0;
    int64_t Total = 0;
    std::string Result;  // plain words when finished: where it went, or why it failed
};

}  // namespace doorstep
