// `doorstep-kiosk set-pin` and `doorstep-kiosk export`: what a store manager (or whoever has a
// shell on the terminal) does without the touch screen.
#include <signal.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <string>

#include "core/base/paths.hpp"
#include "kiosk/app/commands.hpp"
#include "kiosk/store/local_export.hpp"
#include "kiosk/store/pin_vault.hpp"
#include "kiosk/store/store.hpp"

namespace doorstep {
namespace {

constexpr size_t kMaxEntryBytes = 64;  // far more than any PIN; bounds what a pipe can feed us

// The terminal's settings while echo is off, for the signal handler to put back: Ctrl-C at the
// prompt must not leave the operator's shell without echo.
struct termios SavedTerminal;
volatile sig_atomic_t EchoIsOff = 0;

void RestoreTerminalAndDie(int signal_number) {
    if (EchoIsOff != 0) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &SavedTerminal);  // async-signal-safe
    }
    ::signal(signal_number, SIG_DFL);
    ::raise(signal_number);
}

// Turns echo off on stdin (a terminal) for its lifetime.
class EchoOff {
  public:
    EchoOff() {
        if (::tcgetattr(STDIN_FILENO, &SavedTerminal) != 0) {
            return;
        }
        for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
            ::signal(signal_number, RestoreTerminalAndDie);
        }
        struct termios quiet = SavedTerminal;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        quiet.c_lflag |= ECHONL;  // the Enter key still moves to the next line
        EchoIsOff = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0 ? 1 : 0;
    }
    ~EchoOff() {
        if (EchoIsOff != 0) {
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &SavedTerminal);
            EchoIsOff = 0;
        }
        for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
            ::signal(signal_number, SIG_DFL);
        }
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;
};

// One line from stdin, without its line end; nothing at the end of input. Read a byte at a time
// so nothing after the line is swallowed into a buffer.
std::optional<std::string> ReadLine() {
    std::string line;
    for (;;) {
        char c = 0;
        ssize_t n = ::read(STDIN_FILENO, &c, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            if (line.empty()) {
                return std::nullopt;
            }
            break;
        }
        if (c == '\n') {
            break;
        }
        if (line.size() < kMaxEntryBytes) {
            line.push_back(c);
        }
    }
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

// The PIN as typed at a prompt with echo off, or as the next line of stdin when stdin is not a
// terminal (scripts, tests). Never from argv or the environment, which other users can read.
std::optional<std::string> ReadPin(const char* prompt) {
    if (::isatty(STDIN_FILENO) == 0) {
        return ReadLine();
    }
    std::fputs(prompt, stderr);
    std::fflush(stderr);
    EchoOff quiet;
    return ReadLine();
}

void Wipe(std::optional<std::string>& secret) {
    if (secret && !secret->empty()) {
        sodium_memzero(secret->data(), secret->size());
    }
}

int SetPinFailed(const std::string& message) {
    std::fprintf(stderr, "doorstep-kiosk set-pin: %s\n", message.c_str());
    return 1;
}

}  // namespace

int RunSetPin(const SetPinOptionsCli& options) {
    std::optional<std::string> first = ReadPin("New manager PIN (4-8 digits): ");
    if (!first) {
        return SetPinFailed(
            "no PIN given; type it twice at the prompt, or give it on two lines of standard "
            "input. Nothing changed");
    }
    if (std::string problem = DescribePinProblem(*first); !problem.empty()) {
        Wipe(first);
        return SetPinFailed(problem + ". Nothing changed");
    }
    std::optional<std::string> second = ReadPin("The same PIN again: ");
    bool same = second.has_value() && *second == *first;
    Wipe(second);
    if (!same) {
        Wipe(first);
        return SetPinFailed("the two PINs do not match. Nothing changed");
    }
    if (Status dir = EnsurePrivateDirectory(options.DataDir); !dir.Ok()) {
        Wipe(first);
        return SetPinFailed(dir.Err().Message);
    }
    Result<std::unique_ptr<Store>> store = Store::Open(options.DataDir + "/kiosk.db");
    if (!store.Ok()) {
        Wipe(first);
        return SetPinFailed(store.Err().Message);
    }
    Result<PinVault> vault = PinVault::Open(**store, options.DataDir);
    if (!vault.Ok()) {
        Wipe(first);
        return SetPinFailed(vault.Err().Message);
    }
    Status set = vault->SetPin(*first);
    Wipe(first);
    if (!set.Ok()) {
        return SetPinFailed(set.Err().Message);
    }
    std::printf("manager PIN set for %s; any lockout is cleared\n", options.DataDir.c_str());
    return 0;
}

int RunExport(const ExportOptionsCli& options) {
    bool show_progress = ::isatty(STDERR_FILENO) != 0;
    int64_t exported = 0;
    Status written = ExportResponsesCsv(
        options.DataDir + "/kiosk.db", options.OutPath, [&](int64_t done, int64_t total) {
            exported = done;
            if (show_progress) {
                std::fprintf(stderr, "\rexporting %lld of %lld", static_cast<long long>(done),
                             static_cast<long long>(total));
            }
            return true;
        });
    if (show_progress) {
        std::fputc('\n', stderr);
    }
    if (!written.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk export: %s\n", written.Err().Message.c_str());
        return 1;
    }
    std::printf("exported %lld responses to %s\n", static_cast<long long>(exported),
                options.OutPath.c_str());
    return 0;
}

}  // namespace doorstep
