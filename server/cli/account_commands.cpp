// doorstep-server add-user and add-token.
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include "core/base/clock.hpp"
#include "core/base/log.hpp"
#include "server/accounts/accounts.hpp"
#include "server/cli/commands.hpp"

namespace doorstep::server {
namespace {

// One line from standard input, without echo when it is a terminal.
std::string ReadSecretLine(const char* prompt) {
    bool terminal = isatty(STDIN_FILENO) != 0;
    termios saved{};
    if (terminal) {
        std::cerr << prompt << std::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::cerr << "\n";
    }
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

}  // namespace

int RunAddUser(const ServerCommandLine& command) {
    if (std::optional<std::string> problem = UserNameProblem(command.UserName)) {
        std::cerr << "doorstep-server add-user: " << *problem << "\n";
        return 2;
    }
    std::string password = ReadSecretLine("Password: ");
    if (isatty(STDIN_FILENO) != 0 && ReadSecretLine("Password again: ") != password) {
        std::cerr << "doorstep-server add-user: the two passwords differ; nothing was created\n";
        return 2;
    }
    std::unique_ptr<ServerStore> store = OpenOrReport(command);
    if (!store) {
        return 1;
    }
    Result<UserRecord> user = CreateUser(*store, command.UserName, password, WallClockMs());
    if (!user.Ok()) {
        std::cerr << "doorstep-server add-user: " << user.Err().Message << "\n";
        return user.Err().Code == 0 ? 2 : 1;
    }
    if (!command.UserStores.empty()) {
        Result<bool> set = store->SetUserStores(user->Name, command.UserStores);
        if (!set.Ok() || !*set) {
            std::cerr << "doorstep-server add-user: created " << user->Name
                      << " but cannot set their stores: "
                      << (set.Ok() ? "the user is gone" : set.Err().Message) << "\n";
            return 1;
        }
    }
    std::cerr << "Created user " << user->Name << ". They can sign in on the dashboard now.\n";
    return 0;
}

int RunUserStores(const ServerCommandLine& command) {
    std::unique_ptr<ServerStore> store = OpenOrReport(command);
    if (!store) {
        return 1;
    }
    Result<std::optional<UserRecord>> user = store->FindUser(command.UserName);
    if (!user.Ok()) {
        std::cerr << "doorstep-server user-stores: " << user.Err().Message << "\n";
        return 1;
    }
    if (!user->has_value()) {
        std::cerr << "doorstep-server user-stores: no user " << command.UserName
                  << "; make one with `doorstep-server add-user --name " << command.UserName
                  << "`\n";
        return 2;
    }
    if (!command.UserStores.empty() || command.ClearUserStores) {
        Result<bool> set = store->SetUserStores(command.UserName, command.UserStores);
        if (!set.Ok() || !*set) {
            std::cerr << "doorstep-server user-stores: "
                      << (set.Ok() ? "no user " + command.UserName : set.Err().Message) << "\n";
            return set.Ok() ? 2 : 1;
        }
    }
    Result<std::vector<std::string>> stores = store->ListUserStores(command.UserName);
    if (!stores.Ok()) {
        std::cerr << "doorstep-server user-stores: " << stores.Err().Message << "\n";
        return 1;
    }
    for (const std::string& name : *stores) {
        std::cout << name << "\n";  // one a line, for scripts
    }
    std::cerr << command.UserName << " may see the customers' contacts of "
              << (stores->empty() ? "no store" : std::to_string(stores->size()) + " store(s)")
              << ".\n";
    return 0;
}

int RunAddToken(const ServerCommandLine& command) {
    std::unique_ptr<ServerStore> store = OpenOrReport(command);
    if (!store) {
        return 1;
    }
    Result<IssuedToken> token =
        CreateApiToken(*store, command.UserName, command.TokenLabel, WallClockMs());
    if (!token.Ok()) {
        std::cerr << "doorstep-server add-token: " << token.Err().Message << "\n";
        return token.Err().Code == 0 ? 2 : 1;
    }
    // The token alone on stdout, for scripts; it is not stored and cannot be shown again.
    std::cout << token->Token << "\n";
    std::cerr << "API token '" << command.TokenLabel << "' for " << command.UserName
              << ": send it as 'Authorization: Bearer TOKEN'. Keep it secret; it is shown once.\n";
    return 0;
}

}  // namespace doorstep::server
