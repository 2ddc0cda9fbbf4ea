// smtp_sink.py (a real SMTP server, aiosmtpd) as a child process on a free loopback port, and
// the messages it kept.
#pragma once

#include <doctest/doctest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace doorstep::testing {

class SmtpSink {
  public:
    // `dir` must exist; `args` go to smtp_sink.py (--refuse-data 2, --hold 4, ...).
    explicit SmtpSink(std::string dir, std::vector<std::string> args = {}) : Dir_(std::move(dir)) {
        std::filesystem::create_directories(Dir_);
        std::vector<std::string> argv_strings = {"/usr/bin/python3", DOORSTEP_SMTP_SINK, "--dir",
                                                 Dir_};
        argv_strings.insert(argv_strings.end(), args.begin(), args.end());
        std::vector<char*> argv;
        argv.reserve(argv_strings.size() + 1);
        for (std::string& arg : argv_strings) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        REQUIRE(posix_spawn(&Pid_, argv[0], nullptr, nullptr, argv.data(), nullptr) == 0);
        for (int tries = 0; tries < 200 && Port_ == 0; ++tries) {
            std::ifstream(Dir_ + "/port") >> Port_;
            if (Port_ == 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
        REQUIRE_MESSAGE(Port_ != 0, "smtp_sink.py did not start (is python3-aiosmtpd installed?)");
    }
    ~SmtpSink() {
        ::kill(Pid_, SIGTERM);
        int status = 0;
        ::waitpid(Pid_, &status, 0);
    }
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    int Port() const { return Port_; }
    std::string Url() const { return "smtp://127.0.0.1:" + std::to_string(Port_); }

    // The kept messages, oldest first, with the recipients of each.
    std::vector<std::pair<std::string, std::string>> Messages() const {
        std::vector<std::pair<std::string, std::string>> kept;
        for (int number = 1;; ++number) {
            char base[16];
            std::snprintf(base, sizeof base, "/%03d", number);
            std::ifstream message(Dir_ + base + ".eml", std::ios::binary);
            if (!message) {
                return kept;
            }
            std::ostringstream bytes;
            bytes << message.rdbuf();
            std::ifstream rcpt(Dir_ + base + ".rcpt");
            std::string to;
            std::getline(rcpt, to);
            kept.emplace_back(to, bytes.str());
        }
    }

    // Waits up to `seconds` for at least `count` messages; returns what is kept then.
    std::vector<std::pair<std::string, std::string>> WaitFor(size_t count, int seconds = 30) const {
        for (int tenth = 0; tenth < seconds * 10 && Messages().size() < count; ++tenth) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return Messages();
    }

  private:
    std::string Dir_;
    pid_t Pid_ = -1;
    int Port_ = 0;
};

}  // namespace doorstep::testing
