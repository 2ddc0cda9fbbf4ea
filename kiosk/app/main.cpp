// doorstep-kiosk: the terminal at the store's door, and its command-line subcommands.
#include <SDL.h>  // SDL_main is not used; SDL_MAIN_HANDLED keeps our own main()

#include "kiosk/app/cli.hpp"
#include "kiosk/app/commands.hpp"
#include "kiosk/app/kiosk_app.hpp"
#include "kiosk/sync/http_client.hpp"

int main(int argc, char** argv) {
    int exit_code = 0;
    std::optional<doorstep::ParsedCommandLine> command =
        doorstep::ParseCommandLine(argc, argv, exit_code);
    if (!command) {
        return exit_code;
    }
    doorstep::InitHttpOnce();  // before any thread starts, as libcurl requires
    switch (command->Which) {
        case doorstep::Command::Simulate:
            return doorstep::RunSimulate(command->Simulate);
        case doorstep::Command::Layout:
            return doorstep::RunLayout(command->Layout);
        case doorstep::Command::Enroll:
            return doorstep::RunEnroll(command->Enroll);
        case doorstep::Command::Sync:
            return doorstep::RunSync(command->Sync);
        case doorstep::Command::SetPin:
            return doorstep::RunSetPin(command->SetPin);
        case doorstep::Command::Export:
            return doorstep::RunExport(command->Export);
        case doorstep::Command::Alerts:
            return doorstep::RunAlerts(command->Alerts);
        case doorstep::Command::Run:
            break;
    }
    return doorstep::RunKiosk(command->Run);
}
