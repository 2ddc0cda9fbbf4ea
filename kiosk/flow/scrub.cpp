#include "kiosk/flow/scrub.hpp"

#include <cstddef>

namespace doorstep {
namespace {

constexpr size_t kMinPhoneDigits = 7;
constexpr size_t kMinCardDigits = 13;

bool IsDigit(char c) {
    return c >= '0' && c <= '9';
}

bool IsAsciiAlnum(char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// A byte of a multi-byte UTF-8 character: letters of other scripts may appear in addresses.
bool IsNonAscii(char c) {
    return (static_cast<unsigned char>(c) & 0x80) != 0;
}

bool IsLocalPartByte(char c) {
    return IsAsciiAlnum(c) || IsNonAscii(c) || c == '.' || c == '_' || c == '%' || c == '+' ||
           c == '-';
}

bool IsDomainByte(char c) {
    return IsAsciiAlnum(c) || IsNonAscii(c) || c == '.' || c == '-';
}

struct Span {
    size_t Begin = 0;
    size_t End = 0;  // one past the last byte; Begin == End: nothing found
};

// The address around the '@' at `at`, if there is one, beginning no earlier than `floor`.
Span EmailAround(std::string_view text, size_t at, size_t floor) {
    size_t begin = at;
    while (begin > floor && IsLocalPartByte(text[begin - 1])) {
        --begin;
    }
    while (begin < at && text[begin] == '.') {  // "...me@x.com": the dots are punctuation
        ++begin;
    }
    size_t end = at + 1;
    while (end < text.size() && IsDomainByte(text[end])) {
        ++end;
    }
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) {
        --end;  // the full stop that ends the sentence
    }
    std::string_view domain = text.substr(at + 1, end - at - 1);
    size_t dot = domain.rfind('.');
    bool valid = begin < at && dot != std::string_view::npos && dot > 0 && domain.size() - dot > 2;
    return valid ? Span{begin, end} : Span{};
}

struct DigitRun {
    Span Where;
    size_t Digits = 0;
    size_t Groups = 0;
    size_t GroupSizes[3] = {0, 0, 0};  // the first three, to recognise dates
    char Separator = 0;                // the first separator used, 0 when none
};

bool IsSeparator(char c) {
    return c == ' ' || c == '-' || c == '.' || c == '/';
}

// The run of digit groups that starts at `begin` (a digit, '+' or '('), joined by single
// separators or parentheses. A group of one digit is part of it only first, in parentheses
// ("+49 (0)89"), or right after a '+' country code ("+33 1 23 45 67 89"), so that a list of
// single digits ("5 5 5 5 5 5 5") is not a number.
DigitRun ReadDigitRun(std::string_view text, size_t begin) {
    DigitRun run;
    run.Where = {begin, begin};
    size_t i = begin;
    bool country_code = text[i] == '+';
    if (country_code) {
        ++i;
    }
    for (;;) {
        bool parenthesised = i < text.size() && text[i] == '(';
        size_t group_begin = parenthesised ? i + 1 : i;
        size_t j = group_begin;
        while (j < text.size() && IsDigit(text[j])) {
            ++j;
        }
        size_t size = j - group_begin;
        if (parenthesised) {
            if (size == 0 || j >= text.size() || text[j] != ')') {
                break;
            }
            ++j;
        }
        bool short_group_allowed =
            run.Groups == 0 || parenthesised || (run.Groups == 1 && country_code);
        if (size == 0 || (size < 2 && !short_group_allowed)) {
            break;
        }
        if (run.Groups < 3) {
            run.GroupSizes[run.Groups] = size;
        }
        ++run.Groups;
        run.Digits += size;
        run.Where.End = j;
        i = j;
        // One separator (or none after a parenthesis), then the next group must begin.
        if (i < text.size() && IsSeparator(text[i]) && i + 1 < text.size() &&
            (IsDigit(text[i + 1]) || text[i + 1] == '(')) {
            if (run.Separator == 0) {
                run.Separator = text[i];
            }
            ++i;
        } else if (!(i < text.size() && (IsDigit(text[i]) || text[i] == '('))) {
            break;
        }
    }
    return run;
}

// 24.11.2026, 2026-11-24, 24/11/26: three groups, joined alike, shaped like a date.
bool LooksLikeDate(const DigitRun& run) {
    if (run.Groups != 3 || run.Separator == ' ') {
        return false;
    }
    const size_t* g = run.GroupSizes;
    bool day_first = g[0] <= 2 && g[1] <= 2 && (g[2] == 2 || g[2] == 4);
    bool year_first = g[0] == 4 && g[1] <= 2 && g[2] <= 2;
    return day_first || year_first;
}

}  // namespace

std::string ScrubPersonalData(std::string_view comment) {
    std::string out;
    out.reserve(comment.size());
    size_t verbatim_from = 0;  // comment[verbatim_from, i) is the tail of `out`, byte for byte
    size_t i = 0;
    while (i < comment.size()) {
        char c = comment[i];
        if (c == '@') {
            // The local part is already in `out`: take it back out with the address.
            Span email = EmailAround(comment, i, verbatim_from);
            if (email.End > email.Begin) {
                out.resize(out.size() - (i - email.Begin));
                out += "[email]";
                i = verbatim_from = email.End;
                continue;
            }
        }
        bool starts_number = IsDigit(c) || ((c == '+' || c == '(') && i + 1 < comment.size() &&
                                            IsDigit(comment[i + 1]));
        bool inside_word = i > 0 && (IsAsciiAlnum(comment[i - 1]) || comment[i - 1] == '+');
        if (starts_number && !inside_word) {
            DigitRun run = ReadDigitRun(comment, i);
            bool word_follows =
                run.Where.End < comment.size() &&
                (IsAsciiAlnum(comment[run.Where.End]) || comment[run.Where.End] == '@');
            if (run.Digits >= kMinPhoneDigits && !LooksLikeDate(run) && !word_follows) {
                out += run.Digits >= kMinCardDigits ? "[card]" : "[phone]";
                i = verbatim_from = run.Where.End;
                continue;
            }
            if (run.Where.End > i) {  // not personal: copied as it is, whole
                out.append(comment.substr(i, run.Where.End - i));
                i = run.Where.End;
                continue;
            }
        }
        out.push_back(c);
        ++i;
    }
    return out;
}

}  // namespace doorstep
