// The real doorstep-server binary as a child process: `serve` on a free loopback port (port 0,
// read back from its "listening" log line), and the one-shot subcommands with their output.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace doorstep::testing {

// Path of the doorstep-server binary under test (from CMake).
const char* ServerBinary();

struct CommandResult {
    int ExitCode = -1;  // -1: did not exit normally
    std::string Stdout;
    std::string Stderr;
};

// Runs `doorstep-server ARGS...` to completion with `stdin_text` as its standard input.
// `scratch_dir` holds its captured input and output.
CommandResult RunServerCommand(const std::vector<std::string>& args, const std::string& scratch_dir,
                               const std::string& stdin_text = "");

class ServerProcess {
  public:
    // Starts `doorstep-server serve --db DB_URL --listen 127.0.0.1:0 EXTRA...` with stderr in
    // LOG_PATH and waits until it names its port. REQUIREs that it does.
    ServerProcess(const std::string& db_url, const std::string& log_path,
                  const std::vector<std::string>& extra_args = {});
    ~ServerProcess();  // SIGKILL if still running
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int Port() const { return Port_; }
    pid_t Pid() const { return Pid_; }
    // Sends `signal` and waits for the exit; returns the exit code (-1 if killed by a signal).
    int StopWith(int signal);
    // Peak resident set size (VmHWM) in KiB, from /proc.
    long PeakRssKiB() const;
    std::string Log() const;

  private:
    pid_t Pid_ = -1;
    int Port_ = 0;
    std::string LogPath_;
};

}  // namespace doorstep::testing
