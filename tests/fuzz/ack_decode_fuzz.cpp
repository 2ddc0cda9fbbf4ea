// Fuzz target: the kiosk's reading of head office's answer to a batch (DecodeAck,
// core/wire/wire.cpp), which the uploader thread trusts to mark rows synced, conflicting or
// rejected.
//
// The input is the body of a 200 answer. The target aborts unless DecodeAck returns (an answer it
// cannot read is "nothing", never an exception that would end the uploader's thread) and a read
// acknowledgement has ascending ranges and survives EncodeAck and DecodeAck unchanged.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/wire/wire.hpp"
#include "fuzz_require.hpp"

namespace {

using doorstep::BatchAck;
using doorstep::ItemIssue;
using doorstep::fuzz::Require;

bool SameIssues(const std::vector<ItemIssue>& a, const std::vector<ItemIssue>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].Seq != b[i].Seq || a[i].Uuid != b[i].Uuid || a[i].Status != b[i].Status ||
            a[i].Field != b[i].Field || a[i].Message != b[i].Message) {
            return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view body(reinterpret_cast<const char*>(data), size);
    std::optional<BatchAck> ack = doorstep::DecodeAck(body);  // an exception aborts the target
    if (!ack) {
        return 0;
    }
    for (const auto& [first, last] : ack->Acked) {
        Require(first <= last, "an acked range goes up");
    }
    std::optional<BatchAck> again = doorstep::DecodeAck(doorstep::EncodeAck(*ack));
    Require(again.has_value(), "an acknowledgement read once reads again");
    Require(again->Acked == ack->Acked && again->ServerTimeMs == ack->ServerTimeMs &&
                SameIssues(again->Conflicts, ack->Conflicts) &&
                SameIssues(again->Rejected, ack->Rejected),
            "it reads back unchanged");
    return 0;
}
