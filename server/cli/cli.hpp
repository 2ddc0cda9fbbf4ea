// Command-line options of doorstep-server and its subcommands, parsed with CLI11.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/http_server.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

inline constexpr std::string_view kDefaultDbUrl = "sqlite:./var/doorstep-server.db";
inline constexpr std::string_view kDefaultListen = "127.0.0.1:8470";

enum class ServerCommand {
    Serve,
    Enroll,
    Revoke,
    Devices,
    Export,
    AddUser,
    AddToken,
    UserStores,
    Purge,
    SurveyPublish,
    SurveyList,
    SurveyRollback,
    Loop  // alerts, alert-rule, recipient, mail: a call of head office's API (loop_cli.hpp)
};

// One call of the loop's API (loop_api.hpp) that a subcommand stands for.
struct LoopCall {
    std::string Method = "GET";
    std::string Path;
    std::map<std::string, std::string> Query;
    std::string Body;  // JSON
    // Instead of Body: this file's text, sent as Content-Type (outcomes import).
    std::string BodyFile;
    std::string ContentType = "application/json";
};

struct ServerCommandLine {
    ServerCommand Which = ServerCommand::Serve;
    std::string DbUrl = std::string(kDefaultDbUrl);
    ServeOptions Serve;                   // serve
    std::string Store;                    // enroll; survey publish/rollback ('' every store)
    std::string Door;                     // enroll; survey publish/rollback ('' every door)
    int64_t ExpiresHours = 24;            // enroll
    std::string DeviceId;                 // revoke
    std::string OutPath;                  // export
    ExportFilter Export;                  // export
    std::string UserName;                 // add-user, add-token
    std::vector<std::string> UserStores;  // add-user, user-stores: --store
    bool ClearUserStores = false;         // user-stores --clear
    std::string TokenLabel;               // add-token
    int64_t PurgeBeforeDay = 0;           // purge: local days before this one go
    bool PurgeConfirmed = false;          // purge --yes; without it, only what would go is printed
    std::string SurveyPath;               // survey publish
    std::optional<int> SurveyTo;          // survey rollback --to
    std::string By;                       // survey publish/rollback: who, for the record
    LoopCall Loop;                        // alerts, alert-rule, recipient, mail
};

// Parses argv. On --help prints usage and sets exit_code 0; on a bad flag or value prints a clear
// error naming it and sets exit_code 2. Returns nothing in both cases.
std::optional<ServerCommandLine> ParseServerCommandLine(int argc, char** argv, int& exit_code);

struct ListenAddress {
    std::string Host;
    int Port = 0;
};
// "127.0.0.1:8470", "0.0.0.0:443", "[::1]:8470", "localhost:0" -> host and port; nothing else.
std::optional<ListenAddress> ParseListenAddress(std::string_view text);

}  // namespace doorstep::server
