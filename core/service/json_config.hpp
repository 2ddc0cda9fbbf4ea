// `--config FILE` for CLI11: a JSON object whose keys are the long flags of one command without
// their dashes, e.g. {"data-dir": "/var/lib/doorstep", "idle-timeout": 30}. Every flag that
// command has is a key, with no list to keep up to date. Flags on the command line win over the
// file. An unknown key, a value of the wrong JSON type or a value the flag itself refuses stops
// the parse with an error that names the file and the key (exit code 2 via ParseArguments).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace doorstep {

// Adds --config FILE to `app`. The file's keys configure `configured` (`app` itself, or one of
// its subcommands); any other subcommand with a flag of the same name takes the value too, so
// `doorstep-kiosk enroll` writes to the data directory the kiosk runs on. `default_path` is read
// when it exists and skipped silently when it does not (empty: no default); a file named with
// --config must exist.
void AddJsonConfig(CLI::App& app, CLI::App& configured, const std::string& default_path);

// Parses argv. Nothing when the command should run; otherwise the exit code, after printing the
// help or version (0) or the error (2).
std::optional<int> ParseArguments(CLI::App& app, int argc, char** argv);

}  // namespace doorstep
