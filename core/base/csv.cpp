#include "core/base/csv.hpp"

namespace doorstep {

std::string EscapeCsvField(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
        return std::string(value);
    }
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"') {
            quoted.push_back('"');
        }
        quoted.push_back(c);
    }
    quoted.push_back('"');
    return quoted;
}

std::string NeutraliseFormula(std::string_view value) {
    // = + - @ start formulas; a leading tab or CR is stripped by some importers, and what follows
    // is then read as a formula too (OWASP, "CSV Injection").
    if (!value.empty() &&
        std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) {
        return "'" + std::string(value);
    }
    return std::string(value);
}

void CsvRecord::Separate() {
    if (HasFields_) {
        Line_.push_back(',');
    }
    HasFields_ = true;
}

void CsvRecord::AddText(std::string_view value) {
    Separate();
    Line_ += EscapeCsvField(NeutraliseFormula(value));
}

void CsvRecord::AddPlain(std::string_view value) {
    Separate();
    Line_ += EscapeCsvField(value);
}

void CsvRecord::AddNumber(int64_t value) {
    Separate();
    Line_ += std::to_string(value);
}

void CsvRecord::AddEmpty() {
    Separate();
}

void CsvRecord::AddOptionalNumber(const std::optional<int64_t>& value) {
    if (value.has_value()) {
        AddNumber(*value);
    } else {
        AddEmpty();
    }
}

std::string CsvRecord::Finish() {
    std::string record = std::move(Line_);
    record += "\r\n";
    Line_.clear();
    HasFields_ = false;
    return record;
}

CsvTable ReadCsv(std::string_view text) {
    CsvTable table;
    std::vector<std::string> record;
    std::string field;
    int line = 1;
    int record_line = 1;
    auto refuse = [&](std::string reason) {
        table.Problem = CsvProblem{line, std::move(reason)};
        return std::move(table);
    };
    size_t i = 0;
    while (i < text.size()) {
        // At the start of a field.
        if (text[i] == '"') {
            int opened_on = line;
            ++i;
            for (;;) {
                if (i >= text.size()) {
                    line = opened_on;
                    return refuse("a quoted field is never closed");
                }
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        field.push_back('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                line += text[i] == '\n' ? 1 : 0;
                field.push_back(text[i++]);
            }
        } else {
            while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
                if (text[i] == '"') {
                    return refuse("a double quote inside a field that is not quoted");
                }
                field.push_back(text[i++]);
            }
        }
        // After a field: a comma, a line end or the end of the text.
        record.push_back(std::move(field));
        field.clear();
        if (i >= text.size()) {
            break;
        }
        if (text[i] == ',') {
            ++i;
            if (i >= text.size()) {
                record.emplace_back();  // a trailing comma ends with an empty field
            }
            continue;
        }
        if (text[i] == '\r') {
            if (i + 1 >= text.size() || text[i + 1] != '\n') {
                return refuse("a carriage return outside quotes that does not end the line");
            }
            ++i;
        }
        if (text[i] != '\n') {
            return refuse("text after a closing double quote");
        }
        ++i;
        table.Records.push_back({record_line, std::move(record)});
        record.clear();
        line += 1;
        record_line = line;
    }
    if (!record.empty()) {
        table.Records.push_back({record_line, std::move(record)});  // no line end at the end
    }
    return table;
}

std::optional<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text) {
    CsvTable table = ReadCsv(text);
    if (table.Problem) {
        return std::nullopt;
    }
    std::vector<std::vector<std::string>> records;
    records.reserve(table.Records.size());
    for (CsvLine& record : table.Records) {
        records.push_back(std::move(record.Fields));
    }
    return records;
}

}  // namespace doorstep
