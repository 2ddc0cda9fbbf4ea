// The survey assignments query, the same text in both stores' SQL (survey_push.hpp explains
// scopes and assignments).
#pragma once

#include <string>

namespace doorstep::server {

// Columns: id, store, door, survey_id, version, etag, assigned_at_ms, assigned_by. Every
// assignment when `history`, otherwise only each scope's newest; newest first within a scope.
inline std::string SurveyAssignmentsSql(bool history) {
    std::string sql =
        "SELECT a.id, a.store, a.door, a.survey_id, a.version, v.etag, a.assigned_at_ms, "
        "a.assigned_by FROM survey_assignments a JOIN survey_versions v "
        "ON v.survey_id = a.survey_id AND v.version = a.version";
    if (!history) {
        sql +=
            " WHERE a.id = (SELECT max(b.id) FROM survey_assignments b "
            "WHERE b.store = a.store AND b.door = a.door)";
    }
    return sql + " ORDER BY a.store, a.door, a.id DESC";
}

}  // namespace doorstep::server
