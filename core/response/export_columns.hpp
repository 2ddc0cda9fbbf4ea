// The order of the score columns, shared by both CSV exports (the server's and the terminal's), so
// a report built on one file reads the other.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace doorstep {

// The needs every survey asks about; their columns come first and are always present.
inline constexpr std::string_view kStandardNeeds[] = {"trust", "control", "support", "flexibility",
                                                      "balance"};

// The score needs in column order: the standard ones, then any other seen, alphabetically.
std::vector<std::string> ScoreColumnNeeds(const std::vector<std::string>& seen);

class CsvRecord;
// One cell per need in `needs`: the score given to it, or empty.
void AddScoreCells(CsvRecord& record, const std::vector<std::string>& needs,
                   const std::map<std::string, int64_t>& scores);

}  // namespace doorstep
