// Relay: moves bytes between a client and upstream socket in one poll() loop, shaping each
// direction (delay, rate, byte limit) and optionally holding back the first HTTP response.
//
// Each direction is a Pipe: bytes read from its source wait in a queue until they are due
// (delay) and allowed (rate), then go to its sink.
//
//   reading --source EOF--> draining --queue empty--> finished (sink shut down for writing)
//      |                        |
//      +-- byte limit reached or a peer error: the whole relay ends, both sockets close
//
// The relay ends when both pipes are finished, when either peer fails, or when a limit or a
// response fault fires. In capture mode (ResponseFault other than None) the upstream->client
// pipe does not forward directly: interim 1xx responses pass, the first final response is
// collected until complete (by its framing, or upstream closing), then
//   Drop          the relay ends and the client is closed without one byte of it;
//   ResetHalfway  its first half is sent, then the client gets a RST.
//
// Invariants: bytes leave a pipe in the order they arrived; a pipe never sends more than its
// byte limit; nothing upstream said after the first final response reaches the client in
// capture mode.
#pragma once

#include <cstdint>
#include <string>

#include "net.hpp"

namespace doorstep::fault {

struct Shaping {
    int64_t DelayMillis = 0;
    int64_t JitterMillis = 0;      // each chunk's delay is DelayMillis +- up to this
    int64_t BytesPerSecond = 0;    // 0: as fast as the sockets allow
    int64_t CloseAfterBytes = -1;  // -1: no limit
};

enum class ResponseFault { None, Drop, ResetHalfway };

struct RelayOptions {
    Shaping Up;    // client -> upstream
    Shaping Down;  // upstream -> client
    ResponseFault OnResponse = ResponseFault::None;
    uint64_t Seed = 0;  // for jitter
};

// Runs the relay to its end and closes both sockets. Returns how it ended, for the log.
std::string Relay(Fd client, Fd upstream, const RelayOptions& options);

}  // namespace doorstep::fault
