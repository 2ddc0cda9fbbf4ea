// `doorstep-server export`: every stored response as one CSV row (columns: docs/export.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "core/response/export_columns.hpp"  // ScoreColumnNeeds(), shared with the terminal's export
#include "server/store/server_store.hpp"

namespace doorstep::server {

// "2026-11-24" -> Unix milliseconds at 00:00 UTC that day. Nothing for anything else (including
// impossible dates such as 2026-02-30).
std::optional<int64_t> ParseUtcDate(std::string_view text);

// The header record's field names for those needs.
std::vector<std::string> ExportHeader(const std::vector<std::string>& score_needs);

// Receives the CSV text a piece at a time (about a megabyte each); an Error stops the export.
using CsvChunkWriter = std::function<Status(std::string_view)>;

// Writes the export through `write`. Returns the number of responses written.
Result<int64_t> ExportCsv(ServerStore& store, const ExportFilter& filter,
                          const CsvChunkWriter& write);

// Writes the export to `path` (mode 0600: it holds customers' words) through a temporary file
// that is renamed into place only when complete, so a failed export never leaves half a file.
// Returns the number of responses written.
Result<int64_t> ExportCsvFile(ServerStore& store, const ExportFilter& filter,
                              const std::string& path);

}  // namespace doorstep::server
