// `doorstep-server devices`: one line per device, so head office sees at a glance which kiosks
// are quiet, behind, or missing answers.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "server/store/server_store.hpp"

namespace doorstep::server {

// "none", or "3-5, 9, 12-20"; after `max_ranges` ranges, "(+N more)".
std::string FormatRanges(const SeqRanges& ranges, size_t max_ranges = 6);

// A plain-text table with a header row; columns padded to their widest cell.
std::string FormatDevicesTable(const std::vector<DeviceOverview>& devices);

}  // namespace doorstep::server
