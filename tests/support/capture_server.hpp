// A canned HTTP server on loopback for wire tests, in the manner of curl's test servers: it
// records the exact bytes of every request and answers each with the next canned reply (or hangs
// up, to play a lost answer). One connection per request: every reply says Connection: close.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace doorstep::testing {

class CaptureServer {
  public:
    // Replies are whole HTTP responses; an empty string means "close without answering".
    explicit CaptureServer(std::deque<std::string> replies) : Replies_(std::move(replies)) {
        Listener_ = socket(AF_INET, SOCK_STREAM, 0);
        int yes = 1;
        setsockopt(Listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(Listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
        listen(Listener_, 8);
        socklen_t length = sizeof address;
        getsockname(Listener_, reinterpret_cast<sockaddr*>(&address), &length);
        Port_ = ntohs(address.sin_port);
        Thread_ = std::thread([this] { Serve(); });
    }
    ~CaptureServer() {
        Stopping_ = true;
        shutdown(Listener_, SHUT_RDWR);
        close(Listener_);
        Thread_.join();
    }
    CaptureServer(const CaptureServer&) = delete;
    CaptureServer& operator=(const CaptureServer&) = delete;

    int Port() const { return Port_; }
    std::string Url() const { return "http://127.0.0.1:" + std::to_string(Port_); }
    std::vector<std::string> Requests() {
        std::lock_guard lock(Mutex_);
        return Requests_;
    }

    static std::string Reply(int status, const std::string& body,
                             const std::string& extra_headers = "") {
        return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" +
               extra_headers + "Content-Length: " + std::to_string(body.size()) +
               "\r\nConnection: close\r\n\r\n" + body;
    }

  private:
    void Serve() {
        while (!Stopping_) {
            int client = accept(Listener_, nullptr, nullptr);
            if (client < 0) {
                return;
            }
            std::string request = ReadRequest(client);
            std::string reply;
            {
                std::lock_guard lock(Mutex_);
                Requests_.push_back(request);
                if (!Replies_.empty()) {
                    reply = Replies_.front();
                    Replies_.pop_front();
                }
            }
            if (!reply.empty()) {
                send(client, reply.data(), reply.size(), MSG_NOSIGNAL);
            }
            close(client);
        }
    }

    static std::string ReadRequest(int client) {
        std::string data;
        char buffer[4096];
        size_t body_start = std::string::npos;
        size_t want = 0;
        for (;;) {
            ssize_t got = recv(client, buffer, sizeof buffer, 0);
            if (got <= 0) {
                return data;
            }
            data.append(buffer, static_cast<size_t>(got));
            if (body_start == std::string::npos) {
                size_t end = data.find("\r\n\r\n");
                if (end == std::string::npos) {
                    continue;
                }
                body_start = end + 4;
                size_t at = data.find("Content-Length: ");
                want = at == std::string::npos || at > end ? 0 : std::stoul(data.substr(at + 16));
            }
            if (data.size() >= body_start + want) {
                return data;
            }
        }
    }

    int Listener_ = -1;
    int Port_ = 0;
    std::atomic<bool> Stopping_{false};
    std::mutex Mutex_;
    std::deque<std::string> Replies_;
    std::vector<std::string> Requests_;
    std::thread Thread_;
};

}  // namespace doorstep::testing
