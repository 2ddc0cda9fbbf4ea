#include "core/response/response_columns.hpp"

#include <sqlite3.h>

namespace doorstep {

std::string ResponseFieldColumns(std::string_view prefix) {
    std::string columns;
    for (const char* field : kResponseFields) {
        columns.append(columns.empty() ? "" : ", ").append(prefix).append(field);
    }
    return columns;
}

Result<Response> ReadResponseFields(const Statement& row, int first, std::string_view what) {
    auto at = [first](int offset) { return first + offset; };
    Response data;
    data.Uuid = row.ColumnText(at(0));
    data.SurveyId = row.ColumnText(at(1));
    data.SurveyVersion = static_cast<int>(row.ColumnInt64(at(2)));
    data.Door = row.ColumnText(at(3));
    data.Language = row.ColumnText(at(4));
    std::optional<ResponseKind> kind = ParseResponseKind(row.ColumnText(at(5)));
    std::optional<ResponseStatus> status = ParseResponseStatus(row.ColumnText(at(6)));
    if (!kind || !status) {
        return Error{"read " + std::string(what) + ": unknown kind or status ('" +
                         row.ColumnText(at(5)) + "', '" + row.ColumnText(at(6)) + "')",
                     SQLITE_CORRUPT};
    }
    data.Kind = *kind;
    data.Status = *status;
    data.AbandonedAt = row.ColumnText(at(7));
    data.StartedAtMs = row.ColumnInt64(at(8));
    data.EndedAtMs = row.ColumnInt64(at(9));
    data.DurationMs = row.ColumnInt64(at(10));
    data.LeastMet = row.ColumnText(at(11));
    if (std::optional<int64_t> intent = row.ColumnOptionalInt64(at(12))) {
        data.Intent = static_cast<int>(*intent);
    }
    data.Comment = row.ColumnText(at(13));
    data.Synthetic = row.ColumnInt64(at(14)) != 0;
    return data;
}

}  // namespace doorstep
