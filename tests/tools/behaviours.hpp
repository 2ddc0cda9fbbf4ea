// One accepted connection meeting one behaviour of the fault plan (see fault_plan.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "fault_plan.hpp"
#include "net.hpp"

namespace doorstep::fault {

struct ConnectionOutcome {
    std::string Description;      // one line for the log
    bool UpstreamFailed = false;  // upstream refused the connection
};

// Runs behaviour on client to the end; the client socket is closed (or reset) on return.
// seed makes jitter reproducible per connection.
ConnectionOutcome RunConnection(Fd client, const Behaviour& behaviour, const Endpoint& upstream,
                                uint64_t seed);

// The complete response that status:CODE[:RETRY_AFTER_S] sends, exposed for tests.
std::string InjectedStatusResponse(int status_code, int64_t retry_after_seconds);

}  // namespace doorstep::fault
