#include "net.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>

namespace doorstep::fault {
namespace {

int StopPipe[2] = {-1, -1};  // written by the signal handler, read by the accept loop

void OnStopSignal(int) {
    const char byte = 's';
    const int saved_errno = errno;  // the handler must not disturb the interrupted code's errno
    [[maybe_unused]] ssize_t ignored = write(StopPipe[1], &byte, 1);
    errno = saved_errno;
}

std::string ErrnoText(const char* what) {
    return std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

Fd& Fd::operator=(Fd&& other) noexcept {
    if (this != &other) {
        Close();
        Fd_ = other.Release();
    }
    return *this;
}

int Fd::Release() {
    int fd = Fd_;
    Fd_ = -1;
    return fd;
}

void Fd::Close() {
    if (Fd_ >= 0) {
        close(Fd_);
        Fd_ = -1;
    }
}

std::string Endpoint::ToString() const {
    in_addr address{htonl(Address)};
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &address, text, sizeof(text));
    return std::string(text) + ":" + std::to_string(Port);
}

sockaddr_in Endpoint::ToSockaddr() const {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(Address);
    address.sin_port = htons(Port);
    return address;
}

std::optional<Endpoint> ParseLoopbackEndpoint(std::string_view text, std::string& error) {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
        error = "expected HOST:PORT like 127.0.0.1:8080, got '" + std::string(text) + "'";
        return std::nullopt;
    }
    std::string host(text.substr(0, colon));
    std::string_view port_text = text.substr(colon + 1);
    unsigned port = 0;
    auto [end, code] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (code != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
        error = "port must be a number from 0 to 65535, got '" + std::string(port_text) + "'";
        return std::nullopt;
    }
    if (host == "localhost") {
        host = "127.0.0.1";  // resolved here so no name lookup can ever pick a remote address
    }
    in_addr address{};
    if (inet_pton(AF_INET, host.c_str(), &address) != 1 || (ntohl(address.s_addr) >> 24) != 127) {
        error = "'" + host +
                "' is not a loopback address: only 127.0.0.0/8 and localhost are allowed, "
                "this tool must never send traffic off the machine";
        return std::nullopt;
    }
    return Endpoint{ntohl(address.s_addr), static_cast<uint16_t>(port)};
}

Fd ListenOn(const Endpoint& endpoint, uint16_t& bound_port, std::string& error) {
    Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.Valid()) {
        error = ErrnoText("socket");
        return {};
    }
    int on = 1;
    setsockopt(fd.Get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));  // quick restarts in tests
    sockaddr_in address = endpoint.ToSockaddr();
    if (bind(fd.Get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        error = ErrnoText(("bind " + endpoint.ToString()).c_str());
        return {};
    }
    if (listen(fd.Get(), 128) != 0) {
        error = ErrnoText("listen");
        return {};
    }
    socklen_t length = sizeof(address);
    getsockname(fd.Get(), reinterpret_cast<sockaddr*>(&address), &length);
    bound_port = ntohs(address.sin_port);
    return fd;
}

Fd ConnectTo(const Endpoint& endpoint, std::string& error) {
    Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.Valid()) {
        error = ErrnoText("socket");
        return {};
    }
    sockaddr_in address = endpoint.ToSockaddr();
    int result = 0;
    do {
        result = connect(fd.Get(), reinterpret_cast<sockaddr*>(&address), sizeof(address));
    } while (result != 0 && errno == EINTR);
    if (result != 0) {
        error = ErrnoText(("connect " + endpoint.ToString()).c_str());
        return {};
    }
    int on = 1;
    // Small HTTP writes should leave at once; the shaping is ours, not Nagle's.
    setsockopt(fd.Get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    return fd;
}

void SetNonBlocking(int fd) {
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

void ResetAndClose(Fd& fd) {
    if (!fd.Valid()) {
        return;
    }
    linger abort_on_close{1, 0};
    setsockopt(fd.Get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
    fd.Close();
}

bool SendAll(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t sent = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (sent > 0) {
            data.remove_prefix(static_cast<size_t>(sent));
        } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd waiter{fd, POLLOUT, 0};
            poll(&waiter, 1, 1000);
        } else if (sent < 0 && errno == EINTR) {
            continue;
        } else {
            return false;
        }
    }
    return true;
}

bool WaitReadable(int fd, int timeout_ms) {
    pollfd waiter{fd, POLLIN, 0};
    int ready = 0;
    do {
        ready = poll(&waiter, 1, timeout_ms);
    } while (ready < 0 && errno == EINTR);
    return ready > 0;
}

bool WriteFileAtomically(const std::string& path, std::string_view content, std::string& error) {
    const std::string temporary = path + ".tmp." + std::to_string(getpid());
    Fd fd(open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd.Valid()) {
        error = ErrnoText(("open " + temporary).c_str());
        return false;
    }
    while (!content.empty()) {
        ssize_t written = write(fd.Get(), content.data(), content.size());
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            error = ErrnoText(("write " + temporary).c_str());
            unlink(temporary.c_str());
            return false;
        }
        content.remove_prefix(static_cast<size_t>(written));
    }
    fd.Close();
    if (rename(temporary.c_str(), path.c_str()) != 0) {
        error = ErrnoText(("rename to " + path).c_str());
        unlink(temporary.c_str());
        return false;
    }
    return true;
}

int InstallStopSignalPipe() {
    if (pipe2(StopPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        return -1;
    }
    signal(SIGPIPE, SIG_IGN);  // a vanished peer is an ordinary event here, not a reason to die
    struct sigaction action {};
    action.sa_handler = OnStopSignal;
    action.sa_flags = SA_RESTART;  // fewer EINTRs in the connection threads' blocking calls
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    return StopPipe[0];
}

}  // namespace doorstep::fault
