// One customer's (or staff member's) pass through the survey, as recorded on the terminal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace doorstep {

enum class ResponseStatus { Completed, Abandoned };
enum class ResponseKind { Customer, Staff };
// Where a stored row stands with head office. Rows are never deleted for being rejected.
enum class SyncState { Pending, Synced, Conflict, Rejected };

std::string_view ToString(ResponseStatus status);
std::string_view ToString(ResponseKind kind);
std::string_view ToString(SyncState state);
std::optional<ResponseStatus> ParseResponseStatus(std::string_view text);
std::optional<ResponseKind> ParseResponseKind(std::string_view text);
std::optional<SyncState> ParseSyncState(std::string_view text);

struct NeedScore {
    std::string NeedId;
    int Score = 0;  // 1 (worst) .. 5 (best)
    bool operator==(const NeedScore&) const = default;
};

struct Response {
    std::string Uuid;  // UUIDv7 (older terminals: v4), lower-case canonical form
    std::string SurveyId;
    int SurveyVersion = 0;
    std::string Door;      // touchpoint name, e.g. "entrance", "checkout"
    std::string Language;  // e.g. "en"
    ResponseKind Kind = ResponseKind::Customer;
    ResponseStatus Status = ResponseStatus::Completed;
    std::string AbandonedAt;  // step id where an abandoned response stopped; empty if completed
    int64_t StartedAtMs = 0;  // UTC, milliseconds since the Unix epoch (wall clock)
    int64_t EndedAtMs = 0;    // UTC, milliseconds since the Unix epoch (wall clock)
    int64_t DurationMs = 0;   // measured on the monotonic clock, immune to clock jumps
    std::vector<NeedScore> Scores;  // answered needs only, in survey order
    std::string LeastMet;           // need id; empty if not answered
    std::optional<int> Intent;      // 0..10
    std::string Comment;            // UTF-8; empty if none
    bool Synthetic = false;         // written by `simulate`; reports can exclude it

    bool operator==(const Response&) const = default;
};

// A response as it sits in the local store.
struct StoredResponse {
    int64_t Seq = 0;  // per-device sequence, strictly increasing, never reused
    SyncState Sync = SyncState::Pending;
    Response Data;
    // Said about the answer, not part of it (head office's reports filter and bucket by them;
    // CanonicalContent leaves them out):
    std::string SuspectReason;  // suspect.hpp codes, "burst,repeat"; empty when not suspect
    int UtcOffsetMin = 0;       // the terminal's UTC offset when the answer started
    // Where the answer ended on the terminal's boot clock (clock.hpp), which wall-clock jumps do
    // not move: the uploader sends the answer's age by it and head office dates the answer so
    // (docs/protocol.md). Set by the store's reads only during the boot that stored the row.
    std::optional<int64_t> EndedBootMs;
};

}  // namespace doorstep
