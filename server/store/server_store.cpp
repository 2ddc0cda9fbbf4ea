#include "server/store/server_store.hpp"

#include <map>

namespace doorstep::server {

std::vector<HourTotals> FoldIntoWeekdays(const std::vector<DayHourTotals>& days) {
    std::map<std::pair<int, int>, HourTotals> cells;
    for (const DayHourTotals& day : days) {
        // 1970-01-01 (day 0) was a Thursday: (day + 4) % 7 numbers weekdays from Sunday = 0.
        int weekday = static_cast<int>((day.Day + 4) % 7);
        HourTotals& cell = cells[{weekday, day.Hour}];
        cell.Weekday = weekday;
        cell.Hour = day.Hour;
        cell.Answers += day.Answers;
        cell.Scores += day.Scores;
        cell.ScoreSum += day.ScoreSum;
    }
    std::vector<HourTotals> folded;
    folded.reserve(cells.size());
    for (const auto& [key, cell] : cells) {
        folded.push_back(cell);
    }
    return folded;
}

}  // namespace doorstep::server
