#include "behaviours.hpp"

#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "http_framing.hpp"
#include "relay.hpp"

namespace doorstep::fault {
namespace {

constexpr int kLingerMillis = 2000;  // how long a closing socket waits for the peer's EOF

const char* ReasonPhrase(int status_code) {
    switch (status_code) {
        case 200:
            return "OK";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 408:
            return "Request Timeout";
        case 409:
            return "Conflict";
        case 413:
            return "Content Too Large";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        case 504:
            return "Gateway Timeout";
        default:
            return "Injected Fault";
    }
}

// Closes after a FIN rather than a bare close(): bytes the client sends late (or we never read)
// would otherwise turn close() into a RST, which can destroy the answer still in flight.
void CloseGracefully(Fd& client) {
    shutdown(client.Get(), SHUT_WR);
    char sink[4096];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kLingerMillis);
    while (std::chrono::steady_clock::now() < deadline && WaitReadable(client.Get(), 100)) {
        if (recv(client.Get(), sink, sizeof(sink), MSG_DONTWAIT) <= 0) {
            break;
        }
    }
    client.Close();
}

ConnectionOutcome Stall(Fd client, const Behaviour& behaviour) {
    // Not a single read: the request sits unread in the kernel, as behind a frozen server.
    std::this_thread::sleep_for(std::chrono::milliseconds(behaviour.Millis));
    client.Close();  // the request is still unread, so the kernel sends a RST: a crashed server

    return {"stalled " + std::to_string(behaviour.Millis) + " ms, closed"};
}

ConnectionOutcome Reset(Fd client) {
    WaitReadable(client.Get(), -1);  // the first bytes (or the client giving up)
    ResetAndClose(client);
    return {"reset after the client's first bytes"};
}

ConnectionOutcome AnswerStatus(Fd client, const Behaviour& behaviour) {
    std::string request;
    bool continue_sent = false;
    for (;;) {
        Framing framing = FrameMessage(request, MessageKind::Request);
        if (framing.Is == Framing::State::Complete || framing.Is == Framing::State::Malformed) {
            break;
        }
        // libcurl holds back larger bodies until the server says 100 Continue (or a second
        // passes); answering it like a real server keeps the request and the timing realistic.
        if (framing.HeaderEnd != 0 && framing.ExpectContinue && !continue_sent) {
            continue_sent = true;
            SendAll(client.Get(), "HTTP/1.1 100 Continue\r\n\r\n");
        }
        char bytes[16 * 1024];
        ssize_t received = recv(client.Get(), bytes, sizeof(bytes), 0);
        if (received <= 0) {
            return {"client left before its request was complete"};
        }
        request.append(bytes, static_cast<size_t>(received));
    }
    SendAll(client.Get(),
            InjectedStatusResponse(behaviour.StatusCode, behaviour.RetryAfterSeconds));
    CloseGracefully(client);
    return {"answered " + std::to_string(behaviour.StatusCode) + " to a " +
            std::to_string(request.size()) + "-byte request"};
}

RelayOptions RelayOptionsFor(const Behaviour& behaviour, uint64_t seed) {
    RelayOptions options;
    options.Seed = seed;
    switch (behaviour.Kind) {
        case BehaviourKind::DropResponse:
            options.OnResponse = ResponseFault::Drop;
            break;
        case BehaviourKind::ResetMidResponse:
            options.OnResponse = ResponseFault::ResetHalfway;
            break;
        case BehaviourKind::Trickle:
            options.Down.BytesPerSecond = behaviour.BytesPerSecond;
            break;
        case BehaviourKind::Latency:
            for (Shaping* shaping : {&options.Up, &options.Down}) {
                shaping->DelayMillis = behaviour.Millis;
                shaping->JitterMillis = behaviour.JitterMillis;
            }
            break;
        case BehaviourKind::Bandwidth:
            options.Up.BytesPerSecond = behaviour.BytesPerSecond;
            options.Down.BytesPerSecond = behaviour.BytesPerSecond;
            break;
        case BehaviourKind::CloseAfterUp:
            options.Up.CloseAfterBytes = behaviour.Bytes;
            break;
        case BehaviourKind::CloseAfterDown:
            options.Down.CloseAfterBytes = behaviour.Bytes;
            break;
        default:
            break;
    }
    return options;
}

}  // namespace

std::string InjectedStatusResponse(int status_code, int64_t retry_after_seconds) {
    const std::string body = R"({"error":"busy","message":"injected by the fault proxy"})";
    std::string response =
        "HTTP/1.1 " + std::to_string(status_code) + " " + ReasonPhrase(status_code) + "\r\n";
    response += "Content-Type: application/json\r\n";
    response += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    if (retry_after_seconds >= 0) {
        response += "Retry-After: " + std::to_string(retry_after_seconds) + "\r\n";
    }
    response += "Connection: close\r\n\r\n";  // one request per connection, then the next entry
    return response + body;
}

ConnectionOutcome RunConnection(Fd client, const Behaviour& behaviour, const Endpoint& upstream,
                                uint64_t seed) {
    switch (behaviour.Kind) {
        case BehaviourKind::Stall:
            return Stall(std::move(client), behaviour);
        case BehaviourKind::Reset:
            return Reset(std::move(client));
        case BehaviourKind::Status:
            return AnswerStatus(std::move(client), behaviour);
        default:
            break;
    }
    std::string error;
    Fd upstream_socket = ConnectTo(upstream, error);
    if (!upstream_socket.Valid()) {
        // What the client would see from a dead server: the connection is refused (reset).
        ResetAndClose(client);
        return {"upstream unreachable (" + error + "), reset the client", true};
    }
    return {Relay(std::move(client), std::move(upstream_socket), RelayOptionsFor(behaviour, seed))};
}

}  // namespace doorstep::fault
