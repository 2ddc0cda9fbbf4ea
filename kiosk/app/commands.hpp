// The non-window subcommands of doorstep-kiosk. They share the core with the window.
#pragma once

#include "kiosk/app/cli.hpp"

namespace doorstep {

int RunSimulate(const SimulateOptionsCli& options);
int RunLayout(const LayoutOptionsCli& options);
int RunEnroll(const EnrollOptionsCli& options);
int RunSync(const SyncOptionsCli& options);
int RunSetPin(const SetPinOptionsCli& options);  // manager_commands.cpp
int RunExport(const ExportOptionsCli& options);  // manager_commands.cpp
int RunAlerts(const AlertsOptionsCli& options);  // alert_commands.cpp

}  // namespace doorstep
