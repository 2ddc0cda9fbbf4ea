// CSV as RFC 4180 writes it: fields separated by commas, records ended by CRLF, a field quoted
// when it holds a comma, a double quote, CR or LF, and a double quote inside doubled. Any text
// (commas, quotes, line breaks, UTF-8) comes back unchanged through ParseCsv().
//
// Text that came from outside (kiosk comments, names) is also neutralised against spreadsheet
// formula injection: a field starting with = + - @, a tab or CR would be run as a formula by
// Excel, LibreOffice or Google Sheets, so it gets a leading single quote, which spreadsheets show
// as text. That one character is the only change export makes to a value (docs/export.md).
//
// Shared by both exports: the server's (server/reports/export_csv.cpp) and the terminal's
// (local_export.cpp), so a comment is escaped the same way whichever file it reaches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace doorstep {

// The field as RFC 4180 wants it: as is, or quoted with inner quotes doubled.
std::string EscapeCsvField(std::string_view value);
// The value with a leading ' when a spreadsheet would take it for a formula; otherwise as is.
std::string NeutraliseFormula(std::string_view value);

// One record, built field by field.
class CsvRecord {
  public:
    // Outside text: neutralised, then escaped.
    void AddText(std::string_view value);
    // Our own values (numbers, ISO times, true/false): escaped only.
    void AddPlain(std::string_view value);
    void AddNumber(int64_t value);
    void AddEmpty();
    void AddOptionalNumber(const std::optional<int64_t>& value);  // empty cell when unset
    // The record and its CRLF. The record is empty again afterwards.
    std::string Finish();

  private:
    void Separate();

    std::string Line_;
    bool HasFields_ = false;
};

struct CsvLine {
    int Line = 0;  // where the record starts, from 1 (a quoted line break makes records span)
    std::vector<std::string> Fields;
};
struct CsvProblem {
    int Line = 0;
    std::string Reason;
};
struct CsvTable {
    std::vector<CsvLine> Records;       // up to the problem, if there is one
    std::optional<CsvProblem> Problem;  // the first place the text is not well-formed CSV
};
// Reads RFC 4180 text (CRLF or LF line ends) for an import: every record with its line, or the
// line where it stops being CSV and why.
CsvTable ReadCsv(std::string_view text);

// Parses RFC 4180 text (CRLF or LF line ends) into records of fields. Nothing when it is not
// well-formed: a quote inside an unquoted field, text after a closing quote, an open quote at the
// end. For tests and the export fuzz target.
std::optional<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text);

}  // namespace doorstep
