// Head office's reports (docs/server.md, "Reports"): each one a JSON answer built from the
// rollup sums of one filter. A group of fewer than kMinGroupAnswers answers is never a number:
// it is {"suppressed": true} in the answer, whatever was asked.
//
//   needs      per need: answers, mean, distribution 1-5, share negative (1 or 2)
//   trend      per local day of the range: answers and mean (of the need filter, or all needs)
//   heatmap    per local weekday x hour: answers and mean
//   least-met  needs ranked by how often they were named least met, with their share
//   intent     promoters (9-10), passives (7-8), detractors (0-6) and the net score
//   gap        per need: the customers' mean, the staff's estimate, and staff minus customers
//   stores     per store: answers, mean, net intent score
//   comments   newest first, a page at a time, optionally only those containing q
//   choices    what the filters can choose from
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/base/result.hpp"
#include "server/store/report_filter.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

// The report called `name` (the last part of /api/reports/NAME). Nothing when there is no such
// report; an Error when the store fails.
Result<std::optional<nlohmann::json>> BuildReport(ServerStore& store, std::string_view name,
                                                  const ReportFilter& filter);

// The filter as the answers echo it back.
nlohmann::json FilterJson(const ReportFilter& filter);

}  // namespace doorstep::server
