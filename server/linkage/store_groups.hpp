// Store groups: head office's grouping of its stores (a region, a format, a size band), which
// the key drivers are reported by beside all stores together. Uploaded as CSV, the whole
// grouping at once:
//
//   store,group
//   ST-001,North
//   ST-002,Retail parks
//
// Invariants:
//   * A file with any problem changes nothing, and every refused line is named with its reason.
//   * A file that is read replaces the grouping: a store it does not name has no group after.
//   * Each store appears once, is one head office knows, and its group is 1 to 60 characters,
//     not "all stores" (the report's name for every store together).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "server/linkage/line_problems.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

inline constexpr std::string_view kAllStoresGroup = "all stores";
inline constexpr size_t kMaxGroupNameBytes = 60;

struct StoreGroupFile {
    std::vector<StoreGroupRecord> Groups;  // in the file's order
    int Rows = 0;                          // data rows read
    LineProblems Problems;
    bool Ok() const { return Problems.Empty(); }
};

StoreGroupFile ReadStoreGroupCsv(std::string_view text,
                                 const std::function<bool(std::string_view)>& known_store);

struct StoreGroupUpload {
    StoreGroupFile File;
    bool Replaced = false;  // the file had no problem and is now the grouping
};

// Reads `text` against the stores head office knows and, when it has no problem, makes it the
// grouping.
Result<StoreGroupUpload> UploadStoreGroups(ServerStore& store, std::string_view text,
                                           std::string_view by, int64_t now_ms);

// The grouping as the drivers report takes it: store -> group.
Result<std::map<std::string, std::string>> StoreGroupMap(ServerStore& store);

}  // namespace doorstep::server
