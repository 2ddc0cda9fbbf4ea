// DecodeBatch: the server's reading of a /v1/responses body, the hottest path of ingest.
//
// simdjson parses the whole body into its tape in one pass (validating UTF-8 as it goes); each
// item is then read field by field from the tape and checked against docs/protocol.md. The first
// problem found in an item is the one reported, with the field's path; a bad item never fails
// its neighbours.
#include <simdjson.h>

#include <algorithm>
#include <array>

#include "core/base/text.hpp"
#include "core/base/uuid.hpp"
#include "core/wire/protocol.hpp"
#include "core/wire/wire.hpp"

namespace doorstep {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr int64_t kMaxDurationMs = 24LL * 3600 * 1000;
constexpr size_t kMaxScores = 8;
constexpr size_t kMaxCommentChars = 2000;

bool IsNeedId(std::string_view id) {
    return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || c == '_';
    });
}

bool IsInteger(element value) {
    return value.type() == element_type::INT64 || value.type() == element_type::UINT64;
}

// Unsigned values beyond int64 read as INT64_MAX, so a range check names them.
int64_t IntegerOf(element value) {
    if (value.type() == element_type::UINT64) {
        uint64_t number = value.get_uint64().value_unsafe();
        return number > INT64_MAX ? INT64_MAX : static_cast<int64_t>(number);
    }
    return value.get_int64().value_unsafe();
}

// The members an item may have. The kiosk sends them in this (alphabetical) order, so the
// search for each member starts where the previous one was found.
constexpr std::array<std::string_view, 20> kItemKeys = {
    "abandoned_at",   "age_ms",  "comment",       "door",           "duration_ms",
    "ended_at_ms",    "intent",  "kind",          "lang",           "least_met",
    "scores",         "seq",     "started_at_ms", "status",         "survey_id",
    "survey_version", "suspect", "synthetic",     "utc_offset_min", "uuid"};
constexpr int kMaxUtcOffsetMin = 18 * 60;

bool IsSuspectCodes(std::string_view codes) {
    return codes.size() <= 64 && std::all_of(codes.begin(), codes.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || c == '_' || c == ',';
           });
}

class ItemReader {
  public:
    // Reads the item's members once, in one pass over the tape.
    ItemReader(element item, size_t index) : Item_(item), Index_(index) {
        simdjson::dom::object members;
        if (item.get_object().get(members) != simdjson::SUCCESS) {
            return;
        }
        size_t next = 0;
        for (simdjson::dom::key_value_pair member : members) {
            for (size_t tried = 0; tried < kItemKeys.size(); ++tried) {
                size_t slot = (next + tried) % kItemKeys.size();
                if (kItemKeys[slot] == member.key) {
                    if (!Present_[slot]) {  // the first of repeated members counts
                        Members_[slot] = member.value;
                        Present_[slot] = true;
                    }
                    next = slot + 1;
                    break;
                }
            }
        }
    }

    BatchItem Read() {
        BatchItem out;
        if (!Item_.is_object()) {
            Fail("", "must be an object");
            return Finish(out);
        }
        Response r;
        int64_t seq = Integer("seq", 1, INT64_MAX);
        out.Seq = Problem_.empty() ? seq : 0;
        std::string uuid = String("uuid", 36, 36);
        if (Problem_.empty() && !IsUuid(uuid)) {
            Fail("uuid", "must be a lower-case canonical UUID, got \"" + uuid + "\"");
        }
        out.Uuid = IsUuid(uuid) ? uuid : std::string();
        r.Uuid = std::move(uuid);
        r.SurveyId = String("survey_id", 1, 64);
        r.SurveyVersion = static_cast<int>(Integer("survey_version", 1, INT32_MAX));
        r.Door = String("door", 1, 64);
        r.Language = String("lang", 2, 8);
        std::string kind = String("kind", 1, 16);
        if (Problem_.empty()) {
            auto parsed = ParseResponseKind(kind);
            parsed ? void(r.Kind = *parsed) : Fail("kind", "must be customer or staff");
        }
        std::string status = String("status", 1, 16);
        if (Problem_.empty()) {
            auto parsed = ParseResponseStatus(status);
            parsed ? void(r.Status = *parsed) : Fail("status", "must be completed or abandoned");
        }
        r.AbandonedAt = String("abandoned_at", 0, 64);
        r.StartedAtMs = Integer("started_at_ms", 0, INT64_MAX);
        r.EndedAtMs = Integer("ended_at_ms", 0, INT64_MAX);
        if (Problem_.empty() && r.EndedAtMs < r.StartedAtMs) {
            Fail("ended_at_ms", "must not be before started_at_ms");
        }
        r.DurationMs = Integer("duration_ms", 0, kMaxDurationMs);
        ReadScores(r);
        r.LeastMet = String("least_met", 0, 32);
        if (Problem_.empty() && !r.LeastMet.empty() && !IsNeedId(r.LeastMet)) {
            Fail("least_met", "must be empty or a need id");
        }
        ReadIntent(r);
        r.Comment = String("comment", 0, kMaxCommentChars * 4);
        if (Problem_.empty() && CountCodePoints(r.Comment) > kMaxCommentChars) {
            Fail("comment", "must be at most 2000 characters");
        }
        if (Problem_.empty()) {
            element synthetic;
            Find("synthetic", synthetic) && synthetic.is_bool()
                ? void(r.Synthetic = synthetic.get_bool().value_unsafe())
                : Fail("synthetic", "must be true or false");
        }
        ReadNotes(out);
        if (Problem_.empty()) {
            out.Data = std::move(r);
        }
        return Finish(out);
    }

  private:
    bool Find(std::string_view key, element& value) const {
        for (size_t slot = 0; slot < kItemKeys.size(); ++slot) {
            if (kItemKeys[slot] == key) {
                value = Members_[slot];
                return Present_[slot];
            }
        }
        return false;
    }

    void Fail(const std::string& field, const std::string& problem) {
        if (Problem_.empty()) {
            std::string prefix = "responses[" + std::to_string(Index_) + "]";
            Field_ = field.empty() ? prefix : prefix + "." + field;
            Problem_ = (field.empty() ? "item" : field) + " " + problem;
        }
    }

    int64_t Integer(const char* key, int64_t min, int64_t max) {
        if (!Problem_.empty()) {
            return 0;
        }
        element value;
        if (!Find(key, value) || !IsInteger(value)) {
            Fail(key, Find(key, value) ? "must be an integer" : "is missing");
            return 0;
        }
        int64_t number = IntegerOf(value);
        if (number < min || number > max) {
            Fail(key, "must be " + std::to_string(min) + ".." + std::to_string(max) + ", got " +
                          std::to_string(number));
        }
        return number;
    }

    std::string String(const char* key, size_t min, size_t max) {
        if (!Problem_.empty()) {
            return {};
        }
        element value;
        if (!Find(key, value) || !value.is_string()) {
            Fail(key, Find(key, value) ? "must be a string" : "is missing");
            return {};
        }
        std::string_view text = value.get_string().value_unsafe();
        if (text.size() < min || text.size() > max) {
            Fail(key, "must be " + std::to_string(min) + ".." + std::to_string(max) +
                          " bytes long, got " + std::to_string(text.size()));
        }
        return std::string(text);
    }

    void ReadScores(Response& r) {
        if (!Problem_.empty()) {
            return;
        }
        element scores;
        simdjson::dom::array entries;
        if (!Find("scores", scores) || scores.get_array().get(entries) != simdjson::SUCCESS ||
            entries.size() > kMaxScores) {
            Fail("scores", "must be an array of at most 8 {need, score} objects");
            return;
        }
        size_t i = 0;
        for (element entry : entries) {
            std::string field = "scores[" + std::to_string(i++) + "]";
            element need;
            element score;
            if (!entry.is_object() || entry["need"].get(need) != simdjson::SUCCESS ||
                !need.is_string() || entry["score"].get(score) != simdjson::SUCCESS ||
                !IsInteger(score)) {
                Fail(field, "must be {\"need\": id, \"score\": 1..5}");
                return;
            }
            std::string_view need_id = need.get_string().value_unsafe();
            int64_t value = IntegerOf(score);
            bool repeated = std::any_of(r.Scores.begin(), r.Scores.end(),
                                        [&](const NeedScore& s) { return s.NeedId == need_id; });
            if (!IsNeedId(need_id)) {
                Fail(field + ".need", "must be 1..32 characters of a-z and _");
            } else if (value < 1 || value > 5) {
                Fail(field + ".score", "must be 1..5, got " + std::to_string(value));
            } else if (repeated) {
                Fail(field + ".need", "repeats need \"" + std::string(need_id) + "\"");
            } else {
                r.Scores.push_back({std::string(need_id), static_cast<int>(value)});
            }
            if (!Problem_.empty()) {
                return;
            }
        }
    }

    // The optional members that say something about the answer (wire.hpp, BatchItem).
    void ReadNotes(BatchItem& out) {
        element value;
        if (Problem_.empty() && Find("suspect", value)) {
            std::string_view codes = value.is_string() ? value.get_string().value_unsafe() : "";
            value.is_string() && IsSuspectCodes(codes)
                ? void(out.Suspect = std::string(codes))
                : Fail("suspect", "must be a string of at most 64 a-z, _ and , characters");
        }
        if (Problem_.empty() && Find("utc_offset_min", value)) {
            int64_t offset = IsInteger(value) ? IntegerOf(value) : INT64_MAX;
            offset >= -kMaxUtcOffsetMin&& offset <= kMaxUtcOffsetMin
                ? void(out.UtcOffsetMin = static_cast<int>(offset))
                : Fail("utc_offset_min", "must be an integer from -1080 to 1080");
        }
        if (Problem_.empty() && Find("age_ms", value)) {
            int64_t age = IsInteger(value) ? IntegerOf(value) : -1;
            age >= 0 && age <= protocol::kMaxAnswerAgeMs
                ? void(out.AgeMs = age)
                : Fail("age_ms", "must be an integer from 0 to " +
                                     std::to_string(protocol::kMaxAnswerAgeMs) + " (ten years)");
        }
    }

    void ReadIntent(Response& r) {
        if (!Problem_.empty()) {
            return;
        }
        element intent;
        if (!Find("intent", intent)) {
            Fail("intent", "is missing (use null when not answered)");
        } else if (intent.is_null()) {
            r.Intent.reset();
        } else if (!IsInteger(intent) || IntegerOf(intent) < 0 || IntegerOf(intent) > 10) {
            Fail("intent", "must be 0..10 or null, got " + simdjson::minify(intent));
        } else {
            r.Intent = static_cast<int>(IntegerOf(intent));
        }
    }

    BatchItem& Finish(BatchItem& out) {
        out.Field = Field_;
        out.Problem = Problem_;
        return out;
    }

    element Item_;
    size_t Index_;
    std::array<element, kItemKeys.size()> Members_{};
    std::array<bool, kItemKeys.size()> Present_{};
    std::string Field_;
    std::string Problem_;
};

}  // namespace

BatchDecode DecodeBatch(std::string_view json_text) {
    BatchDecode result;
    simdjson::dom::parser parser;
    element document;
    simdjson::error_code parsed = parser.parse(json_text.data(), json_text.size()).get(document);
    if (parsed == simdjson::UTF8_ERROR) {
        size_t bad = FindInvalidUtf8(json_text);  // only now: the slow scan names the byte
        result.Error =
            RequestError("invalid_utf8", "body is not valid UTF-8 at byte " + std::to_string(bad));
        return result;
    }
    if (parsed != simdjson::SUCCESS || !document.is_object()) {
        result.Error = RequestError("bad_json", "body is not a JSON object");
        return result;
    }
    element device;
    if (document["device_id"].get(device) != simdjson::SUCCESS || !device.is_string() ||
        device.get_string().value_unsafe().empty()) {
        result.Error =
            RequestError("bad_request", "device_id must be a non-empty string", "device_id");
        return result;
    }
    element responses;
    simdjson::dom::array items;
    if (document["responses"].get(responses) != simdjson::SUCCESS ||
        responses.get_array().get(items) != simdjson::SUCCESS) {
        result.Error = RequestError("bad_request", "responses must be an array", "responses");
        return result;
    }
    if (items.size() > protocol::kMaxBatchItems) {
        result.Error =
            RequestError("too_many_items",
                         "a batch holds at most " + std::to_string(protocol::kMaxBatchItems) +
                             " responses, got " + std::to_string(items.size()),
                         "responses");
        return result;
    }
    BatchRequest request;
    element sent_at;
    if (document["sent_at_ms"].get(sent_at) == simdjson::SUCCESS) {
        if (!IsInteger(sent_at) || IntegerOf(sent_at) < 0) {
            result.Error = RequestError("bad_request",
                                        "sent_at_ms must be a non-negative integer (ms since "
                                        "1970 UTC), got " +
                                            simdjson::minify(sent_at),
                                        "sent_at_ms");
            return result;
        }
        request.SentAtMs = IntegerOf(sent_at);
    }
    request.DeviceId = std::string(device.get_string().value_unsafe());
    request.Items.reserve(items.size());
    size_t index = 0;
    for (element item : items) {
        request.Items.push_back(ItemReader(item, index++).Read());
    }
    result.Request = std::move(request);
    return result;
}

}  // namespace doorstep
