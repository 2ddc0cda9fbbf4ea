// doorstep-server's subcommands for closing the loop, each one call of head office's API
// (loop_api.hpp) made in-process, so the command line checks and answers exactly as the API:
//   alerts list|times|show|ack|resolve, alert-rule add|list|remove, recipient add|list|remove,
//   mail list
// and the flags of `serve` that set up mail (--smtp-url and its company).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "server/cli/cli.hpp"

namespace doorstep::server {

// Flags of `serve` for mail, read into `flags` and finished by FinishMailFlags().
struct MailFlags {
    std::string SmtpUrl;
    std::string From;
    std::string User;
    std::string PasswordFile;
    std::string Tls = "try";
    std::string CaFile;
    std::string DashboardUrl;
    int64_t RetrySeconds = 30;
    int64_t AlertGoalMinutes = kDefaultAlertGoalMinutes;
    int64_t ScanSeconds = 2;
};

void AddMailFlags(CLI::App& serve, MailFlags& flags);
// Sets serve's mail options from the flags; the problem naming the flag, or nothing.
std::optional<std::string> FinishMailFlags(const MailFlags& flags, ServeOptions& serve);

// Adds the subcommands; the one given fills parsed.Loop and sets parsed.Which to Loop.
// `add_db` adds --db to a subcommand.
void AddLoopCommands(CLI::App& app, ServerCommandLine& parsed,
                     const std::function<void(CLI::App&)>& add_db);

// outcomes import|list, linkage, drivers: the calls of linkage_api.hpp (linkage_cli.cpp).
void AddLinkageCommands(CLI::App& app, ServerCommandLine& parsed,
                        const std::function<void(CLI::App&)>& add_db);

// Makes the call (loop_api.hpp or linkage_api.hpp); prints the answer (JSON, or CSV as it is) on
// stdout, or its error (every refused line of an import) on stderr. prints the answer (JSON) on
// stdout, or its error on stderr. 0, 1 when the server side failed, 2 for a refused request.
int RunLoopCall(const ServerCommandLine& command);

}  // namespace doorstep::server
