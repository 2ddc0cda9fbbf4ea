#include "kiosk/flow/opening_hours.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

namespace doorstep {
namespace {

constexpr int kMinutesPerDay = 24 * 60;
constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

std::string Trim(const std::string& text) {
    size_t first = text.find_first_not_of(" \t");
    if (first == std::string::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> Split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
        size_t end = text.find(separator, start);
        parts.push_back(Trim(text.substr(start, end - start)));
        if (end == std::string::npos) {
            return parts;
        }
        start = end + 1;
    }
}

std::string Lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

Error RuleError(size_t rule_number, const std::string& rule, const std::string& problem) {
    return {"opening hours: rule " + std::to_string(rule_number) + " \"" + rule + "\": " + problem,
            0};
}

// -1 when `name` is not a day.
int DayIndex(const std::string& name) {
    for (int i = 0; i < 7; ++i) {
        if (name == kDayNames[i]) {
            return i;
        }
    }
    return -1;
}

// "mon-fri,sun" -> the weekdays it names, or the first word that is not a day.
Result<std::vector<int>> ParseDays(const std::string& text) {
    std::vector<int> days;
    for (const std::string& span : Split(text, ',')) {
        std::vector<std::string> ends = Split(span, '-');
        if (ends.size() > 2) {
            return Error{"\"" + span + "\" is not a day or a span of days like mon-fri", 0};
        }
        int first = DayIndex(ends.front());
        int last = DayIndex(ends.back());
        for (const std::string& end : ends) {
            if (DayIndex(end) < 0) {
                return Error{"\"" + end + "\" is not a day: use mon, tue, wed, thu, fri, sat, sun",
                             0};
            }
        }
        for (int day = first;; day = (day + 1) % 7) {  // fri-mon wraps over the weekend
            days.push_back(day);
            if (day == last) {
                break;
            }
        }
    }
    return days;
}

// "08:30" -> 510; "24:00" only where `allow_24` (the end of a range).
Result<int> ParseTime(const std::string& text, bool allow_24) {
    bool shaped = text.size() == 5 && text[2] == ':' && std::isdigit(text[0]) &&
                  std::isdigit(text[1]) && std::isdigit(text[3]) && std::isdigit(text[4]);
    if (!shaped) {
        return Error{"expected a time as HH:MM (24-hour, like 08:00), got \"" + text + "\"", 0};
    }
    int hours = (text[0] - '0') * 10 + (text[1] - '0');
    int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    if (minutes > 59 || hours > 24 || (hours == 24 && (minutes != 0 || !allow_24))) {
        return Error{"\"" + text + "\" is not a time of day (00:00 to 23:59, or 24:00 as an end)",
                     0};
    }
    return hours * 60 + minutes;
}

Result<OpenRange> ParseRange(const std::string& text) {
    std::vector<std::string> ends = Split(text, '-');
    if (ends.size() != 2) {
        return Error{"expected a range like 08:00-20:00, got \"" + text + "\"", 0};
    }
    Result<int> start = ParseTime(ends[0], false);
    if (!start.Ok()) {
        return start.Err();
    }
    Result<int> end = ParseTime(ends[1], true);
    if (!end.Ok()) {
        return end.Err();
    }
    if (*end == *start) {
        return Error{"\"" + text + "\" opens and closes at the same time", 0};
    }
    // An end at or before the start: open past midnight, into the next morning.
    return OpenRange{*start, *end > *start ? *end : *end + kMinutesPerDay};
}

}  // namespace

Result<OpeningHours> ParseOpeningHours(const std::string& spec) {
    OpeningHours hours;
    std::string lowered = Lower(Trim(spec));
    if (lowered == "always") {
        hours.Days.fill({{0, kMinutesPerDay}});
        return hours;
    }
    std::vector<std::string> rules = Split(lowered, ';');
    for (size_t i = 0; i < rules.size(); ++i) {
        const std::string& rule = rules[i];
        size_t space = rule.find_first_of(" \t");
        if (rule.empty() || space == std::string::npos) {
            return RuleError(i + 1, rule,
                             rule.empty() ? "empty rule (two ';' in a row, or one at the end?)"
                                          : "expected days, a space, then hours or \"closed\"");
        }
        Result<std::vector<int>> days = ParseDays(rule.substr(0, space));
        if (!days.Ok()) {
            return RuleError(i + 1, rule, days.Err().Message);
        }
        std::string times = Trim(rule.substr(space));
        std::vector<OpenRange> ranges;
        if (times != "closed") {
            for (const std::string& part : Split(times, ',')) {
                Result<OpenRange> range = ParseRange(part);
                if (!range.Ok()) {
                    return RuleError(i + 1, rule, range.Err().Message);
                }
                ranges.push_back(*range);
            }
        }
        for (int day : *days) {
            hours.Days[static_cast<size_t>(day)] = ranges;  // later rules win
        }
    }
    return hours;
}

LocalClock LocalClockOf(int64_t wall_ms) {
    std::time_t seconds = static_cast<std::time_t>(wall_ms / 1000);
    std::tm local{};
    if (localtime_r(&seconds, &local) == nullptr) {
        return {};
    }
    return {local.tm_wday, local.tm_hour * 60 + local.tm_min};
}

bool IsOpenAt(const OpeningHours& hours, LocalClock when) {
    for (const OpenRange& range : hours.Days[static_cast<size_t>(when.Weekday % 7)]) {
        if (when.Minute >= range.StartMinute && when.Minute < range.EndMinute) {
            return true;
        }
    }
    // Yesterday's ranges that run past midnight.
    for (const OpenRange& range : hours.Days[static_cast<size_t>((when.Weekday + 6) % 7)]) {
        if (when.Minute + kMinutesPerDay < range.EndMinute) {
            return true;
        }
    }
    return false;
}

}  // namespace doorstep
