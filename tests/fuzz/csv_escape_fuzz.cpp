// Fuzz target: the CSV writer's escaping (core/base/csv.cpp), as a property.
//
// The input is records of fields: fields end at 0x1F (unit separator), records at 0x1E (record
// separator), so a field may hold any other byte. Each field is written twice, through AddText
// (outside text: neutralised, then escaped) and AddPlain (escaped only), then as a number (its
// length) and an optional number, and the document is read back by the strict RFC 4180 reader
// below, written from the RFC and not from csv.cpp. The target aborts unless
//   * the reader accepts the document and finds exactly the records and fields written;
//   * AddPlain gave back the value itself, AddText the value with a leading ' exactly when it
//     starts with = + - @, a tab or CR;
//   * the product's own ParseCsv reads the same records.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/csv.hpp"
#include "fuzz_require.hpp"

namespace {

using doorstep::fuzz::Require;
using Records = std::vector<std::vector<std::string>>;

constexpr char kFieldEnd = '\x1f';
constexpr char kRecordEnd = '\x1e';

// RFC 4180, section 2, read strictly: records end in CRLF (the last may not), a field is either
// quoted (DQUOTE, any bytes with DQUOTE doubled, DQUOTE) or holds no comma, DQUOTE, CR or LF.
std::optional<Records> ReadStrictCsv(std::string_view text) {
    Records records;
    std::vector<std::string> record;
    size_t at = 0;
    for (;;) {
        std::string field;
        if (at < text.size() && text[at] == '"') {
            ++at;
            for (;;) {
                if (at == text.size()) {
                    return std::nullopt;  // unterminated quoted field
                }
                if (text[at] == '"') {
                    if (at + 1 < text.size() && text[at + 1] == '"') {
                        field.push_back('"');
                        at += 2;
                        continue;
                    }
                    ++at;
                    break;
                }
                field.push_back(text[at++]);
            }
        } else {
            while (at < text.size() && text[at] != ',' && text[at] != '\r') {
                if (text[at] == '"' || text[at] == '\n') {
                    return std::nullopt;  // these need quotes
                }
                field.push_back(text[at++]);
            }
        }
        record.push_back(std::move(field));
        if (at == text.size()) {
            records.push_back(std::move(record));
            return records;
        }
        if (text[at] == ',') {
            ++at;
            continue;
        }
        if (text.substr(at, 2) != "\r\n") {
            return std::nullopt;  // after a field comes a comma, CRLF or the end
        }
        at += 2;
        records.push_back(std::move(record));
        record.clear();
        if (at == text.size()) {
            return records;  // the final CRLF ends the last record
        }
    }
}

Records SplitInput(std::string_view input) {
    Records records(1);
    std::string field;
    for (char c : input) {
        if (c == kFieldEnd || c == kRecordEnd) {
            records.back().push_back(std::move(field));
            field.clear();
            if (c == kRecordEnd) {
                records.emplace_back();
            }
        } else {
            field.push_back(c);
        }
    }
    records.back().push_back(std::move(field));
    return records;
}

bool StartsFormula(std::string_view value) {
    if (value.empty()) {
        return false;
    }
    char first = value.front();
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
           first == '\r';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    Records values = SplitInput(input);

    std::string document;
    Records expected;
    for (const std::vector<std::string>& fields : values) {
        doorstep::CsvRecord record;
        std::vector<std::string> written;
        for (const std::string& value : fields) {
            record.AddText(value);
            written.push_back(StartsFormula(value) ? "'" + value : value);
            record.AddPlain(value);
            written.push_back(value);
            record.AddNumber(-static_cast<int64_t>(value.size()));
            written.push_back(std::to_string(-static_cast<int64_t>(value.size())));
            std::optional<int64_t> maybe;
            if (value.size() % 2 == 1) {
                maybe = static_cast<int64_t>(value.size());
            }
            record.AddOptionalNumber(maybe);
            written.push_back(maybe ? std::to_string(*maybe) : "");
        }
        record.AddEmpty();
        written.emplace_back();
        document += record.Finish();
        expected.push_back(std::move(written));
    }

    std::optional<Records> read = ReadStrictCsv(document);
    Require(read.has_value(), "the written CSV is strict RFC 4180");
    Require(*read == expected, "every field reads back as written (AddText: neutralised only)");
    std::optional<Records> parsed = doorstep::ParseCsv(document);
    Require(parsed.has_value() && *parsed == expected, "ParseCsv reads what the writer wrote");
    return 0;
}
