// --config FILE (JSON): keys are long flags, the command line wins, a key reaches the same flag in
// subcommands, and every bad file is refused with exit code 2 and a message naming file and key.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "core/service/json_config.hpp"
#include "store_fixtures.hpp"

using namespace doorstep;
using doorstep::testing::TempDir;

namespace {

// A small command tree shaped like the kiosk's: options of each JSON kind, one flag, and a
// subcommand sharing --data-dir.
struct Commands {
    CLI::App App{"test", "doorstep-test"};
    CLI::App* Sync = nullptr;
    std::string DataDir = "/default";
    std::string SyncDataDir = "/default";
    std::string Door = "entrance";
    double IdleTimeout = 20;
    int KeepDays = 30;
    bool Verbose = false;
    int SyncAttempts = 5;

    explicit Commands(const std::string& default_config = "") {
        App.add_option("--data-dir", DataDir);
        App.add_option("--door", Door);
        App.add_option("--idle-timeout", IdleTimeout)->check(CLI::Range(5.0, 600.0));
        App.add_option("--keep-synced-days", KeepDays)->check(CLI::Range(1, 3650));
        App.add_flag("--verbose", Verbose);
        Sync = App.add_subcommand("sync");
        Sync->add_option("--data-dir", SyncDataDir);
        Sync->add_option("--attempts", SyncAttempts);
        AddJsonConfig(App, App, default_config);
    }
};

struct Outcome {
    std::optional<int> ExitCode;
    std::string Errors;
};

Outcome Parse(Commands& commands, std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), "doorstep-test");
    std::vector<char*> argv;
    for (std::string& argument : arguments) {
        argv.push_back(argument.data());
    }
    std::ostringstream captured;
    std::streambuf* original = std::cerr.rdbuf(captured.rdbuf());
    Outcome outcome;
    outcome.ExitCode = ParseArguments(commands.App, static_cast<int>(argv.size()), argv.data());
    std::cerr.rdbuf(original);
    outcome.Errors = captured.str();
    return outcome;
}

std::string WriteFile(const TempDir& dir, const std::string& text) {
    std::string path = dir.File("kiosk.json");
    std::ofstream(path) << text;
    return path;
}

// Parses with the file and expects exit code 2 with both the file and `key` in the message.
void ExpectRefused(const std::string& text, const std::string& key) {
    TempDir dir;
    std::string path = WriteFile(dir, text);
    Commands commands;
    Outcome outcome = Parse(commands, {"--config", path});
    CAPTURE(text);
    CAPTURE(outcome.Errors);
    REQUIRE(outcome.ExitCode.has_value());
    CHECK(*outcome.ExitCode == 2);
    CHECK(outcome.Errors.find(path) != std::string::npos);
    CHECK(outcome.Errors.find(key) != std::string::npos);
}

}  // namespace

TEST_CASE("config: each key sets its flag, and the command line wins") {
    TempDir dir;
    std::string path = WriteFile(dir, R"({"data-dir": "/srv/doorstep", "door": "checkout",
        "idle-timeout": 30, "keep-synced-days": 7, "verbose": true})");
    Commands commands;
    Outcome outcome = Parse(commands, {"--config", path, "--door", "service desk"});
    REQUIRE_FALSE(outcome.ExitCode.has_value());
    CHECK(commands.DataDir == "/srv/doorstep");
    CHECK(commands.Door == "service desk");
    CHECK(commands.IdleTimeout == 30.0);
    CHECK(commands.KeepDays == 7);
    CHECK(commands.Verbose);
}

TEST_CASE("config: a flag set to false in the file stays off") {
    TempDir dir;
    Commands commands;
    REQUIRE_FALSE(Parse(commands, {"--config", WriteFile(dir, R"({"verbose": false})")})
                      .ExitCode.has_value());
    CHECK_FALSE(commands.Verbose);
}

TEST_CASE("config: a key reaches the same flag of a subcommand, unless given there") {
    TempDir dir;
    std::string path = WriteFile(dir, R"({"data-dir": "/srv/doorstep"})");
    {
        Commands commands;
        REQUIRE_FALSE(Parse(commands, {"--config", path, "sync"}).ExitCode.has_value());
        CHECK(commands.SyncDataDir == "/srv/doorstep");
    }
    {
        Commands commands;
        REQUIRE_FALSE(Parse(commands, {"--config", path, "sync", "--data-dir", "/elsewhere"})
                          .ExitCode.has_value());
        CHECK(commands.SyncDataDir == "/elsewhere");
    }
}

TEST_CASE("config: the default file is read when present and skipped when absent") {
    TempDir dir;
    {
        Commands commands(dir.File("absent.json"));
        REQUIRE_FALSE(Parse(commands, {}).ExitCode.has_value());
        CHECK(commands.Door == "entrance");
    }
    {
        Commands commands(WriteFile(dir, R"({"door": "checkout"})"));
        REQUIRE_FALSE(Parse(commands, {}).ExitCode.has_value());
        CHECK(commands.Door == "checkout");
    }
}

TEST_CASE("config: a file named with --config must exist") {
    TempDir dir;
    Commands commands;
    Outcome outcome = Parse(commands, {"--config", dir.File("absent.json")});
    REQUIRE(outcome.ExitCode.has_value());
    CHECK(*outcome.ExitCode == 2);
    CHECK(outcome.Errors.find(dir.File("absent.json")) != std::string::npos);
}

TEST_CASE("config: unknown keys, wrong types and bad values name the file and the key") {
    ExpectRefused(R"({"idle-timout": 30})", "idle-timout");
    ExpectRefused(R"({"attempts": 3})", "attempts");  // a subcommand's flag, not the main one's
    ExpectRefused(R"({"config": "/etc/other.json"})", "config");
    ExpectRefused(R"({"help": true})", "help");
    ExpectRefused(R"({"idle-timeout": "30"})", "idle-timeout");
    ExpectRefused(R"({"keep-synced-days": 7.5})", "keep-synced-days");
    ExpectRefused(R"({"door": 5})", "door");
    ExpectRefused(R"({"door": null})", "door");
    ExpectRefused(R"({"verbose": "yes"})", "verbose");
    ExpectRefused(R"({"idle-timeout": 3})", "idle-timeout");
    ExpectRefused(R"({"keep-synced-days": 0})", "keep-synced-days");
}

TEST_CASE("config: a file that is not one JSON object is refused") {
    ExpectRefused(R"({"door": "checkout",)", "not valid JSON");
    ExpectRefused(R"(["door", "checkout"])", "one JSON object");
}

TEST_CASE("config: what config_to_str writes reads back as the same settings") {
    Commands original;
    REQUIRE_FALSE(Parse(original, {"--data-dir", "/srv/d", "--door", "side door", "--idle-timeout",
                                   "42.5", "--keep-synced-days", "9", "--verbose"})
                      .ExitCode.has_value());
    TempDir dir;
    std::string path = WriteFile(dir, original.App.config_to_str(true, false));
    Commands copy;
    Outcome outcome = Parse(copy, {"--config", path});
    CAPTURE(outcome.Errors);
    REQUIRE_FALSE(outcome.ExitCode.has_value());
    CHECK(copy.DataDir == "/srv/d");
    CHECK(copy.Door == "side door");
    CHECK(copy.IdleTimeout == 42.5);
    CHECK(copy.KeepDays == 9);
    CHECK(copy.Verbose);
}
