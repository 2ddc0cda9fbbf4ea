// The JSON messages of the sync protocol (docs/protocol.md): encoding on the kiosk, decoding and
// per-field validation on the server, and the acknowledgement both sides read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/clock.hpp"
#include "core/response/response.hpp"

namespace doorstep {

// --- /v1/responses request --------------------------------------------------------------

// The batch body (before gzip) for the given stored rows, in the order given. `now`: the
// terminal's clocks as it sends; with them the batch says its wall clock ("sent_at_ms") and each
// row stored during this boot its age ("age_ms"), by which head office dates the answers
// (docs/protocol.md, "Dating answers").
std::string EncodeBatch(const std::string& device_id, const std::vector<StoredResponse>& rows,
                        const std::optional<ClockStamp>& now = {});
// The same bytes through nlohmann::json; the reference EncodeBatch is tested against.
std::string EncodeBatchSlowly(const std::string& device_id, const std::vector<StoredResponse>& rows,
                              const std::optional<ClockStamp>& now = {});

struct BatchItem {
    int64_t Seq = 0;               // 0 when the seq itself was unreadable
    std::string Uuid;              // empty when unreadable
    std::optional<Response> Data;  // set when the item is valid
    std::string Suspect;           // optional "suspect": the kiosk's codes, e.g. "burst,repeat"
    int UtcOffsetMin = 0;          // optional "utc_offset_min": the terminal's, at started_at
    std::optional<int64_t> AgeMs;  // optional "age_ms": ms since the end, by the boot clock
    std::string Field;             // when invalid: e.g. "responses[2].intent"
    std::string Problem;           // when invalid: plain words
};

struct BatchRequest {
    std::string DeviceId;
    std::vector<BatchItem> Items;
    std::optional<int64_t> SentAtMs;  // optional "sent_at_ms": the terminal's wall clock
};

struct WireError {
    int Status = 400;
    std::string Code;     // "bad_json", "invalid_utf8", "too_many_items", "bad_request"
    std::string Message;  // names the field or position
    std::string Field;
};

// A 400 answer: the request as a whole is unusable.
WireError RequestError(std::string code, std::string message, std::string field = {});

struct BatchDecode {
    std::optional<BatchRequest> Request;  // set unless the whole request is unusable
    WireError Error;                      // when Request is empty
};

// Decodes an inflated batch body (batch_decode.cpp). Whole-request problems (not JSON, not UTF-8,
// too many items, a missing top-level field) fail the request; a bad item only marks that item.
BatchDecode DecodeBatch(std::string_view json_text);

// Canonical content of one response, for "same uuid, same content?" comparisons: the item's
// fields serialised in a fixed order. Equal responses give equal strings.
std::string CanonicalContent(const Response& response, int64_t seq);

// --- /v1/responses answer ---------------------------------------------------------------

struct ItemIssue {
    int64_t Seq = 0;
    std::string Uuid;
    int Status = 0;  // 409 for conflicts, 400 for rejected items
    std::string Field;
    std::string Message;
};

struct BatchAck {
    std::vector<std::pair<int64_t, int64_t>> Acked;  // inclusive seq ranges, ascending
    std::vector<ItemIssue> Conflicts;
    std::vector<ItemIssue> Rejected;
    int64_t ServerTimeMs = 0;
};

std::string EncodeAck(const BatchAck& ack);
// Nothing when the text is not a well-formed answer.
std::optional<BatchAck> DecodeAck(std::string_view json_text);

// Sorted, de-duplicated seqs -> inclusive ranges: {1,2,3,5} -> {[1,3],[5,5]}.
std::vector<std::pair<int64_t, int64_t>> ToRanges(std::vector<int64_t> seqs);
bool RangesContain(const std::vector<std::pair<int64_t, int64_t>>& ranges, int64_t seq);

// --- /v1/heartbeat ----------------------------------------------------------------------

struct Heartbeat {
    std::string DeviceId;
    int64_t Backlog = 0;
    int64_t OldestUnsentAgeS = 0;
    std::string LastError;
    int64_t ClockOffsetMs = 0;
    std::string AppVersion;
    int SurveyVersion = 0;
    int64_t FreeDiskBytes = -1;
    int64_t HighestSeq = 0;
    // Answers the kiosk holds in memory because its store refused them (a full disk), and why.
    // Optional on the wire (absent: 0 and ""), so older kiosks' heartbeats still read.
    int64_t UnsavedAnswers = 0;
    std::string StorageError;
};

std::string EncodeHeartbeat(const Heartbeat& heartbeat);
std::optional<Heartbeat> DecodeHeartbeat(std::string_view json_text, WireError& error);

// --- errors -----------------------------------------------------------------------------

// {"error": code, "message": message} plus any extra members given as a JSON object text.
std::string EncodeError(std::string_view code, std::string_view message,
                        std::string_view extra_members_json = "{}");

}  // namespace doorstep
