#include "core/wire/wire.hpp"

#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/base/text.hpp"
#include "core/base/uuid.hpp"
#include "core/wire/protocol.hpp"

namespace doorstep {
namespace {

using Json = nlohmann::json;

// What an item says about its answer beyond the answer itself; sent only when not the default,
// and never part of CanonicalContent.
struct ItemNotes {
    std::string_view Suspect;
    int UtcOffsetMin = 0;
    std::optional<int64_t> AgeMs;
};

// `now`: the clocks as the batch is sent, which give each row stored during this boot its age.
ItemNotes NotesOf(const StoredResponse& row, const std::optional<ClockStamp>& now) {
    std::optional<int64_t> age;
    // An age head office would refuse (a boot clock that is not one) is left out, not sent.
    if (now && row.EndedBootMs && now->BootMs - *row.EndedBootMs <= protocol::kMaxAnswerAgeMs) {
        age = std::max<int64_t>(0, now->BootMs - *row.EndedBootMs);
    }
    return {row.SuspectReason, row.UtcOffsetMin, age};
}

Json ItemJson(const Response& r, int64_t seq, ItemNotes notes = {}) {
    Json scores = Json::array();
    for (const NeedScore& score : r.Scores) {
        scores.push_back({{"need", score.NeedId}, {"score", score.Score}});
    }
    Json item = {{"seq", seq},
                 {"uuid", r.Uuid},
                 {"survey_id", r.SurveyId},
                 {"survey_version", r.SurveyVersion},
                 {"door", r.Door},
                 {"lang", r.Language},
                 {"kind", ToString(r.Kind)},
                 {"status", ToString(r.Status)},
                 {"abandoned_at", r.AbandonedAt},
                 {"started_at_ms", r.StartedAtMs},
                 {"ended_at_ms", r.EndedAtMs},
                 {"duration_ms", r.DurationMs},
                 {"scores", scores},
                 {"least_met", r.LeastMet},
                 {"intent", r.Intent ? Json(*r.Intent) : Json(nullptr)},
                 {"comment", r.Comment},
                 {"synthetic", r.Synthetic}};
    if (!notes.Suspect.empty()) {
        item["suspect"] = notes.Suspect;
    }
    if (notes.UtcOffsetMin != 0) {
        item["utc_offset_min"] = notes.UtcOffsetMin;
    }
    if (notes.AgeMs) {
        item["age_ms"] = *notes.AgeMs;
    }
    return item;
}

// A direct writer for the one message sent in bulk. It produces exactly the bytes
// nlohmann::json::dump() gives for ItemJson() (keys in alphabetical order, the same escapes), at a
// fraction of the cost; tests compare the two on many responses. Text that is not valid UTF-8
// takes the slow path, which replaces bad bytes.
constexpr char kHex[] = "0123456789abcdef";

void AppendJsonString(std::string& out, std::string_view text) {
    out.push_back('"');
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (byte < 0x20) {
                    out += "\\u00";
                    out.push_back(kHex[byte >> 4]);
                    out.push_back(kHex[byte & 0x0f]);
                } else {
                    out.push_back(c);
                }
        }
    }
    out.push_back('"');
}

bool AllValidUtf8(const Response& r) {
    for (std::string_view text :
         {std::string_view(r.Uuid), std::string_view(r.SurveyId), std::string_view(r.Door),
          std::string_view(r.Language), std::string_view(r.AbandonedAt),
          std::string_view(r.LeastMet), std::string_view(r.Comment)}) {
        if (!IsValidUtf8(text)) {
            return false;
        }
    }
    return std::all_of(r.Scores.begin(), r.Scores.end(),
                       [](const NeedScore& score) { return IsValidUtf8(score.NeedId); });
}

void AppendItemJson(std::string& out, const Response& r, int64_t seq, ItemNotes notes = {}) {
    if (!AllValidUtf8(r) || !IsValidUtf8(notes.Suspect)) {
        out += ItemJson(r, seq, notes).dump(-1, ' ', false, Json::error_handler_t::replace);
        return;
    }
    auto field = [&](const char* key) {
        if (out.back() != '{') {
            out.push_back(',');
        }
        out.push_back('"');
        out += key;
        out += "\":";
    };
    out.push_back('{');
    field("abandoned_at");
    AppendJsonString(out, r.AbandonedAt);
    if (notes.AgeMs) {
        field("age_ms");
        out += std::to_string(*notes.AgeMs);
    }
    field("comment");
    AppendJsonString(out, r.Comment);
    field("door");
    AppendJsonString(out, r.Door);
    field("duration_ms");
    out += std::to_string(r.DurationMs);
    field("ended_at_ms");
    out += std::to_string(r.EndedAtMs);
    field("intent");
    out += r.Intent ? std::to_string(*r.Intent) : std::string("null");
    field("kind");
    AppendJsonString(out, ToString(r.Kind));
    field("lang");
    AppendJsonString(out, r.Language);
    field("least_met");
    AppendJsonString(out, r.LeastMet);
    field("scores");
    out.push_back('[');
    for (size_t i = 0; i < r.Scores.size(); ++i) {
        out += i == 0 ? "{\"need\":" : ",{\"need\":";
        AppendJsonString(out, r.Scores[i].NeedId);
        out += ",\"score\":" + std::to_string(r.Scores[i].Score) + "}";
    }
    out.push_back(']');
    field("seq");
    out += std::to_string(seq);
    field("started_at_ms");
    out += std::to_string(r.StartedAtMs);
    field("status");
    AppendJsonString(out, ToString(r.Status));
    field("survey_id");
    AppendJsonString(out, r.SurveyId);
    field("survey_version");
    out += std::to_string(r.SurveyVersion);
    if (!notes.Suspect.empty()) {
        field("suspect");
        AppendJsonString(out, notes.Suspect);
    }
    field("synthetic");
    out += r.Synthetic ? "true" : "false";
    if (notes.UtcOffsetMin != 0) {
        field("utc_offset_min");
        out += std::to_string(notes.UtcOffsetMin);
    }
    field("uuid");
    AppendJsonString(out, r.Uuid);
    out.push_back('}');
}

// Optional members of head office's answers. A member of the wrong type makes the answer
// unreadable: nlohmann's value() would throw instead, and an exception would end the uploader's
// thread, and with it the kiosk, at every sync while head office (or a proxy) answers so.
bool ReadOptionalString(const Json& object, const char* key, std::string& out) {
    auto member = object.find(key);
    if (member == object.end()) {
        return true;
    }
    if (!member->is_string()) {
        return false;
    }
    out = member->get<std::string>();
    return true;
}

template <typename Integer>
bool ReadOptionalInteger(const Json& object, const char* key, Integer& out) {
    auto member = object.find(key);
    if (member == object.end()) {
        return true;
    }
    // Only integers that fit: get<>() would silently wrap a larger one, or convert a fraction.
    bool fits = member->is_number_unsigned()
                    ? member->get<uint64_t>() <= uint64_t(std::numeric_limits<Integer>::max())
                    : member->is_number_integer() &&
                          member->get<int64_t>() >= std::numeric_limits<Integer>::min() &&
                          member->get<int64_t>() <= std::numeric_limits<Integer>::max();
    if (!fits) {
        return false;
    }
    out = static_cast<Integer>(member->get<int64_t>());
    return true;
}

}  // namespace

WireError RequestError(std::string code, std::string message, std::string field) {
    return {400, std::move(code), std::move(message), std::move(field)};
}

std::string EncodeBatch(const std::string& device_id, const std::vector<StoredResponse>& rows,
                        const std::optional<ClockStamp>& now) {
    std::string out = "{\"device_id\":";
    if (IsValidUtf8(device_id)) {
        AppendJsonString(out, device_id);
    } else {
        out += Json(device_id).dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    out += ",\"responses\":[";
    out.reserve(rows.size() * 420);
    for (size_t i = 0; i < rows.size(); ++i) {
        if (i > 0) {
            out.push_back(',');
        }
        AppendItemJson(out, rows[i].Data, rows[i].Seq, NotesOf(rows[i], now));
    }
    out += "]";
    if (now) {
        out += ",\"sent_at_ms\":" + std::to_string(now->WallMs);
    }
    out += "}";
    return out;
}

std::string EncodeBatchSlowly(const std::string& device_id, const std::vector<StoredResponse>& rows,
                              const std::optional<ClockStamp>& now) {
    Json items = Json::array();
    for (const StoredResponse& row : rows) {
        items.push_back(ItemJson(row.Data, row.Seq, NotesOf(row, now)));
    }
    Json batch{{"device_id", device_id}, {"responses", items}};
    if (now) {
        batch["sent_at_ms"] = now->WallMs;
    }
    return batch.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string CanonicalContent(const Response& response, int64_t seq) {
    std::string out;
    AppendItemJson(out, response, seq);  // the same bytes as ItemJson(...).dump(): keys sorted
    return out;
}

std::string EncodeAck(const BatchAck& ack) {
    Json acked = Json::array();
    for (const auto& [first, last] : ack.Acked) {
        acked.push_back({first, last});
    }
    auto issues = [](const std::vector<ItemIssue>& list) {
        Json out = Json::array();
        for (const ItemIssue& issue : list) {
            Json entry{{"seq", issue.Seq},
                       {"uuid", issue.Uuid},
                       {"status", issue.Status},
                       {"message", issue.Message}};
            if (!issue.Field.empty()) {
                entry["field"] = issue.Field;
            }
            out.push_back(entry);
        }
        return out;
    };
    return Json{{"acked", acked},
                {"conflicts", issues(ack.Conflicts)},
                {"rejected", issues(ack.Rejected)},
                {"server_time_ms", ack.ServerTimeMs}}
        .dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<BatchAck> DecodeAck(std::string_view json_text) {
    Json document = Json::parse(json_text, nullptr, false);
    if (document.is_discarded() || !document.is_object() || !document.contains("acked") ||
        !document["acked"].is_array()) {
        return std::nullopt;
    }
    BatchAck ack;
    for (const Json& range : document["acked"]) {
        if (!range.is_array() || range.size() != 2 || !range[0].is_number_integer() ||
            !range[1].is_number_integer() || range[0].get<int64_t>() > range[1].get<int64_t>()) {
            return std::nullopt;
        }
        ack.Acked.emplace_back(range[0].get<int64_t>(), range[1].get<int64_t>());
    }
    auto read_issues = [&](const char* key, std::vector<ItemIssue>& out) {
        if (!document.contains(key) || !document[key].is_array()) {
            return true;  // optional: older servers may leave it out
        }
        for (const Json& entry : document[key]) {
            if (!entry.is_object() || !entry.contains("seq") || !entry["seq"].is_number_integer()) {
                return false;
            }
            ItemIssue issue;
            issue.Seq = entry["seq"].get<int64_t>();
            if (!ReadOptionalString(entry, "uuid", issue.Uuid) ||
                !ReadOptionalInteger(entry, "status", issue.Status) ||
                !ReadOptionalString(entry, "field", issue.Field) ||
                !ReadOptionalString(entry, "message", issue.Message)) {
                return false;
            }
            out.push_back(std::move(issue));
        }
        return true;
    };
    if (!read_issues("conflicts", ack.Conflicts) || !read_issues("rejected", ack.Rejected) ||
        !ReadOptionalInteger(document, "server_time_ms", ack.ServerTimeMs)) {
        return std::nullopt;
    }
    return ack;
}

std::vector<std::pair<int64_t, int64_t>> ToRanges(std::vector<int64_t> seqs) {
    std::sort(seqs.begin(), seqs.end());
    seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
    std::vector<std::pair<int64_t, int64_t>> ranges;
    for (int64_t seq : seqs) {
        if (!ranges.empty() && ranges.back().second + 1 == seq) {
            ranges.back().second = seq;
        } else {
            ranges.emplace_back(seq, seq);
        }
    }
    return ranges;
}

bool RangesContain(const std::vector<std::pair<int64_t, int64_t>>& ranges, int64_t seq) {
    return std::any_of(ranges.begin(), ranges.end(), [&](const auto& range) {
        return seq >= range.first && seq <= range.second;
    });
}

std::string EncodeHeartbeat(const Heartbeat& h) {
    return Json{{"device_id", h.DeviceId},
                {"backlog", h.Backlog},
                {"oldest_unsent_age_s", h.OldestUnsentAgeS},
                {"last_error", h.LastError},
                {"clock_offset_ms", h.ClockOffsetMs},
                {"app_version", h.AppVersion},
                {"survey_version", h.SurveyVersion},
                {"free_disk_bytes", h.FreeDiskBytes},
                {"highest_seq", h.HighestSeq},
                {"unsaved_answers", h.UnsavedAnswers},
                {"storage_error", h.StorageError}}
        .dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<Heartbeat> DecodeHeartbeat(std::string_view json_text, WireError& error) {
    if (size_t bad = FindInvalidUtf8(json_text); bad != std::string_view::npos) {
        error =
            RequestError("invalid_utf8", "body is not valid UTF-8 at byte " + std::to_string(bad));
        return std::nullopt;
    }
    Json d = Json::parse(json_text, nullptr, false);
    if (d.is_discarded() || !d.is_object()) {
        error = RequestError("bad_json", "body is not a JSON object");
        return std::nullopt;
    }
    Heartbeat h;
    struct IntField {
        const char* Key;
        int64_t* Target;
    };
    for (IntField field :
         {IntField{"backlog", &h.Backlog}, IntField{"oldest_unsent_age_s", &h.OldestUnsentAgeS},
          IntField{"clock_offset_ms", &h.ClockOffsetMs},
          IntField{"free_disk_bytes", &h.FreeDiskBytes}, IntField{"highest_seq", &h.HighestSeq}}) {
        if (!d.contains(field.Key) || !d[field.Key].is_number_integer()) {
            error = RequestError("bad_request", std::string(field.Key) + " must be an integer",
                                 field.Key);
            return std::nullopt;
        }
        *field.Target = d[field.Key].get<int64_t>();
    }
    for (const char* key : {"device_id", "last_error", "app_version"}) {
        if (!d.contains(key) || !d[key].is_string() ||
            d[key].get_ref<const std::string&>().size() > 1024) {
            error = RequestError("bad_request",
                                 std::string(key) + " must be a string of at most 1024 bytes", key);
            return std::nullopt;
        }
    }
    if (!d.contains("survey_version") || !d["survey_version"].is_number_integer()) {
        error = RequestError("bad_request", "survey_version must be an integer", "survey_version");
        return std::nullopt;
    }
    if (d.contains("unsaved_answers")) {
        if (!d["unsaved_answers"].is_number_integer() || d["unsaved_answers"].get<int64_t>() < 0) {
            error = RequestError("bad_request", "unsaved_answers must be a whole number",
                                 "unsaved_answers");
            return std::nullopt;
        }
        h.UnsavedAnswers = d["unsaved_answers"].get<int64_t>();
    }
    if (d.contains("storage_error")) {
        if (!d["storage_error"].is_string() ||
            d["storage_error"].get_ref<const std::string&>().size() > 1024) {
            error =
                RequestError("bad_request", "storage_error must be a string of at most 1024 bytes",
                             "storage_error");
            return std::nullopt;
        }
        h.StorageError = d["storage_error"].get<std::string>();
    }
    h.DeviceId = d["device_id"].get<std::string>();
    h.LastError = d["last_error"].get<std::string>();
    h.AppVersion = d["app_version"].get<std::string>();
    h.SurveyVersion = static_cast<int>(d["survey_version"].get<int64_t>());
    return h;
}

std::string EncodeError(std::string_view code, std::string_view message,
                        std::string_view extra_members_json) {
    Json body = Json::parse(extra_members_json, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        body = Json::object();
    }
    body["error"] = code;
    body["message"] = message;
    return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace doorstep
