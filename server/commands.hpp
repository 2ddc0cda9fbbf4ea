// What each doorstep-server subcommand does, given its parsed options. Each returns the process
// exit status: 0 done, 1 failed (the reason is logged or printed).
#pragma once

#include "cli.hpp"

namespace doorstep::server {

int RunServe(const ServerCommandLine& command);
int RunEnroll(const ServerCommandLine& command);
int RunRevoke(const ServerCommandLine& command);
int RunDevices(const ServerCommandLine& command);
int RunExport(const ServerCommandLine& command);

}  // namespace doorstep::server
