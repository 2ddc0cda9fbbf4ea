#include "server/linkage/outcome_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <utility>

#include "core/base/csv.hpp"
#include "server/store/report_filter.hpp"

namespace doorstep::server {
namespace {

bool IsMetricName(std::string_view name) {
    if (name.empty() || name.size() > 40 || name[0] < 'a' || name[0] > 'z') {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool IsStandard(std::string_view metric) {
    return std::find(std::begin(kStandardMetrics), std::end(kStandardMetrics), metric) !=
           std::end(kStandardMetrics);
}

// A plain decimal number: digits, one optional point, an optional leading minus. No thousands
// separators, exponents or spaces, which spreadsheets and locales would make ambiguous.
std::optional<double> Number(std::string_view text) {
    std::string_view digits = !text.empty() && text[0] == '-' ? text.substr(1) : text;
    if (digits.empty() || digits.front() == '.' || digits.back() == '.' ||
        std::count(digits.begin(), digits.end(), '.') > 1 ||
        !std::all_of(digits.begin(), digits.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
        return std::nullopt;
    }
    double value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

void Refuse(OutcomeFile& file, int line, std::string reason) {
    file.Problems.Refuse(line, std::move(reason));
}

// The header: store, date, then metrics. False when the file cannot be read past it.
bool ReadHeader(const CsvLine& header, OutcomeFile& file) {
    const std::vector<std::string>& names = header.Fields;
    if (names.size() < 3 || names[0] != "store" || names[1] != "date") {
        Refuse(file, header.Line,
               "the header must be store,date and at least one metric (e.g. "
               "store,date,sales,transactions,footfall)");
        return false;
    }
    bool ok = true;
    for (size_t i = 2; i < names.size(); ++i) {
        const std::string& name = names[i];
        if (!IsMetricName(name)) {
            Refuse(file, header.Line,
                   "column " + std::to_string(i + 1) + ": \"" + name +
                       "\" is not a metric name (a-z, 0-9 and _, starting "
                       "with a letter, up to 40)");
            ok = false;
        } else if (std::find(file.Metrics.begin(), file.Metrics.end(), name) !=
                   file.Metrics.end()) {
            Refuse(file, header.Line,
                   "column " + std::to_string(i + 1) + ": metric \"" + name + "\" appears twice");
            ok = false;
        }
        file.Metrics.push_back(name);
    }
    return ok;
}

}  // namespace

OutcomeFile ReadOutcomeCsv(std::string_view text,
                           const std::function<bool(std::string_view)>& known_store,
                           int64_t today) {
    OutcomeFile file;
    CsvTable table = ReadCsv(text);
    if (table.Problem) {
        Refuse(file, table.Problem->Line, "not CSV: " + table.Problem->Reason);
    }
    std::erase_if(table.Records, [](const CsvLine& record) {
        return record.Fields.size() == 1 && record.Fields[0].empty();  // a blank line
    });
    if (table.Records.empty()) {
        if (file.Ok()) {
            Refuse(file, 1, "the file is empty: a header store,date,<metric>... is needed");
        }
        return file;
    }
    if (!ReadHeader(table.Records.front(), file)) {
        return file;
    }
    std::map<std::pair<std::string, int64_t>, int> seen;  // store and day -> first line
    for (size_t r = 1; r < table.Records.size(); ++r) {
        const CsvLine& row = table.Records[r];
        file.Rows += 1;
        if (row.Fields.size() != file.Metrics.size() + 2) {
            Refuse(file, row.Line,
                   std::to_string(row.Fields.size()) + " fields where the header has " +
                       std::to_string(file.Metrics.size() + 2));
            continue;
        }
        const std::string& store = row.Fields[0];
        std::optional<int64_t> day = IsoDateToDay(row.Fields[1]);
        if (store.empty()) {
            Refuse(file, row.Line, "no store");
            continue;
        }
        if (!known_store(store)) {
            Refuse(file, row.Line, "unknown store \"" + store + "\"");
            continue;
        }
        if (!day) {
            Refuse(file, row.Line, "\"" + row.Fields[1] + "\" is not a date as YYYY-MM-DD");
            continue;
        }
        if (*day < kEarliestOutcomeDay || *day > today) {
            Refuse(file, row.Line,
                   "date " + row.Fields[1] + " is out of range (2000-01-01 to " +
                       DayToIsoDate(today) + ")");
            continue;
        }
        auto [first, fresh] = seen.emplace(std::make_pair(store, *day), row.Line);
        if (!fresh) {
            Refuse(file, row.Line,
                   "store \"" + store + "\" on " + row.Fields[1] + " again (first on line " +
                       std::to_string(first->second) + ")");
            continue;
        }
        size_t before = file.Values.size();
        bool row_ok = true;
        for (size_t m = 0; m < file.Metrics.size(); ++m) {
            const std::string& cell = row.Fields[m + 2];
            const std::string& metric = file.Metrics[m];
            if (cell.empty()) {
                continue;
            }
            std::optional<double> value = Number(cell);
            std::string problem;
            if (!value) {
                problem = "\"" + cell + "\" is not a number (digits and a point)";
            } else if (IsStandard(metric) && *value < 0) {
                problem = cell + " is negative";
            } else if (IsStandard(metric) && metric != "sales" && std::floor(*value) != *value) {
                problem = cell + " is not a whole number";
            }
            if (!problem.empty()) {
                problem.insert(0, metric + ": ");
                Refuse(file, row.Line, std::move(problem));
                row_ok = false;
                continue;
            }
            file.Values.push_back({store, *day, metric, *value});
        }
        if (row_ok && file.Values.size() == before) {
            Refuse(file, row.Line, "no value for any metric");
        }
    }
    if (!file.Ok()) {
        file.Values.clear();  // all or nothing
        file.Problems.SortByLine();
    }
    return file;
}

}  // namespace doorstep::server
