#include "core/response/export_columns.hpp"

#include "core/base/csv.hpp"

#include <algorithm>
#include <iterator>

namespace doorstep {

std::vector<std::string> ScoreColumnNeeds(const std::vector<std::string>& seen) {
    std::vector<std::string> needs(std::begin(kStandardNeeds), std::end(kStandardNeeds));
    std::vector<std::string> others;
    for (const std::string& need : seen) {
        if (std::find(needs.begin(), needs.end(), need) == needs.end()) {
            others.push_back(need);
        }
    }
    std::sort(others.begin(), others.end());
    others.erase(std::unique(others.begin(), others.end()), others.end());
    needs.insert(needs.end(), others.begin(), others.end());
    return needs;
}

void AddScoreCells(CsvRecord& record, const std::vector<std::string>& needs,
                   const std::map<std::string, int64_t>& scores) {
    for (const std::string& need : needs) {
        auto found = scores.find(need);
        record.AddOptionalNumber(found == scores.end() ? std::nullopt
                                                       : std::optional<int64_t>(found->second));
    }
}

}  // namespace doorstep
