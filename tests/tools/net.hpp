// Socket and file plumbing shared by doorstep-fault-proxy and doorstep-echo-server: loopback-only
// endpoints, an owning file descriptor, atomic file writes and a stop-signal pipe.
//
// Everything here is plain POSIX. Failures are returned as a message (std::string, empty on
// success) because a test tool should say what went wrong and carry on or exit cleanly.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace doorstep::fault {

// Owns one file descriptor; closes it on destruction.
class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : Fd_(fd) {}
    Fd(Fd&& other) noexcept : Fd_(other.Release()) {}
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { Close(); }

    int Get() const { return Fd_; }
    bool Valid() const { return Fd_ >= 0; }
    int Release();
    void Close();

  private:
    int Fd_ = -1;
};

// An IPv4 loopback address and port. Only 127.0.0.0/8 and "localhost" are accepted: this tool
// must never carry traffic off the machine.
struct Endpoint {
    uint32_t Address = 0;  // host byte order
    uint16_t Port = 0;
    std::string ToString() const;
    sockaddr_in ToSockaddr() const;
};

// Parses "HOST:PORT". Returns nullopt and sets error (a complete sentence) when the text is
// malformed or the host is not a loopback address.
std::optional<Endpoint> ParseLoopbackEndpoint(std::string_view text, std::string& error);

// A listening TCP socket on endpoint (port 0 picks a free port). bound_port gets the real port.
Fd ListenOn(const Endpoint& endpoint, uint16_t& bound_port, std::string& error);
// A connected, blocking TCP socket to endpoint.
Fd ConnectTo(const Endpoint& endpoint, std::string& error);

void SetNonBlocking(int fd);
// Aborts the connection: SO_LINGER 0 makes close() send RST instead of FIN.
void ResetAndClose(Fd& fd);
// Sends all of data on a blocking or non-blocking socket, waiting in poll() when the socket is
// full. Never raises SIGPIPE. False when the peer went away.
bool SendAll(int fd, std::string_view data);
// Waits up to timeout_ms (-1: forever) for fd to become readable or to report hang-up.
bool WaitReadable(int fd, int timeout_ms);

// Writes content to path through path.tmp.PID and rename(), so a reader sees either the old file
// or the whole new one, never a half-written one. Writers of one path in one process must take
// turns: they share the temporary name.
bool WriteFileAtomically(const std::string& path, std::string_view content, std::string& error);

// Makes SIGPIPE harmless and turns SIGTERM/SIGINT into a readable byte on the returned fd, so a
// poll() loop can notice a stop request without racing a flag.
int InstallStopSignalPipe();

}  // namespace doorstep::fault
