// The terminal's own CSV export: every response in the local store, whatever its sync state, for
// a manager who needs the answers before (or without) head office. Columns: docs/export.md,
// "Terminal export".
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/base/result.hpp"

namespace doorstep {

// Called after the header and after every chunk of rows. Return false to stop: the partial file
// is removed and the export returns an error with Code ECANCELED.
using ExportProgress = std::function<bool(int64_t done, int64_t total)>;

inline constexpr int kExportChunkRows = 2000;  // rows read and formatted at a time

// The header's field names: score columns for `score_needs` (ScoreColumnNeeds() order), and
// suspect_reason last when the store has that column.
std::vector<std::string> LocalExportHeader(const std::vector<std::string>& score_needs,
                                           bool with_suspect_reason);

// Streams every response in the store at `store_path` to `out_path` as RFC 4180 CSV, mode 0600.
// The store is opened read-only on a connection of its own, so this may run on any thread while
// the kiosk keeps its store, and it reads one snapshot: rows committed meanwhile are left out, and
// the header's score columns match the rows. The file is written as `out_path`.partial, synced
// and renamed into place only when complete: a failure, a full disk or a cancel never leaves half
// a file, and an earlier export at `out_path` stays as it was.
Status ExportResponsesCsv(const std::string& store_path, const std::string& out_path,
                          const ExportProgress& progress);

}  // namespace doorstep
