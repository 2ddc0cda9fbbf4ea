#include "sqlite_response_rows.hpp"

#include <sqlite3.h>

namespace doorstep::server {

Result<ExportRow> ReadResponseRow(const Statement& row, Statement& scores) {
    ExportRow out;
    out.DeviceId = row.ColumnText(1);
    out.Store = row.ColumnText(2);
    out.Seq = row.ColumnInt64(3);
    Response& data = out.Data;
    data.Uuid = row.ColumnText(4);
    data.SurveyId = row.ColumnText(5);
    data.SurveyVersion = static_cast<int>(row.ColumnInt64(6));
    data.Door = row.ColumnText(7);
    data.Language = row.ColumnText(8);
    std::optional<ResponseKind> kind = ParseResponseKind(row.ColumnText(9));
    std::optional<ResponseStatus> status = ParseResponseStatus(row.ColumnText(10));
    if (!kind || !status) {
        return Error{"read response seq " + std::to_string(out.Seq) +
                         ": unknown kind or status ('" + row.ColumnText(9) + "', '" +
                         row.ColumnText(10) + "')",
                     SQLITE_CORRUPT};
    }
    data.Kind = *kind;
    data.Status = *status;
    data.AbandonedAt = row.ColumnText(11);
    data.StartedAtMs = row.ColumnInt64(12);
    data.EndedAtMs = row.ColumnInt64(13);
    data.DurationMs = row.ColumnInt64(14);
    data.LeastMet = row.ColumnText(15);
    if (std::optional<int64_t> intent = row.ColumnOptionalInt64(16)) {
        data.Intent = static_cast<int>(*intent);
    }
    data.Comment = row.ColumnText(17);
    data.Synthetic = row.ColumnInt64(18) != 0;
    out.ReceivedAtMs = row.ColumnInt64(19);

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
        data.Scores.push_back({scores.ColumnText(0), static_cast<int>(scores.ColumnInt64(1))});
    }
    return out;
}

}  // namespace doorstep::server
