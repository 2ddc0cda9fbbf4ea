// doorstep-notify-listen SOCKET: stands in for systemd's end of sd_notify. Binds a Unix datagram
// socket at SOCKET and prints each message it receives (READY=1, WATCHDOG=1, STOPPING=1, ...) on
// a line of its own, flushed, until it is killed.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: doorstep-notify-listen SOCKET\n");
        return 2;
    }
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (std::strlen(argv[1]) >= sizeof address.sun_path) {
        std::fprintf(stderr, "doorstep-notify-listen: socket path too long: %s\n", argv[1]);
        return 2;
    }
    std::strcpy(address.sun_path, argv[1]);
    int listening = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    unlink(argv[1]);
    if (listening < 0 ||
        bind(listening, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        std::fprintf(stderr, "doorstep-notify-listen: cannot bind %s: %s\n", argv[1],
                     std::strerror(errno));
        return 1;
    }
    char buffer[4096];
    while (true) {
        ssize_t got = recv(listening, buffer, sizeof buffer, 0);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return 1;
        }
        // One message may hold several newline-separated assignments; each gets its own line.
        std::string message(buffer, static_cast<size_t>(got));
        while (!message.empty() && message.back() == '\n') {
            message.pop_back();
        }
        std::printf("%s\n", message.c_str());
        std::fflush(stdout);
    }
}
