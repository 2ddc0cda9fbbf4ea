#include "server/store/report_filter.hpp"

#include <charconv>
#include <cstdio>

#include "core/base/local_time.hpp"
#include "core/base/text.hpp"

namespace doorstep::server {
namespace {

constexpr const char* kParameters[] = {"from", "to",      "store", "door",   "need", "lang",
                                       "kind", "suspect", "q",     "offset", "limit"};

bool Known(const std::string& name) {
    for (const char* parameter : kParameters) {
        if (name == parameter) {
            return true;
        }
    }
    return false;
}

std::optional<int> Digits(std::string_view text) {
    int value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::string DayToIsoDate(int64_t day) {
    CivilDate date = CivilFromDays(day);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.Year, date.Month, date.Day);
    return text;
}

std::optional<int64_t> IsoDateToDay(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    std::optional<int> year = Digits(text.substr(0, 4));
    std::optional<int> month = Digits(text.substr(5, 2));
    std::optional<int> day = Digits(text.substr(8, 2));
    if (!year || !month || !day || *month < 1 || *month > 12 || *day < 1 || *day > 31) {
        return std::nullopt;
    }
    int64_t number = DaysFromCivil({*year, *month, *day});
    if (CivilFromDays(number) != CivilDate{*year, *month, *day}) {
        return std::nullopt;  // 2026-02-30 and the like
    }
    return number;
}

std::variant<ReportFilter, FilterProblem> ParseReportFilter(
    const std::map<std::string, std::string>& query, int64_t today_day) {
    for (const auto& [name, value] : query) {
        if (!Known(name)) {
            return FilterProblem{name, "unknown parameter '" + name.substr(0, 40) +
                                           "'; filters are from, to, store, door, need, lang, "
                                           "kind and suspect"};
        }
    }
    auto text = [&query](const char* name) {
        auto found = query.find(name);
        return found == query.end() ? std::string() : found->second;
    };
    ReportFilter filter;
    filter.ToDay = today_day;
    if (std::string to = text("to"); !to.empty()) {
        std::optional<int64_t> day = IsoDateToDay(to);
        if (!day) {
            return FilterProblem{"to", "to must be a date, YYYY-MM-DD"};
        }
        filter.ToDay = *day;
    }
    filter.FromDay = filter.ToDay - (kDefaultReportDays - 1);
    if (std::string from = text("from"); !from.empty()) {
        std::optional<int64_t> day = IsoDateToDay(from);
        if (!day) {
            return FilterProblem{"from", "from must be a date, YYYY-MM-DD"};
        }
        filter.FromDay = *day;
    }
    if (filter.FromDay > filter.ToDay) {
        return FilterProblem{"from", "from (" + DayToIsoDate(filter.FromDay) + ") is after to (" +
                                         DayToIsoDate(filter.ToDay) + ")"};
    }
    if (filter.ToDay - filter.FromDay + 1 > kMaxReportDays) {
        return FilterProblem{"from", "a report covers at most " + std::to_string(kMaxReportDays) +
                                         " days; export CSV for more"};
    }
    filter.Store = text("store");
    filter.Door = text("door");
    filter.Need = text("need");
    filter.Language = text("lang");
    for (const char* name : {"store", "door", "need", "lang"}) {
        if (text(name).size() > 64) {
            return FilterProblem{name, std::string(name) + " must be at most 64 characters"};
        }
    }
    std::string kind = text("kind");
    if (kind.empty() || kind == "customer") {
        filter.Kind = ResponseKind::Customer;
    } else if (kind == "staff") {
        filter.Kind = ResponseKind::Staff;
    } else if (kind == "all") {
        filter.Kind = std::nullopt;
    } else {
        return FilterProblem{"kind", "kind must be customer, staff or all"};
    }
    std::string suspect = text("suspect");
    if (suspect == "include") {
        filter.IncludeSuspect = true;
    } else if (!suspect.empty() && suspect != "exclude") {
        return FilterProblem{"suspect", "suspect must be include or exclude"};
    }
    filter.CommentSearch = text("q");
    if (!filter.CommentSearch.empty() &&
        (CountCodePoints(filter.CommentSearch) < 3 || filter.CommentSearch.size() > 200 ||
         !IsValidUtf8(filter.CommentSearch))) {
        return FilterProblem{"q", "q must be 3 to 100 characters of text"};
    }
    for (const char* name : {"offset", "limit"}) {
        if (std::string value = text(name); !value.empty()) {
            std::optional<int> number = Digits(value);
            int64_t most = std::string(name) == "limit" ? kMaxCommentPage : 100'000;
            int64_t least = std::string(name) == "limit" ? 1 : 0;
            if (!number || *number < least || *number > most) {
                return FilterProblem{name, std::string(name) + " must be a whole number from " +
                                               std::to_string(least) + " to " +
                                               std::to_string(most)};
            }
            (std::string(name) == "limit" ? filter.Limit : filter.Offset) = *number;
        }
    }
    return filter;
}

}  // namespace doorstep::server
