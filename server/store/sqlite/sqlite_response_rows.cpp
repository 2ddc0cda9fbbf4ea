#include "server/store/sqlite/sqlite_response_rows.hpp"

#include <sqlite3.h>

#include "core/response/response_columns.hpp"

namespace doorstep::server {

std::string ResponseRowColumns() {
    return "r.id, r.device_id, d.store, r.seq, " + ResponseFieldColumns("r.") +
           ", r.received_at_ms, r.suspect_reason, r.utc_offset_min, "
           "r.clock_shift_ms";
}

Result<ExportRow> ReadResponseRow(const Statement& row, Statement& scores) {
    ExportRow out;
    out.DeviceId = row.ColumnText(1);
    out.Store = row.ColumnText(2);
    out.Seq = row.ColumnInt64(3);
    Result<Response> data = ReadResponseFields(row, 4, "response seq " + std::to_string(out.Seq));
    if (!data.Ok()) {
        return data.Err();
    }
    out.Data = std::move(*data);
    out.ReceivedAtMs = row.ColumnInt64(19);
    out.SuspectReason = row.ColumnText(20);
    out.UtcOffsetMin = static_cast<int>(row.ColumnInt64(21));
    out.ClockShiftMs = row.ColumnInt64(22);
    ResetOnExit reset_scores(scores);
    scores.BindInt64(1, row.ColumnInt64(0));
    for (;;) {
        Result<bool> score = scores.Step();
        if (!score.Ok()) {
            return score.Err();
        }
        if (!*score) {
            break;
        }
        out.Data.Scores.push_back({scores.ColumnText(0), static_cast<int>(scores.ColumnInt64(1))});
    }
    return out;
}

}  // namespace doorstep::server
