// Fuzz target: the server's reading of a /v1/responses body (DecodeBatch,
// core/wire/batch_decode.cpp) and what Api::HandleResponses makes of it before the store: the error
// reply for a body that is unusable as a whole, and the acknowledgement's ranges and rejections.
//
// The input is an inflated batch body. The target aborts unless
//   * an unusable body gets a 4xx JSON answer whose "error" is the decoder's code;
//   * each item is either valid, or invalid with a field under its own responses[i] and words;
//   * the valid items survive the kiosk's encoder: EncodeBatch() of them equals
//     EncodeBatchSlowly() and decodes to the same device, seqs, responses, suspect codes, UTC
//     offsets, ages and sending time;
//   * dating an item (answer_dating.hpp) keeps its duration and never moves it before 1970;
//   * the acknowledgement built from them (EncodeAck) reads back (DecodeAck) as built.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/wire/wire.hpp"
#include "fuzz_require.hpp"
#include "server/api/api_message.hpp"
#include "server/api/request_checks.hpp"
#include "server/store/answer_dating.hpp"

namespace {

using doorstep::BatchAck;
using doorstep::BatchDecode;
using doorstep::BatchItem;
using doorstep::ItemIssue;
using doorstep::StoredResponse;
using doorstep::fuzz::Require;

void CheckRefusal(const BatchDecode& decoded, std::string_view body) {
    Require(!decoded.Error.Code.empty() && !decoded.Error.Message.empty(),
            "a refused body has a code and words");
    doorstep::server::ApiReply reply = doorstep::server::WireErrorReply(decoded.Error, body);
    Require(reply.Status >= 400 && reply.Status < 500, "a refused body is a 4xx");
    nlohmann::json answer = nlohmann::json::parse(reply.Body, nullptr, false);
    Require(answer.is_object() && answer.value("error", "") == decoded.Error.Code &&
                answer.contains("message"),
            "the answer is a JSON error naming the decoder's code");
}

// `rows` carry their ages as boot-clock ends before a boot clock standing at 0.
void CheckReencoded(const doorstep::BatchRequest& request,
                    const std::vector<StoredResponse>& rows) {
    doorstep::ClockStamp now{request.SentAtMs.value_or(0), 0};
    std::string encoded = doorstep::EncodeBatch(request.DeviceId, rows, now);
    Require(encoded == doorstep::EncodeBatchSlowly(request.DeviceId, rows, now),
            "EncodeBatch writes EncodeBatchSlowly's bytes");
    BatchDecode again = doorstep::DecodeBatch(encoded);
    Require(again.Request.has_value(), "the kiosk's encoding of valid items decodes");
    Require(again.Request->DeviceId == request.DeviceId, "the device id survives");
    Require(again.Request->SentAtMs == now.WallMs, "the sending time survives");
    Require(again.Request->Items.size() == rows.size(), "every valid item survives");
    for (size_t i = 0; i < rows.size(); ++i) {
        const BatchItem& item = again.Request->Items[i];
        Require(item.Data.has_value(), "a valid item stays valid");
        Require(item.Seq == rows[i].Seq && *item.Data == rows[i].Data,
                "a valid item decodes to the same response");
        Require(doorstep::CanonicalContent(*item.Data, item.Seq) ==
                    doorstep::CanonicalContent(rows[i].Data, rows[i].Seq),
                "and to the same canonical content");
        Require(item.Suspect == rows[i].SuspectReason && item.UtcOffsetMin == rows[i].UtcOffsetMin,
                "its suspect codes and UTC offset survive");
        std::optional<int64_t> age;
        if (rows[i].EndedBootMs) {
            age = -*rows[i].EndedBootMs;
        }
        Require(item.AgeMs == age, "its age survives");
    }
}

void CheckDating(const doorstep::Response& data, std::optional<int64_t> age_ms,
                 std::optional<int64_t> sent_at_ms) {
    for (int64_t received_at_ms : {int64_t{0}, int64_t{1795549384722}, INT64_MAX / 2}) {
        int64_t shift = doorstep::server::AnswerClockShiftMs(
            {data.StartedAtMs, data.EndedAtMs, age_ms}, sent_at_ms, received_at_ms);
        int64_t started = 0;
        int64_t ended = 0;
        Require(!__builtin_add_overflow(data.StartedAtMs, shift, &started) &&
                    !__builtin_add_overflow(data.EndedAtMs, shift, &ended),
                "dating does not overflow");
        Require(started >= 0 && ended - started == data.EndedAtMs - data.StartedAtMs,
                "dating keeps the duration and stays after 1970");
    }
}

void CheckAck(const std::vector<int64_t>& valid_seqs, const std::vector<ItemIssue>& rejected) {
    BatchAck ack;
    ack.Acked = doorstep::ToRanges(valid_seqs);
    ack.Rejected = rejected;
    ack.ServerTimeMs = 1795549384722;
    for (int64_t seq : valid_seqs) {
        Require(doorstep::RangesContain(ack.Acked, seq), "the ranges hold every acked seq");
    }
    std::optional<BatchAck> read = doorstep::DecodeAck(doorstep::EncodeAck(ack));
    Require(read.has_value(), "the acknowledgement reads back");
    Require(read->Acked == ack.Acked && read->ServerTimeMs == ack.ServerTimeMs,
            "its ranges and time read back");
    Require(read->Rejected.size() == rejected.size(), "every rejection reads back");
    for (size_t i = 0; i < rejected.size(); ++i) {
        const ItemIssue& got = read->Rejected[i];
        const ItemIssue& sent = rejected[i];
        Require(got.Seq == sent.Seq && got.Uuid == sent.Uuid && got.Status == sent.Status &&
                    got.Field == sent.Field && got.Message == sent.Message,
                "a rejection reads back as sent");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view body(reinterpret_cast<const char*>(data), size);
    BatchDecode decoded = doorstep::DecodeBatch(body);
    if (!decoded.Request) {
        CheckRefusal(decoded, body);
        return 0;
    }
    std::vector<StoredResponse> rows;
    std::vector<int64_t> valid_seqs;
    std::vector<ItemIssue> rejected;
    for (size_t i = 0; i < decoded.Request->Items.size(); ++i) {
        BatchItem& item = decoded.Request->Items[i];
        if (item.Data.has_value()) {
            Require(item.Problem.empty() && item.Field.empty(), "a valid item has no problem");
            Require(item.Seq >= 1 && !item.Uuid.empty(), "a valid item has its seq and uuid");
            StoredResponse row;
            row.Seq = item.Seq;
            row.Data = *item.Data;
            row.SuspectReason = item.Suspect;
            row.UtcOffsetMin = item.UtcOffsetMin;
            if (item.AgeMs) {
                row.EndedBootMs = -*item.AgeMs;
            }
            CheckDating(*item.Data, item.AgeMs, decoded.Request->SentAtMs);
            rows.push_back(std::move(row));
            valid_seqs.push_back(item.Seq);
        } else {
            std::string prefix = "responses[" + std::to_string(i) + "]";
            Require(item.Field.rfind(prefix, 0) == 0, "an invalid item's field is its own");
            Require(!item.Problem.empty(), "an invalid item says why");
            rejected.push_back(ItemIssue{item.Seq, item.Uuid, 400, item.Field, item.Problem});
        }
    }
    CheckReencoded(*decoded.Request, rows);
    CheckAck(valid_seqs, rejected);
    return 0;
}
