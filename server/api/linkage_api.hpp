// Head office's API for linking needs to outcomes (docs/server.md, "Outcomes and linkage"),
// behind the same sign-in as the reports:
//   POST /api/outcomes            an outcomes CSV (text/csv, or gzipped as application/gzip),
//                                 imported whole or refused whole: 400 names every refused line
//   GET  /api/outcomes            the metrics imported so far
//   PUT  /api/store-groups        a store,group CSV: the whole grouping, replaced or refused
//   GET  /api/store-groups        the grouping, and the stores in no group
//   GET  /api/reports/linkage     needs and intent against each outcome at lags 0-8 weeks
//   GET  /api/reports/drivers     key drivers, overall and by store group:
//                                 ?outcome=intent|METRIC &lag=0-8
//   GET  /api/linkage.csv, /api/drivers.csv   the same as CSV
// The reports take the report filter (report_filter.hpp); without `from` they look back 104
// weeks from `to`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "server/api/api_message.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

inline constexpr int64_t kDefaultLinkageWeeks = 104;

// The reply when the path is one of these, else nothing. `user` is the caller's name.
std::optional<ApiReply> HandleLinkageApi(ServerStore& store, const ApiRequest& request,
                                         const std::string& user, int64_t now_ms);

}  // namespace doorstep::server
