// What each doorstep-server subcommand does, given its parsed options. Each returns the process
// exit status: 0 done, 1 failed (the reason is logged or printed).
#pragma once

#include <memory>

#include "server/cli/cli.hpp"

namespace doorstep::server {

// The store --db names, or nothing after logging why it cannot be opened.
std::unique_ptr<ServerStore> OpenOrReport(const ServerCommandLine& command);

int RunServe(const ServerCommandLine& command);
int RunEnroll(const ServerCommandLine& command);
int RunRevoke(const ServerCommandLine& command);
int RunDevices(const ServerCommandLine& command);
int RunExport(const ServerCommandLine& command);
// Accounts (account_commands.cpp).
int RunAddUser(const ServerCommandLine& command);
int RunAddToken(const ServerCommandLine& command);
int RunUserStores(const ServerCommandLine& command);
int RunPurge(const ServerCommandLine& command);
// survey_commands.cpp
int RunSurveyPublish(const ServerCommandLine& command);
int RunSurveyList(const ServerCommandLine& command);
int RunSurveyRollback(const ServerCommandLine& command);

}  // namespace doorstep::server
