#include "server/linkage/store_groups.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/base/csv.hpp"
#include "server/linkage/outcome_import.hpp"

namespace doorstep::server {
namespace {

bool IsAllStores(std::string_view name) {
    return name.size() == kAllStoresGroup.size() &&
           std::equal(name.begin(), name.end(), kAllStoresGroup.begin(), [](char a, char b) {
               return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
           });
}

}  // namespace

StoreGroupFile ReadStoreGroupCsv(std::string_view text,
                                 const std::function<bool(std::string_view)>& known_store) {
    StoreGroupFile file;
    CsvTable table = ReadCsv(text);
    if (table.Problem) {
        file.Problems.Refuse(table.Problem->Line, "not CSV: " + table.Problem->Reason);
    }
    std::erase_if(table.Records, [](const CsvLine& record) {
        return record.Fields.size() == 1 && record.Fields[0].empty();  // a blank line
    });
    if (table.Records.empty() ||
        table.Records.front().Fields != std::vector<std::string>{"store", "group"}) {
        if (file.Ok()) {
            file.Problems.Refuse(table.Records.empty() ? 1 : table.Records.front().Line,
                                 "the header must be store,group");
        }
        return file;
    }
    std::map<std::string, int, std::less<>> seen;  // store -> its line
    for (size_t r = 1; r < table.Records.size(); ++r) {
        const CsvLine& row = table.Records[r];
        file.Rows += 1;
        if (row.Fields.size() != 2) {
            file.Problems.Refuse(
                row.Line, std::to_string(row.Fields.size()) + " fields where the header has 2");
            continue;
        }
        const std::string& store = row.Fields[0];
        const std::string& group = row.Fields[1];
        std::string problem;
        if (store.empty()) {
            problem = "no store";
        } else if (!known_store(store)) {
            problem = "unknown store \"" + store + "\"";
        } else if (auto [first, fresh] = seen.emplace(store, row.Line); !fresh) {
            problem = "store \"" + store + "\" again (first on line " +
                      std::to_string(first->second) + ")";
        } else if (group.empty()) {
            problem = "no group for store \"" + store + "\"";
        } else if (group.size() > kMaxGroupNameBytes) {
            problem = "the group name is longer than " + std::to_string(kMaxGroupNameBytes) +
                      " characters";
        } else if (IsAllStores(group)) {
            problem = "\"" + group + "\" is the report's name for every store together";
        }
        if (!problem.empty()) {
            file.Problems.Refuse(row.Line, std::move(problem));
            continue;
        }
        file.Groups.push_back({store, group});
    }
    if (!file.Ok()) {
        file.Groups.clear();  // all or nothing
        file.Problems.SortByLine();
    }
    return file;
}

Result<StoreGroupUpload> UploadStoreGroups(ServerStore& store, std::string_view text,
                                           std::string_view by, int64_t now_ms) {
    Result<std::set<std::string, std::less<>>> stores = KnownStores(store);
    if (!stores.Ok()) {
        return stores.Err();
    }
    StoreGroupUpload upload;
    upload.File =
        ReadStoreGroupCsv(text, [&](std::string_view name) { return stores->contains(name); });
    if (!upload.File.Ok()) {
        return upload;
    }
    if (Status replaced = store.ReplaceStoreGroups(upload.File.Groups, by, now_ms);
        !replaced.Ok()) {
        return replaced.Err();
    }
    upload.Replaced = true;
    return upload;
}

Result<std::map<std::string, std::string>> StoreGroupMap(ServerStore& store) {
    Result<std::vector<StoreGroupRecord>> groups = store.ListStoreGroups();
    if (!groups.Ok()) {
        return groups.Err();
    }
    std::map<std::string, std::string> by_store;
    for (StoreGroupRecord& group : *groups) {
        by_store.emplace(std::move(group.Store), std::move(group.Group));
    }
    return by_store;
}

}  // namespace doorstep::server
