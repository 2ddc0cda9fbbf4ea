// doorstep-fault-proxy: a loopback TCP proxy that misbehaves on purpose, so tests can prove the
// kiosk loses and duplicates nothing when the network drops, stalls or lies. See fault_plan.hpp
// for the plan syntax and relay.hpp for how bytes move.
//
// The main thread accepts connections, picks each one's behaviour (in accept order, so a seed
// reproduces the run) and hands it to a detached thread. Stats are written after every accept,
// after every finished connection and on SIGTERM/SIGINT, which then exit 0.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <system_error>
#include <thread>

#include "behaviours.hpp"
#include "fault_plan.hpp"
#include "net.hpp"

namespace doorstep::fault {
namespace {

struct Options {
    Endpoint Listen;
    Endpoint Upstream;
    std::string PlanText;
    uint64_t Seed = 1;
    std::string StatsPath;
    std::string PortFile;
};

// Connection counts, shared by the accept loop and the connection threads.
class Stats {
  public:
    explicit Stats(std::string path) : Path_(std::move(path)) {}

    void Accepted(const std::string& behaviour) {
        std::lock_guard lock(Mutex_);
        ++Connections_;
        ++Behaviours_[behaviour];
        WriteLocked();
    }
    void Finished(bool upstream_failed) {
        std::lock_guard lock(Mutex_);
        ++Finished_;
        UpstreamFailures_ += upstream_failed ? 1 : 0;
        WriteLocked();
    }
    void Write() {
        std::lock_guard lock(Mutex_);
        WriteLocked();
    }

  private:
    void WriteLocked() {
        if (Path_.empty()) {
            return;
        }
        // Behaviour keys are plan specs, which the plan parser limits to [a-z0-9_:], so they
        // need no JSON escaping.
        std::string json = "{\"connections\":" + std::to_string(Connections_) +
                           ",\"finished\":" + std::to_string(Finished_) +
                           ",\"upstream_failures\":" + std::to_string(UpstreamFailures_) +
                           ",\"behaviours\":{";
        const char* separator = "";
        for (const auto& [name, count] : Behaviours_) {
            json += separator + ("\"" + name + "\":" + std::to_string(count));
            separator = ",";
        }
        json += "}}\n";
        std::string error;
        if (!WriteFileAtomically(Path_, json, error)) {
            std::cerr << "doorstep-fault-proxy: cannot write stats: " << error << "\n";
        }
    }

    std::mutex Mutex_;
    std::string Path_;
    int64_t Connections_ = 0;
    int64_t Finished_ = 0;
    int64_t UpstreamFailures_ = 0;
    std::map<std::string, int64_t> Behaviours_;  // sorted: stable output for tests to diff
};

std::mutex LogMutex;  // connection threads finish together: one whole line at a time

void Log(const std::string& message) {
    std::lock_guard lock(LogMutex);
    std::cerr << "doorstep-fault-proxy: " << message << std::endl;
}

CLI::Validator LoopbackValidator() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            std::string error;
            return ParseLoopbackEndpoint(value, error) ? std::string() : error;
        },
        "");  // the option's type_name says HOST:PORT
}

int Serve(const Options& options, Plan plan) {
    const int stop_fd = InstallStopSignalPipe();
    std::string error;
    uint16_t port = 0;
    Fd listener = ListenOn(options.Listen, port, error);
    if (!listener.Valid() || stop_fd < 0) {
        std::cerr << "doorstep-fault-proxy: cannot listen: " << error << "\n";
        return 1;
    }
    Stats stats(options.StatsPath);
    stats.Write();  // an empty record exists from the start, so a reader never finds nothing
    if (!options.PortFile.empty() &&
        !WriteFileAtomically(options.PortFile, std::to_string(port) + "\n", error)) {
        std::cerr << "doorstep-fault-proxy: cannot write the port file: " << error << "\n";
        return 1;
    }
    Endpoint bound{options.Listen.Address, port};
    std::cerr << "doorstep-fault-proxy: listening on " << bound.ToString() << ", upstream "
              << options.Upstream.ToString() << ", plan " << options.PlanText << ", seed "
              << options.Seed << std::endl;

    std::mt19937_64 random(options.Seed);
    uint64_t accepted = 0;
    for (;;) {
        pollfd fds[2] = {{listener.Get(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0 && errno != EINTR) {
            std::perror("doorstep-fault-proxy: poll");
            return 1;
        }
        if (fds[1].revents != 0) {
            break;
        }
        if ((fds[0].revents & POLLIN) == 0) {
            continue;
        }
        Fd client(accept4(listener.Get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!client.Valid()) {
            // Out of descriptors or the client already gone: wait a moment, never spin or die.
            if (errno != EINTR && errno != ECONNABORTED) {
                std::perror("doorstep-fault-proxy: accept");
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            continue;
        }
        int on = 1;
        setsockopt(client.Get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
        const uint64_t index = ++accepted;
        const Behaviour& behaviour = plan.Next(random);
        const uint64_t connection_seed = random();  // jitter stream, fixed by --seed
        stats.Accepted(behaviour.Spec);
        try {
            std::thread([&stats, &options, behaviour, index, connection_seed,
                         client = std::move(client)]() mutable {
                ConnectionOutcome outcome =
                    RunConnection(std::move(client), behaviour, options.Upstream, connection_seed);
                Log("connection " + std::to_string(index) + " " + behaviour.Spec + ": " +
                    outcome.Description);
                stats.Finished(outcome.UpstreamFailed);
            }).detach();
        } catch (const std::system_error& failure) {
            // Out of threads: the lambda (and the client socket in it) is already gone, so the
            // client sees its connection closed. Counted as finished, the proxy goes on.
            Log("connection " + std::to_string(index) + ": no thread (" + failure.what() + ")");
            stats.Finished(false);
        }
    }
    stats.Write();
    std::cerr << "doorstep-fault-proxy: stopping" << std::endl;
    // Connection threads may be mid-relay and hold references to stats and options; exiting
    // without unwinding (the kernel closes every socket) is prompt and cannot race them.
    std::cerr.flush();
    _exit(0);
}

}  // namespace
}  // namespace doorstep::fault

int main(int argc, char** argv) {
    using namespace doorstep::fault;
    CLI::App app{
        "Loopback TCP proxy that injects network faults per connection, for Doorstep's tests.",
        "doorstep-fault-proxy"};
    std::string listen_text;
    std::string upstream_text;
    Options options;
    app.add_option("--listen", listen_text, "Where to listen, HOST:PORT on loopback (port 0: any)")
        ->required()
        ->type_name("HOST:PORT")
        ->check(LoopbackValidator());
    app.add_option("--upstream", upstream_text, "The real server, HOST:PORT on loopback")
        ->required()
        ->type_name("HOST:PORT")
        ->check(LoopbackValidator());
    app.add_option("--plan", options.PlanText,
                   std::string("Comma-separated behaviours for successive connections, cycling: ") +
                       kPlanHelp)
        ->type_name("PLAN")
        ->required();
    app.add_option("--seed", options.Seed, "Seed for random: choices and latency jitter")
        ->capture_default_str();
    app.add_option("--stats", options.StatsPath, "Write connection counts here as JSON")
        ->type_name("FILE");
    app.add_option("--port-file", options.PortFile,
                   "Write the listening port here once it accepts (atomically)")
        ->type_name("FILE");
    app.footer(
        "Behaviours apply per TCP connection, not per HTTP request: a keep-alive client sends\n"
        "its later requests through the same behaviour (close_after_* counts bytes over all of\n"
        "them). drop_response, reset_mid_response and status handle the first request only,\n"
        "then close, so the next request opens a new connection and meets the next entry.\n"
        "--stats JSON: {\"connections\":N,\"finished\":N,\"upstream_failures\":N,\n"
        "\"behaviours\":{\"SPEC\":N,...}}, keyed by each behaviour as written in the plan.\n"
        "Only loopback addresses are accepted. SIGTERM/SIGINT write the stats and exit 0.");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        int code = app.exit(error);  // prints help or the error message
        return code == 0 ? 0 : 2;
    }
    std::string error;
    options.Listen = *ParseLoopbackEndpoint(listen_text, error);
    options.Upstream = *ParseLoopbackEndpoint(upstream_text, error);
    if (options.Upstream.Port == 0) {
        std::cerr << "--upstream: the upstream port must not be 0\n";
        return 2;
    }
    std::optional<Plan> plan = Plan::Parse(options.PlanText, error);
    if (!plan) {
        std::cerr << "--plan: " << error << "\n";
        return 2;
    }
    return Serve(options, std::move(*plan));
}
