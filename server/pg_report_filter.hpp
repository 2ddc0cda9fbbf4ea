// How the PostgreSQL report queries take a ReportFilter: the same seven parameters in every one,
// as SQLite's (sqlite_report_filter.hpp).
#pragma once

#include "pg_connection.hpp"
#include "report_filter.hpp"

namespace doorstep::server {

// $1, $2 the local days (inclusive); $3 store, $4 door, $5 lang ('' for any); $6 kind ('' for
// both); $7 true to include suspect answers.
inline PgParams PgReportFilterParams(const ReportFilter& filter) {
    return PgParams()
        .Int(filter.FromDay)
        .Int(filter.ToDay)
        .Text(filter.Store)
        .Text(filter.Door)
        .Text(filter.Language)
        .Text(filter.Kind ? ToString(*filter.Kind) : std::string_view())
        .Bool(filter.IncludeSuspect);
}

}  // namespace doorstep::server
