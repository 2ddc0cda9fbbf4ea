// doorstep-server: head office's end of sync, and its command-line tools.
#include <sodium.h>

#include <iostream>

#include "server/cli/cli.hpp"
#include "server/cli/commands.hpp"
#include "server/cli/loop_cli.hpp"

int main(int argc, char** argv) {
    if (sodium_init() < 0) {  // once, before any thread: codes, ids and secrets need its RNG
        std::cerr << "doorstep-server: libsodium could not start (no system randomness?)\n";
        return 1;
    }
    int exit_code = 0;
    std::optional<doorstep::server::ServerCommandLine> command =
        doorstep::server::ParseServerCommandLine(argc, argv, exit_code);
    if (!command) {
        return exit_code;
    }
    using doorstep::server::ServerCommand;
    switch (command->Which) {
        case ServerCommand::Serve:
            return doorstep::server::RunServe(*command);
        case ServerCommand::Enroll:
            return doorstep::server::RunEnroll(*command);
        case ServerCommand::Revoke:
            return doorstep::server::RunRevoke(*command);
        case ServerCommand::Devices:
            return doorstep::server::RunDevices(*command);
        case ServerCommand::Export:
            return doorstep::server::RunExport(*command);
        case ServerCommand::AddUser:
            return doorstep::server::RunAddUser(*command);
        case ServerCommand::UserStores:
            return doorstep::server::RunUserStores(*command);
        case ServerCommand::AddToken:
            return doorstep::server::RunAddToken(*command);
        case ServerCommand::Purge:
            return doorstep::server::RunPurge(*command);
        case ServerCommand::SurveyPublish:
            return doorstep::server::RunSurveyPublish(*command);
        case ServerCommand::SurveyList:
            return doorstep::server::RunSurveyList(*command);
        case ServerCommand::SurveyRollback:
            return doorstep::server::RunSurveyRollback(*command);
        case ServerCommand::Loop:
            return doorstep::server::RunLoopCall(*command);
    }
    return 2;
}
