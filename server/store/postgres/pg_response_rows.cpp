#include "server/store/postgres/pg_response_rows.hpp"

#include <unordered_map>

#include "core/response/response_columns.hpp"

namespace doorstep::server {

std::string PgResponseRowColumns() {
    return "r.id, r.device_id, d.store, r.seq, " + ResponseFieldColumns("r.") +
           ", r.received_at_ms, r.suspect_reason, r.utc_offset_min, "
           "r.clock_shift_ms";
}

Result<ExportRow> ReadPgResponseRow(const SqlRows& rows, int row) {
    ExportRow out;
    out.DeviceId = rows.Text(row, 1);
    out.Store = rows.Text(row, 2);
    out.Seq = rows.Int(row, 3);
    auto at = [](int offset) { return 4 + offset; };
    Response& data = out.Data;
    data.Uuid = rows.Text(row, at(0));
    data.SurveyId = rows.Text(row, at(1));
    data.SurveyVersion = static_cast<int>(rows.Int(row, at(2)));
    data.Door = rows.Text(row, at(3));
    data.Language = rows.Text(row, at(4));
    std::optional<ResponseKind> kind = ParseResponseKind(rows.Text(row, at(5)));
    std::optional<ResponseStatus> status = ParseResponseStatus(rows.Text(row, at(6)));
    if (!kind || !status) {
        return Error{"read response seq " + std::to_string(out.Seq) +
                         ": unknown kind or status ('" + rows.Text(row, at(5)) + "', '" +
                         rows.Text(row, at(6)) + "')",
                     1};
    }
    data.Kind = *kind;
    data.Status = *status;
    data.AbandonedAt = rows.Text(row, at(7));
    data.StartedAtMs = rows.Int(row, at(8));
    data.EndedAtMs = rows.Int(row, at(9));
    data.DurationMs = rows.Int(row, at(10));
    data.LeastMet = rows.Text(row, at(11));
    if (std::optional<int64_t> intent = rows.OptionalInt(row, at(12))) {
        data.Intent = static_cast<int>(*intent);
    }
    data.Comment = rows.Text(row, at(13));
    data.Synthetic = rows.Int(row, at(14)) != 0;
    out.ReceivedAtMs = rows.Int(row, 19);
    out.SuspectReason = rows.Text(row, 20);
    out.UtcOffsetMin = static_cast<int>(rows.Int(row, 21));
    out.ClockShiftMs = rows.Int(row, 22);
    return out;
}

Status ReadPgScores(PgConnection& db, const std::vector<int64_t>& ids,
                    std::vector<ExportRow>& responses) {
    if (ids.empty()) {
        return Success();
    }
    Result<SqlRows> scores = db.Exec("read response scores",
                                     "SELECT response_id, need, score FROM response_scores "
                                     "WHERE response_id = ANY($1::bigint[]) "
                                     "ORDER BY response_id, ordinal",
                                     SqlParams().Text(PgIntArray(ids)));
    if (!scores.Ok()) {
        return scores.Err();
    }
    std::unordered_map<int64_t, size_t> position;
    for (size_t i = 0; i < ids.size(); ++i) {
        position.emplace(ids[i], i);
    }
    for (int row = 0; row < scores->Count(); ++row) {
        ExportRow& response = responses.at(position.at(scores->Int(row, 0)));
        response.Data.Scores.push_back(
            {scores->Text(row, 1), static_cast<int>(scores->Int(row, 2))});
    }
    return Success();
}

std::string PgTextArray(const std::vector<std::string>& values) {
    std::string array = "{";
    for (const std::string& value : values) {
        array += array.size() == 1 ? "\"" : ",\"";
        for (char c : value) {
            if (c == '"' || c == '\\') {
                array += '\\';
            }
            array += c;
        }
        array += '"';
    }
    return array + "}";
}

std::string PgIntArray(const std::vector<int64_t>& values) {
    std::string array = "{";
    for (int64_t value : values) {
        array += (array.size() == 1 ? "" : ",") + std::to_string(value);
    }
    return array + "}";
}

}  // namespace doorstep::server
