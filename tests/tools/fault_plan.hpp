// The fault plan: which misbehaviour each accepted TCP connection gets.
//
// PLAN is a comma-separated list of entries applied to successive connections in accept order,
// starting again at the first when exhausted. An entry is one behaviour, or `random:A|B|C`, which
// picks one of A, B, C for that connection from the --seed random stream. Example:
//   pass,drop_response,random:pass|reset|status:503:7
//
// Behaviours apply per TCP connection, not per HTTP request: a client that keeps a connection
// alive sends its later requests through the same behaviour. drop_response, reset_mid_response
// and status handle the first request only and then close, so the client's next request comes
// on a new connection and meets the next plan entry.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace doorstep::fault {

enum class BehaviourKind {
    Pass,              // forward both ways until either side closes
    DropResponse,      // forward the request, swallow the complete response, close the client
    Reset,             // RST the client after its first bytes; never contact upstream
    ResetMidResponse,  // forward the request, send half of the response, RST the client
    Stall,             // read nothing, send nothing for Millis, then close
    Trickle,           // response delivered at BytesPerSecond
    Latency,           // each forwarded chunk delayed by Millis +- JitterMillis
    Bandwidth,         // both directions capped at BytesPerSecond
    CloseAfterUp,      // close both sides after Bytes forwarded client -> upstream
    CloseAfterDown,    // close both sides after Bytes forwarded upstream -> client
    Status,            // answer StatusCode (with Retry-After when set) without upstream
};

struct Behaviour {
    BehaviourKind Kind = BehaviourKind::Pass;
    std::string Spec;                // as written in the plan, e.g. "status:503:7": the stats key
    int64_t Millis = 0;              // stall, latency
    int64_t JitterMillis = 0;        // latency
    int64_t BytesPerSecond = 0;      // trickle, bandwidth
    int64_t Bytes = 0;               // close_after_up, close_after_down
    int StatusCode = 0;              // status
    int64_t RetryAfterSeconds = -1;  // status; -1 sends no Retry-After
};

struct PlanEntry {
    std::vector<Behaviour> Choices;  // one for a fixed entry, several for random:
    bool Random = false;
};

// Parses one behaviour such as "latency:200:50". Sets error and returns nullopt when invalid.
std::optional<Behaviour> ParseBehaviour(std::string_view text, std::string& error);

class Plan {
  public:
    // Parses PLAN. Sets error (naming the bad entry and the accepted forms) on failure.
    static std::optional<Plan> Parse(std::string_view text, std::string& error);

    // The behaviour for the next accepted connection. Call from one thread, in accept order, so
    // the same seed always gives the same sequence.
    const Behaviour& Next(std::mt19937_64& random);

  private:
    std::vector<PlanEntry> Entries_;
    size_t NextEntry_ = 0;
};

// What a plan accepts, for --help and error messages.
extern const char* const kPlanHelp;

}  // namespace doorstep::fault
