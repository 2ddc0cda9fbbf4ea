// The JSON messages of the sync protocol: encode, decode, and per-field validation.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/wire/wire.hpp"
#include "store_fixtures.hpp"

using namespace doorstep;
using Json = nlohmann::json;

namespace {

StoredResponse Row(int64_t seq, int n = 0) {
    StoredResponse row;
    row.Seq = seq;
    row.Data = doorstep::testing::SampleResponse(n);
    return row;
}

Json BatchWith(const std::vector<StoredResponse>& rows) {
    return Json::parse(EncodeBatch("dev_test", rows));
}

// Decodes a batch whose first item was changed by `mutate`.
BatchItem FirstItemAfter(const std::function<void(Json&)>& mutate) {
    Json batch = BatchWith({Row(7)});
    mutate(batch["responses"][0]);
    BatchDecode decoded = DecodeBatch(batch.dump());
    REQUIRE(decoded.Request.has_value());
    REQUIRE(decoded.Request->Items.size() == 1);
    return decoded.Request->Items.front();
}

}  // namespace

TEST_CASE("wire: a batch round-trips every field") {
    StoredResponse row = Row(41, 3);
    row.Data.Comment = "'); DROP TABLE responses;-- Ευχαριστώ";
    row.Data.Intent.reset();
    row.Data.Synthetic = true;
    BatchDecode decoded = DecodeBatch(EncodeBatch("dev_abc", {row, Row(42, 4)}));
    REQUIRE(decoded.Request.has_value());
    CHECK(decoded.Request->DeviceId == "dev_abc");
    REQUIRE(decoded.Request->Items.size() == 2);
    const BatchItem& item = decoded.Request->Items[0];
    CHECK(item.Problem == "");
    CHECK(item.Seq == 41);
    REQUIRE(item.Data.has_value());
    CHECK(*item.Data == row.Data);
    CHECK(CanonicalContent(*item.Data, 41) == CanonicalContent(row.Data, 41));
    CHECK(CanonicalContent(*item.Data, 41) != CanonicalContent(Row(41, 4).Data, 41));
}

TEST_CASE("wire: a bad item names its field and keeps its seq and uuid") {
    BatchItem intent = FirstItemAfter([](Json& item) { item["intent"] = 11; });
    CHECK_FALSE(intent.Data.has_value());
    CHECK(intent.Field == "responses[0].intent");
    CHECK(intent.Problem == "intent must be 0..10 or null, got 11");
    CHECK(intent.Seq == 7);
    CHECK(intent.Uuid.size() == 36);

    CHECK(FirstItemAfter([](Json& item) { item.erase("door"); }).Field == "responses[0].door");
    CHECK(FirstItemAfter([](Json& item) { item["scores"][1]["score"] = 6; }).Field ==
          "responses[0].scores[1].score");
    CHECK(FirstItemAfter([](Json& item) { item["scores"][1]["need"] = "speed"; }).Problem ==
          "scores[1].need repeats need \"speed\"");
    CHECK(FirstItemAfter([](Json& item) { item["uuid"] = "NOT-A-UUID"; }).Field ==
          "responses[0].uuid");
    CHECK(FirstItemAfter([](Json& item) { item["kind"] = "robot"; }).Field == "responses[0].kind");
    CHECK(FirstItemAfter([](Json& item) { item["ended_at_ms"] = 0; }).Field ==
          "responses[0].ended_at_ms");
    CHECK(FirstItemAfter([](Json& item) { item["comment"] = std::string(2001, 'x'); }).Field ==
          "responses[0].comment");
    CHECK(FirstItemAfter([](Json& item) { item["synthetic"] = 1; }).Field ==
          "responses[0].synthetic");
    BatchItem no_seq = FirstItemAfter([](Json& item) { item["seq"] = "seven"; });
    CHECK(no_seq.Seq == 0);
    CHECK(no_seq.Field == "responses[0].seq");
    CHECK(FirstItemAfter([](Json& item) { item = 5; }).Field == "responses[0]");
}

TEST_CASE("wire: whole-request problems fail the request with the documented codes") {
    CHECK(DecodeBatch("{\"device_id\":\"d\",\"responses\":[\"\xff\"]}").Error.Code ==
          "invalid_utf8");
    CHECK(DecodeBatch("not json").Error.Code == "bad_json");
    CHECK(DecodeBatch("[1,2]").Error.Code == "bad_json");
    BatchDecode missing = DecodeBatch("{\"responses\":[]}");
    CHECK(missing.Error.Code == "bad_request");
    CHECK(missing.Error.Field == "device_id");
    Json many = BatchWith({});
    many["responses"] = Json::array();
    for (int i = 0; i < 1001; ++i) {
        many["responses"].push_back(Json::object());
    }
    BatchDecode too_many = DecodeBatch(many.dump());
    CHECK_FALSE(too_many.Request.has_value());
    CHECK(too_many.Error.Code == "too_many_items");
}

TEST_CASE("wire: acknowledgements round-trip, and ranges") {
    BatchAck ack;
    ack.Acked = ToRanges({5, 1, 2, 3, 3, 9, 10});
    CHECK(ack.Acked == std::vector<std::pair<int64_t, int64_t>>{{1, 3}, {5, 5}, {9, 10}});
    CHECK(RangesContain(ack.Acked, 2));
    CHECK_FALSE(RangesContain(ack.Acked, 4));
    ack.Conflicts.push_back({4, "u4", 409, "", "already stored with different content"});
    ack.Rejected.push_back({6, "u6", 400, "responses[3].intent", "intent must be 0..10"});
    ack.ServerTimeMs = 1795549384722;
    std::optional<BatchAck> back = DecodeAck(EncodeAck(ack));
    REQUIRE(back.has_value());
    CHECK(back->Acked == ack.Acked);
    REQUIRE(back->Rejected.size() == 1);
    CHECK(back->Rejected[0].Field == "responses[3].intent");
    CHECK(back->Conflicts[0].Status == 409);
    CHECK(back->ServerTimeMs == ack.ServerTimeMs);
    CHECK_FALSE(DecodeAck("{\"acked\":[[3,1]]}").has_value());
    CHECK_FALSE(DecodeAck("<html>proxy error</html>").has_value());
    // A member of the wrong type is an unreadable answer, not an exception on the uploader thread
    // (found by tests/fuzz/ack_decode_fuzz.cpp).
    CHECK_FALSE(DecodeAck("{\"acked\":[],\"rejected\":[{\"seq\":1,\"status\":\"400\"}]}"));
    CHECK_FALSE(DecodeAck("{\"acked\":[],\"conflicts\":[{\"seq\":1,\"message\":[]}]}"));
    CHECK_FALSE(DecodeAck("{\"acked\":[],\"server_time_ms\":1e300}"));
    CHECK_FALSE(DecodeAck("{\"acked\":[],\"server_time_ms\":18446744073709551615}"));
    CHECK(DecodeAck("{\"acked\":[[1,2]]}")->ServerTimeMs == 0);  // older servers leave it out
}

TEST_CASE("wire: heartbeats round-trip and name a bad field") {
    Heartbeat beat;
    beat.DeviceId = "dev_1";
    beat.Backlog = 12;
    beat.ClockOffsetMs = -7200000;
    beat.LastError = "connect timed out";
    beat.AppVersion = "0.1.0";
    beat.SurveyVersion = 3;
    beat.FreeDiskBytes = 123456;
    beat.HighestSeq = 1041;
    WireError error;
    std::optional<Heartbeat> back = DecodeHeartbeat(EncodeHeartbeat(beat), error);
    REQUIRE(back.has_value());
    CHECK(back->HighestSeq == 1041);
    CHECK(back->LastError == "connect timed out");
    Json broken = Json::parse(EncodeHeartbeat(beat));
    broken["backlog"] = "lots";
    CHECK_FALSE(DecodeHeartbeat(broken.dump(), error).has_value());
    CHECK(error.Field == "backlog");

    // Answers held in memory on a full disk: carried, optional for older kiosks, checked.
    beat.UnsavedAnswers = 7;
    beat.StorageError = "database or disk is full";
    back = DecodeHeartbeat(EncodeHeartbeat(beat), error);
    REQUIRE(back.has_value());
    CHECK(back->UnsavedAnswers == 7);
    CHECK(back->StorageError == "database or disk is full");
    Json older = Json::parse(EncodeHeartbeat(beat));
    older.erase("unsaved_answers");
    older.erase("storage_error");
    back = DecodeHeartbeat(older.dump(), error);
    REQUIRE(back.has_value());
    CHECK(back->UnsavedAnswers == 0);
    CHECK(back->StorageError.empty());
    older["unsaved_answers"] = -1;
    CHECK_FALSE(DecodeHeartbeat(older.dump(), error).has_value());
    CHECK(error.Field == "unsaved_answers");
}

TEST_CASE("wire: error bodies") {
    Json body =
        Json::parse(EncodeError("clock_skew", "timestamp is 2 h off", "{\"server_time_ms\":5}"));
    CHECK(body["error"] == "clock_skew");
    CHECK(body["server_time_ms"] == 5);
}

TEST_CASE("wire: the fast batch encoder writes exactly what nlohmann::json writes") {
    std::vector<StoredResponse> rows;
    const std::string tricky[] = {"",
                                  "plain",
                                  "quote \" and backslash \\",
                                  "tab\tnew\nline\r",
                                  std::string("nul\0\x01\x1f end", sizeof "nul\0\x01\x1f end" - 1),
                                  "Ευχαριστώ! «ok» €",
                                  "emoji \xf0\x9f\x98\x80",
                                  "slash / and <tags>",
                                  "bad \xff utf-8"};
    int n = 0;
    for (const std::string& text : tricky) {
        StoredResponse row = Row(n + 1, n);
        row.Data.Comment = text;
        row.Data.AbandonedAt = text.substr(0, 5);
        row.Data.Intent = n % 2 == 0 ? std::optional<int>(n % 11) : std::nullopt;
        row.Data.Synthetic = n % 3 == 0;
        row.Data.Scores.resize(static_cast<size_t>(n % 4));
        row.SuspectReason = n % 2 == 0 ? "burst,repeat" : "";
        row.UtcOffsetMin = n % 3 == 0 ? 0 : (n % 3 == 1 ? 330 : -240);
        if (n % 2 == 1) {
            row.EndedBootMs = 1'000 * n;
        }
        rows.push_back(row);
        ++n;
    }
    CHECK(EncodeBatch("dev_x", rows) == EncodeBatchSlowly("dev_x", rows));
    ClockStamp now{1'795'549'384'722, 90'000};
    CHECK(EncodeBatch("dev_x", rows, now) == EncodeBatchSlowly("dev_x", rows, now));
    CHECK(EncodeBatch("dev_\"q\"", {}) == EncodeBatchSlowly("dev_\"q\"", {}));
    for (StoredResponse row : rows) {
        row.SuspectReason.clear();  // the content leaves out what is said about the answer
        row.UtcOffsetMin = 0;
        CHECK(CanonicalContent(row.Data, row.Seq) ==
              Json::parse(EncodeBatchSlowly("d", {row}))["responses"][0].dump(
                  -1, ' ', false, Json::error_handler_t::replace));
    }
}

TEST_CASE("wire: suspect codes and the UTC offset travel beside the answer, not in it") {
    StoredResponse plain = Row(5, 1);
    StoredResponse noted = plain;
    noted.Seq = 6;
    noted.SuspectReason = "burst,too_fast";
    noted.UtcOffsetMin = -330;
    Json batch = BatchWith({plain, noted});
    CHECK_FALSE(batch["responses"][0].contains("suspect"));  // defaults are not sent
    CHECK_FALSE(batch["responses"][0].contains("utc_offset_min"));
    CHECK(batch["responses"][1]["suspect"] == "burst,too_fast");
    CHECK(batch["responses"][1]["utc_offset_min"] == -330);
    BatchDecode decoded = DecodeBatch(batch.dump());
    REQUIRE(decoded.Request.has_value());
    const BatchItem& first = decoded.Request->Items[0];
    const BatchItem& second = decoded.Request->Items[1];
    CHECK(first.Suspect.empty());
    CHECK(first.UtcOffsetMin == 0);
    CHECK(second.Suspect == "burst,too_fast");
    CHECK(second.UtcOffsetMin == -330);
    REQUIRE(second.Data.has_value());
    CHECK(CanonicalContent(*second.Data, 5) == CanonicalContent(plain.Data, 5));

    CHECK(FirstItemAfter([](Json& item) { item["suspect"] = "Burst!"; }).Field ==
          "responses[0].suspect");
    CHECK(FirstItemAfter([](Json& item) { item["suspect"] = 3; }).Field == "responses[0].suspect");
    CHECK(FirstItemAfter([](Json& item) { item["utc_offset_min"] = 1081; }).Field ==
          "responses[0].utc_offset_min");
    CHECK(FirstItemAfter([](Json& item) { item["utc_offset_min"] = "+60"; }).Problem ==
          "utc_offset_min must be an integer from -1080 to 1080");
    CHECK(FirstItemAfter([](Json& item) { item["suspect"] = "repeat"; }).Suspect == "repeat");
}

TEST_CASE("wire: the sending time and each answer's age travel with the batch") {
    StoredResponse this_boot = Row(1, 1);
    this_boot.EndedBootMs = 40'000;
    StoredResponse earlier_boot = Row(2, 2);  // stored before a restart: no boot-clock end
    BatchDecode decoded =
        DecodeBatch(EncodeBatch("dev_t", {this_boot, earlier_boot}, ClockStamp{123'456, 100'000}));
    REQUIRE(decoded.Request.has_value());
    CHECK(decoded.Request->SentAtMs == 123'456);
    CHECK(decoded.Request->Items[0].AgeMs == 60'000);
    CHECK_FALSE(decoded.Request->Items[1].AgeMs.has_value());
    // Without the clocks (an older terminal) neither is sent.
    BatchDecode plain = DecodeBatch(EncodeBatch("dev_t", {this_boot}));
    REQUIRE(plain.Request.has_value());
    CHECK_FALSE(plain.Request->SentAtMs.has_value());
    CHECK_FALSE(plain.Request->Items[0].AgeMs.has_value());
    // Neither is part of the answer's content.
    CHECK(*decoded.Request->Items[0].Data == this_boot.Data);
}

TEST_CASE("wire: a bad age spoils only its item; a bad sending time, the request") {
    BatchItem negative = FirstItemAfter([](Json& item) { item["age_ms"] = -1; });
    CHECK_FALSE(negative.Data.has_value());
    CHECK(negative.Field == "responses[0].age_ms");
    CHECK(negative.Problem.find("age_ms must be an integer from 0 to") == 0);
    BatchItem text = FirstItemAfter([](Json& item) { item["age_ms"] = "5"; });
    CHECK(text.Field == "responses[0].age_ms");
    Json batch = BatchWith({Row(7)});
    batch["sent_at_ms"] = 1.5;
    BatchDecode decoded = DecodeBatch(batch.dump());
    CHECK_FALSE(decoded.Request.has_value());
    CHECK(decoded.Error.Field == "sent_at_ms");
    CHECK(decoded.Error.Message ==
          "sent_at_ms must be a non-negative integer (ms since 1970 UTC), "
          "got 1.5");
}
