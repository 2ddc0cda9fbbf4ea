#include "server_process.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

extern char** environ;

namespace doorstep::testing {
namespace {

std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Spawns the server binary with stdin read from, and stdout and stderr sent to, the given files.
pid_t Spawn(const std::vector<std::string>& args, const std::string& stdout_path,
            const std::string& stderr_path, const std::string& stdin_path = "/dev/null") {
    std::vector<std::string> argv_strings = {ServerBinary()};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : argv_strings) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, stdin_path.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
    pid_t pid = -1;
    int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE_MESSAGE(spawned == 0, "cannot start " << ServerBinary());
    return pid;
}

int ExitCodeOf(int wait_status) {
    return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
}

}  // namespace

const char* ServerBinary() {
    return DOORSTEP_SERVER_BINARY;
}

CommandResult RunServerCommand(const std::vector<std::string>& args, const std::string& scratch_dir,
                               const std::string& stdin_text) {
    std::string out_path = scratch_dir + "/command.out";
    std::string err_path = scratch_dir + "/command.err";
    std::string in_path = scratch_dir + "/command.in";
    ::unlink(err_path.c_str());
    std::ofstream(in_path, std::ios::binary | std::ios::trunc) << stdin_text;
    pid_t pid = Spawn(args, out_path, err_path, in_path);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    return CommandResult{ExitCodeOf(status), ReadFile(out_path), ReadFile(err_path)};
}

ServerProcess::ServerProcess(const std::string& db_url, const std::string& log_path,
                             const std::vector<std::string>& extra_args)
    : LogPath_(log_path) {
    std::vector<std::string> args = {"serve", "--db", db_url, "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    ::unlink(log_path.c_str());
    Pid_ = Spawn(args, "/dev/null", log_path);
    // The server logs `msg=listening ... port=N` once its socket accepts connections. The
    // deadline only keeps a broken build from hanging the suite; nothing here measures time.
    const std::regex listening(R"(msg=listening .*port=(\d+))");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        std::smatch match;
        std::string log = ReadFile(log_path);
        if (std::regex_search(log, match, listening)) {
            Port_ = std::stoi(match[1]);
            return;
        }
        int status = 0;
        if (::waitpid(Pid_, &status, WNOHANG) == Pid_) {
            Pid_ = -1;
            FAIL("doorstep-server exited at start:\n" << log);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL("doorstep-server did not start listening:\n" << ReadFile(log_path));
}

ServerProcess::~ServerProcess() {
    if (Pid_ > 0) {
        ::kill(Pid_, SIGKILL);
        ::waitpid(Pid_, nullptr, 0);
    }
}

int ServerProcess::StopWith(int signal) {
    REQUIRE(Pid_ > 0);
    ::kill(Pid_, signal);
    int status = 0;
    REQUIRE(::waitpid(Pid_, &status, 0) == Pid_);
    Pid_ = -1;
    return ExitCodeOf(status);
}

long ServerProcess::PeakRssKiB() const {
    std::ifstream status("/proc/" + std::to_string(Pid_) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

std::string ServerProcess::Log() const {
    return ReadFile(LogPath_);
}

}  // namespace doorstep::testing
