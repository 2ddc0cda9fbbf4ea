// How the SQLite report queries take a ReportFilter: the same seven parameters in every one.
#pragma once

#include "core/sqlite/sqlite_db.hpp"
#include "server/store/report_filter.hpp"

namespace doorstep::server {

// ?1, ?2 the local days (inclusive); ?3 store, ?4 door, ?5 lang ('' for any); ?6 kind ('' for
// both); ?7 1 to include suspect answers.
inline void BindReportFilter(Statement& statement, const ReportFilter& filter) {
    statement.BindInt64(1, filter.FromDay);
    statement.BindInt64(2, filter.ToDay);
    statement.BindText(3, filter.Store);
    statement.BindText(4, filter.Door);
    statement.BindText(5, filter.Language);
    statement.BindText(6, filter.Kind ? ToString(*filter.Kind) : std::string_view());
    statement.BindInt64(7, filter.IncludeSuspect ? 1 : 0);
}

}  // namespace doorstep::server
