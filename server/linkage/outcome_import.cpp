#include "server/linkage/outcome_import.hpp"

namespace doorstep::server {

Result<std::set<std::string, std::less<>>> KnownStores(ServerStore& store) {
    Result<FilterChoices> choices = store.ListFilterChoices();
    if (!choices.Ok()) {
        return choices.Err();
    }
    std::set<std::string, std::less<>> stores;
    for (const auto& [name, door] : choices->StoreDoors) {
        stores.insert(name);
    }
    return stores;
}

Result<OutcomeImport> ImportOutcomeCsv(ServerStore& store, std::string_view text,
                                       std::string_view by, int64_t now_ms) {
    Result<std::set<std::string, std::less<>>> stores = KnownStores(store);
    if (!stores.Ok()) {
        return stores.Err();
    }
    constexpr int64_t kDayMs = 24LL * 3600 * 1000;
    OutcomeImport import;
    import.File = ReadOutcomeCsv(
        text, [&](std::string_view name) { return stores->contains(name);
}, now_ms / kDayMs);
if (!import.File.Ok()) {
    return import;
}
Result<OutcomeImportCounts> counts =
    store.ImportOutcomes(import.File.Values, import.File.Metrics, by, now_ms);
if (!counts.Ok()) {
    return counts.Err();
}
import.Counts = *counts;
return import;
}  // namespace doorstep::server

}  // namespace doorstep::server
