// How the generic report queries take a ReportFilter: the same seven parameters in every one.
#pragma once

#include "server/store/report_filter.hpp"
#include "server/store/sql_session.hpp"

namespace doorstep::server {

// $1, $2 the local days (inclusive); $3 store, $4 door, $5 lang ('' for any); $6 kind ('' for
// both); $7 true to include suspect answers.
inline SqlParams SqlReportFilterParams(const ReportFilter& filter) {
    return SqlParams()
        .Int(filter.FromDay)
        .Int(filter.ToDay)
        .Text(filter.Store)
        .Text(filter.Door)
        .Text(filter.Language)
        .Text(filter.Kind ? ToString(*filter.Kind) : std::string_view())
        .Bool(filter.IncludeSuspect);
}

}  // namespace doorstep::server
