// doorstep-echo-server: the smallest HTTP/1.1 server the fault proxy's test needs. It answers
// every request with the same 200 JSON body and counts the requests it has read in full, so a
// test can tell "the server never saw it" from "the server saw it but the answer was lost".
//
// The count is written (atomically) before the answer is sent: that is the order a real server
// commits and then replies in, and the order drop_response must be able to break.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <iostream>
#include <mutex>
#include <thread>

#include "http_framing.hpp"
#include "net.hpp"

namespace doorstep::fault {
namespace {

class RequestCounter {
  public:
    explicit RequestCounter(std::string path) : Path_(std::move(path)) {}

    int64_t Count() {
        std::lock_guard lock(Mutex_);
        ++Count_;
        std::string error;
        if (!Path_.empty() && !WriteFileAtomically(Path_, std::to_string(Count_) + "\n", error)) {
            std::cerr << "doorstep-echo-server: cannot write the count: " << error << "\n";
        }
        return Count_;
    }
    void WriteInitial() {
        std::lock_guard lock(Mutex_);
        std::string error;
        if (!Path_.empty()) {
            WriteFileAtomically(Path_, "0\n", error);
        }
    }

  private:
    std::mutex Mutex_;
    std::string Path_;
    int64_t Count_ = 0;
};

// A fixed JSON body of exactly body_bytes bytes (or the bare skeleton when that is larger).
std::string MakeBody(size_t body_bytes) {
    const std::string head = R"({"ok":true,"server":"doorstep-echo-server","padding":")";
    const std::string tail = "\"}";
    std::string padding;
    for (size_t index = 0; head.size() + padding.size() + tail.size() < body_bytes; ++index) {
        padding += static_cast<char>('a' + index % 26);  // varied, so a shifted byte shows
    }
    return head + padding + tail;
}

void Serve(Fd client, RequestCounter& counter, const std::string& body) {
    std::string buffer;
    bool continue_sent = false;
    for (;;) {
        Framing framing = FrameMessage(buffer, MessageKind::Request);
        if (framing.Is == Framing::State::Malformed) {
            SendAll(client.Get(), "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        if (framing.Is == Framing::State::Complete) {
            const int64_t count = counter.Count();
            std::string response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
            response += "Content-Length: " + std::to_string(body.size()) + "\r\n";
            response += "X-Request-Count: " + std::to_string(count) + "\r\n";
            response += "X-Request-Body-Bytes: " + std::to_string(framing.End - framing.HeaderEnd) +
                        "\r\n\r\n";
            if (!framing.IsHead) {
                response += body;
            }
            if (!SendAll(client.Get(), response)) {
                return;
            }
            buffer.erase(0, framing.End);  // keep-alive: a next request may already be here
            continue_sent = false;
            continue;
        }
        if (framing.HeaderEnd != 0 && framing.ExpectContinue && !continue_sent) {
            continue_sent = true;
            SendAll(client.Get(), "HTTP/1.1 100 Continue\r\n\r\n");
        }
        char bytes[16 * 1024];
        ssize_t received = recv(client.Get(), bytes, sizeof(bytes), 0);
        if (received < 0 && errno == EINTR) {
            continue;
        }
        if (received <= 0) {
            return;  // the client closed (or vanished): nothing to answer
        }
        buffer.append(bytes, static_cast<size_t>(received));
    }
}

}  // namespace
}  // namespace doorstep::fault

int main(int argc, char** argv) {
    using namespace doorstep::fault;
    CLI::App app{"Tiny loopback HTTP server for the fault proxy's test: a fixed 200 JSON answer.",
                 "doorstep-echo-server"};
    std::string listen_text = "127.0.0.1:0";
    std::string port_file;
    std::string count_file;
    size_t body_bytes = 64;
    app.add_option("--listen", listen_text, "HOST:PORT on loopback (port 0: any)")
        ->capture_default_str();
    app.add_option("--port-file", port_file, "Write the listening port here (atomically)");
    app.add_option("--count-file", count_file, "Keep the number of requests read here");
    app.add_option("--body-bytes", body_bytes, "Size of the JSON answer")
        ->check(CLI::Range(size_t{0}, size_t{64} * 1024 * 1024))
        ->capture_default_str();
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        int code = app.exit(error);
        return code == 0 ? 0 : 2;
    }
    std::string error;
    std::optional<Endpoint> endpoint = ParseLoopbackEndpoint(listen_text, error);
    if (!endpoint) {
        std::cerr << "--listen: " << error << "\n";
        return 2;
    }
    const int stop_fd = InstallStopSignalPipe();
    uint16_t port = 0;
    Fd listener = ListenOn(*endpoint, port, error);
    if (!listener.Valid() || stop_fd < 0) {
        std::cerr << "doorstep-echo-server: cannot listen: " << error << "\n";
        return 1;
    }
    RequestCounter counter(count_file);
    counter.WriteInitial();
    const std::string body = MakeBody(body_bytes);
    if (!port_file.empty() && !WriteFileAtomically(port_file, std::to_string(port) + "\n", error)) {
        std::cerr << "doorstep-echo-server: " << error << "\n";
        return 1;
    }
    for (;;) {
        pollfd fds[2] = {{listener.Get(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0 && errno != EINTR) {
            return 1;
        }
        if (fds[1].revents != 0) {
            break;
        }
        if ((fds[0].revents & POLLIN) == 0) {
            continue;
        }
        Fd client(accept4(listener.Get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (client.Valid()) {
            std::thread([&counter, &body, client = std::move(client)]() mutable {
                Serve(std::move(client), counter, body);
            }).detach();
        }
    }
    // Detached threads may still be serving: leave without unwinding, as the proxy does.
    _exit(0);
}
