#include "relay.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <deque>
#include <optional>
#include <random>

#include "http_framing.hpp"

namespace doorstep::fault {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kReadSize = 16 * 1024;
constexpr size_t kMaxQueuedBytes = 1024 * 1024;  // stop reading a source that runs this far ahead
constexpr int kRateSlicesPerSecond = 20;         // a rate-limited pipe sends 1/20 s worth at a time

struct Chunk {
    std::string Bytes;
    size_t Sent = 0;
    Clock::time_point Due;
};

enum class SendResult { Ok, PeerGone, LimitReached };

class Pipe {
  public:
    Pipe(int source, int sink, const Shaping& shaping)
        : Source(source), Sink(sink), Shape(shaping) {}

    bool WantsRead() const { return !SourceClosed && QueuedBytes < kMaxQueuedBytes; }
    bool LimitReached() const {
        return Shape.CloseAfterBytes >= 0 && Forwarded >= Shape.CloseAfterBytes;
    }

    // When the front chunk may go out, or nullopt when nothing waits.
    std::optional<Clock::time_point> SendTime() const {
        if (Queue.empty()) {
            return std::nullopt;
        }
        return std::max(Queue.front().Due, NextSend);
    }

    void Enqueue(std::string bytes, Clock::time_point now, std::mt19937_64& random) {
        int64_t delay = Shape.DelayMillis;
        if (Shape.JitterMillis > 0) {
            delay += static_cast<int64_t>(random() % uint64_t(2 * Shape.JitterMillis + 1)) -
                     Shape.JitterMillis;
        }
        // Never earlier than the chunk before: a byte stream cannot overtake itself anyway, and
        // a monotonic front keeps the poll timeout honest.
        Clock::time_point due =
            std::max(now + std::chrono::milliseconds(std::max<int64_t>(delay, 0)), LastDue);
        LastDue = due;
        QueuedBytes += bytes.size();
        Queue.push_back(Chunk{std::move(bytes), 0, due});
    }

    SendResult SendDue(Clock::time_point now) {
        while (!Queue.empty() && Queue.front().Due <= now && NextSend <= now) {
            if (LimitReached()) {
                return SendResult::LimitReached;
            }
            Chunk& chunk = Queue.front();
            size_t length = chunk.Bytes.size() - chunk.Sent;
            if (Shape.BytesPerSecond > 0) {
                length = std::min<size_t>(
                    length, std::max<int64_t>(1, Shape.BytesPerSecond / kRateSlicesPerSecond));
            }
            if (Shape.CloseAfterBytes >= 0) {
                length = std::min<size_t>(length, Shape.CloseAfterBytes - Forwarded);
            }
            ssize_t sent = send(Sink, chunk.Bytes.data() + chunk.Sent, length, MSG_NOSIGNAL);
            if (sent < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                    return SendResult::Ok;  // poll() will say when the sink has room
                }
                return SendResult::PeerGone;
            }
            chunk.Sent += static_cast<size_t>(sent);
            QueuedBytes -= static_cast<size_t>(sent);
            Forwarded += sent;
            if (chunk.Sent == chunk.Bytes.size()) {
                Queue.pop_front();
            }
            if (Shape.BytesPerSecond > 0) {
                auto cost = std::chrono::nanoseconds(sent * 1'000'000'000 / Shape.BytesPerSecond);
                NextSend = std::max(NextSend, now) + cost;  // late sends do not earn a burst
            }
        }
        return LimitReached() ? SendResult::LimitReached : SendResult::Ok;
    }

    int Source;
    int Sink;
    Shaping Shape;
    std::deque<Chunk> Queue;
    size_t QueuedBytes = 0;
    int64_t Forwarded = 0;
    bool SourceClosed = false;  // the source sent EOF
    bool Finished = false;      // EOF passed on: the sink is shut down for writing
    Clock::time_point NextSend{};
    Clock::time_point LastDue{};
};

// Holds upstream's bytes back until the first final response is complete (capture mode).
struct ResponseCapture {
    std::string Held;
    std::string RequestStart;  // the client's first bytes, to tell a HEAD request
    bool Acted = false;

    bool RequestIsHead() const { return RequestStart.rfind("HEAD ", 0) == 0; }
};

enum class Readiness { Data, Eof, Error, Nothing };

Readiness ReadInto(int fd, std::string& bytes) {
    bytes.resize(kReadSize);
    ssize_t received = recv(fd, bytes.data(), bytes.size(), 0);
    if (received > 0) {
        bytes.resize(static_cast<size_t>(received));
        return Readiness::Data;
    }
    bytes.clear();
    if (received == 0) {
        return Readiness::Eof;
    }
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Readiness::Nothing
                                                                     : Readiness::Error;
}

std::string Describe(const Pipe& up, const Pipe& down, const char* how) {
    return std::string(how) + " after " + std::to_string(up.Forwarded) + " bytes up, " +
           std::to_string(down.Forwarded) + " down";
}

}  // namespace

std::string Relay(Fd client, Fd upstream, const RelayOptions& options) {
    SetNonBlocking(client.Get());
    SetNonBlocking(upstream.Get());
    std::mt19937_64 random(options.Seed);
    Pipe up(client.Get(), upstream.Get(), options.Up);
    Pipe down(upstream.Get(), client.Get(), options.Down);
    Pipe* pipes[2] = {&up, &down};
    const bool capturing = options.OnResponse != ResponseFault::None;
    ResponseCapture capture;
    bool reset_when_drained = false;
    std::string buffer;

    // Capture mode: forwards interim responses, and acts once the final response is in (or
    // upstream closed, which ends it too). Returns a description when the relay should end now.
    auto process_capture = [&](Clock::time_point now) -> std::optional<std::string> {
        for (;;) {
            Framing framing =
                FrameMessage(capture.Held, MessageKind::Response, capture.RequestIsHead());
            if (framing.Is == Framing::State::Complete && IsInterim(framing.StatusCode)) {
                down.Enqueue(capture.Held.substr(0, framing.End), now, random);
                capture.Held.erase(0, framing.End);
                continue;
            }
            bool complete = framing.Is == Framing::State::Complete;
            if (!complete && !down.SourceClosed && framing.Is != Framing::State::Malformed) {
                return std::nullopt;
            }
            std::string response =
                complete ? capture.Held.substr(0, framing.End) : std::move(capture.Held);
            capture.Acted = true;
            if (options.OnResponse == ResponseFault::Drop) {
                return "dropped a " + std::to_string(response.size()) + "-byte response";
            }
            const size_t half = response.size() / 2;
            down.Enqueue(response.substr(0, half), now, random);
            reset_when_drained = true;
            return std::nullopt;
        }
    };

    for (;;) {
        Clock::time_point now = Clock::now();
        if (up.LimitReached() || down.LimitReached()) {
            return Describe(up, down, "byte limit reached, closed");
        }
        if (reset_when_drained && down.Queue.empty()) {
            ResetAndClose(client);
            return "reset mid-response after " + std::to_string(down.Forwarded) + " bytes";
        }
        for (Pipe* pipe : pipes) {
            if (pipe->SourceClosed && pipe->Queue.empty() && !pipe->Finished &&
                !(capturing && pipe == &down)) {
                shutdown(pipe->Sink, SHUT_WR);  // pass the EOF on, keep the other direction
                pipe->Finished = true;
            }
        }
        if (up.Finished && down.Finished) {
            return Describe(up, down, "closed");
        }

        // Sockets only appear in the poll set for what is wanted of them: a hung-up socket
        // left in with no events would wake poll() at once, forever.
        pollfd fds[2] = {{-1, 0, 0}, {-1, 0, 0}};
        int timeout_ms = -1;
        const bool reading_upstream = down.WantsRead() && !(capturing && capture.Acted);
        const bool wants_read[2] = {up.WantsRead(), reading_upstream};
        int sockets[2] = {client.Get(), upstream.Get()};
        for (int index = 0; index < 2; ++index) {
            if (wants_read[index]) {
                fds[index].events |= POLLIN;
            }
        }
        for (int index = 0; index < 2; ++index) {
            std::optional<Clock::time_point> when = pipes[index]->SendTime();
            if (!when) {
                continue;
            }
            int sink_index = 1 - index;  // up sends to upstream (slot 1), down to the client
            if (*when <= now) {
                fds[sink_index].events |= POLLOUT;
            } else {
                auto wait = std::chrono::ceil<std::chrono::milliseconds>(*when - now).count();
                timeout_ms = timeout_ms < 0 ? int(wait) : std::min(timeout_ms, int(wait));
            }
        }
        for (int index = 0; index < 2; ++index) {
            if (fds[index].events != 0) {
                fds[index].fd = sockets[index];
            }
        }
        if (fds[0].fd < 0 && fds[1].fd < 0 && timeout_ms < 0) {
            return Describe(up, down, "nothing left to do, closed");  // e.g. both queues full
        }
        if (poll(fds, 2, timeout_ms) < 0 && errno != EINTR) {
            return "poll failed";
        }
        now = Clock::now();

        for (int index = 0; index < 2; ++index) {
            if (!wants_read[index] || (fds[index].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
                continue;
            }
            Pipe& pipe = *pipes[index];
            Readiness read = ReadInto(pipe.Source, buffer);
            if (read == Readiness::Error) {
                return Describe(up, down, index == 0 ? "client failed" : "upstream failed");
            }
            if (read == Readiness::Eof) {
                pipe.SourceClosed = true;
            }
            if (capturing && index == 0 && capture.RequestStart.size() < 5) {
                capture.RequestStart += buffer;
            }
            if (capturing && index == 1) {
                capture.Held += buffer;
                if (std::optional<std::string> ended = process_capture(now)) {
                    return *ended;
                }
            } else if (read == Readiness::Data) {
                pipe.Enqueue(std::move(buffer), now, random);
            }
        }
        for (Pipe* pipe : pipes) {
            if (pipe->SendDue(now) == SendResult::PeerGone) {
                return Describe(up, down, pipe == &up ? "upstream went away" : "client went away");
            }
        }
    }
}

}  // namespace doorstep::fault
