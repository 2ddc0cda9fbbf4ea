#include "core/base/text.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace doorstep {
namespace {

struct Decoded {
    size_t Length = 0;  // bytes consumed, at least 1
    char32_t CodePoint = 0;
    bool Valid = false;
};

// Decodes the sequence at `pos`. An ill-formed sequence consumes its maximal ill-formed part
// (Unicode 15, section 3.9), so a truncated character is one piece, not several.
Decoded DecodeAt(std::string_view text, size_t pos) {
    const auto lead = static_cast<uint8_t>(text[pos]);
    if (lead < 0x80) {
        return {1, lead, true};
    }
    size_t trailing = 0;
    uint8_t low = 0x80;  // allowed range of the second byte; excludes overlongs and surrogates
    uint8_t high = 0xBF;
    char32_t code_point = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        trailing = 1;
        code_point = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        trailing = 2;
        code_point = lead & 0x0Fu;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        trailing = 3;
        code_point = lead & 0x07u;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return {1, 0, false};  // a stray continuation byte or a byte never used in UTF-8
    }
    for (size_t i = 1; i <= trailing; ++i) {
        if (pos + i >= text.size()) {
            return {i, 0, false};
        }
        const auto byte = static_cast<uint8_t>(text[pos + i]);
        if (byte < low || byte > high) {
            return {i, 0, false};
        }
        code_point = (code_point << 6) | (byte & 0x3Fu);
        low = 0x80;
        high = 0xBF;
    }
    return {trailing + 1, code_point, true};
}

void AppendUtf8(std::string& out, char32_t code_point) {
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xC0 | (code_point >> 6));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
        out += static_cast<char>(0xE0 | (code_point >> 12));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code_point >> 18));
        out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
}

// Lower -> upper pairs that no offset rule below covers.
constexpr std::pair<char32_t, char32_t> kUpperPairs[] = {
    {0x00FF, 0x0178},  // ÿ -> Ÿ
    {0x0153, 0x0152},  // œ -> Œ
    {0x03AC, 0x0386},  // ά -> Ά
    {0x03AD, 0x0388},  // έ -> Έ
    {0x03AE, 0x0389},  // ή -> Ή
    {0x03AF, 0x038A},  // ί -> Ί
    {0x03CC, 0x038C},  // ό -> Ό
    {0x03CD, 0x038E},  // ύ -> Ύ
    {0x03CE, 0x038F},  // ώ -> Ώ
    {0x03CA, 0x03AA},  // ϊ -> Ϊ
    {0x03CB, 0x03AB},  // ϋ -> Ϋ
};

char32_t UpperCodePoint(char32_t c) {
    if (c >= U'a' && c <= U'z') {
        return c - 0x20;
    }
    // Latin-1: à..þ map to À..Þ, except ÷ which is not a letter; ß has no single capital.
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) {
        return c - 0x20;
    }
    // Greek α..ω map to Α..Ω; final sigma ς (U+03C2) only ever appears in lower case.
    if (c >= 0x03B1 && c <= 0x03C9 && c != 0x03C2) {
        return c - 0x20;
    }
    for (const auto& [lower, upper] : kUpperPairs) {
        if (c == lower) {
            return upper;
        }
    }
    return c;
}

}  // namespace

size_t FindInvalidUtf8(std::string_view text) {
    for (size_t pos = 0; pos < text.size();) {
        Decoded decoded = DecodeAt(text, pos);
        if (!decoded.Valid) {
            return pos;
        }
        pos += decoded.Length;
    }
    return std::string_view::npos;
}

bool IsValidUtf8(std::string_view text) {
    return FindInvalidUtf8(text) == std::string_view::npos;
}

std::vector<std::string> SplitCodePoints(std::string_view text) {
    std::vector<std::string> pieces;
    for (size_t pos = 0; pos < text.size();) {
        size_t length = DecodeAt(text, pos).Length;
        pieces.emplace_back(text.substr(pos, length));
        pos += length;
    }
    return pieces;
}

size_t CountCodePoints(std::string_view text) {
    size_t count = 0;
    for (size_t pos = 0; pos < text.size(); pos += DecodeAt(text, pos).Length) {
        ++count;
    }
    return count;
}

void PopLastCodePoint(std::string& text) {
    // Decoding forwards finds piece boundaries exactly as SplitCodePoints does; comments are at
    // most a few thousand bytes, so the linear walk costs nothing noticeable.
    size_t last_start = 0;
    for (size_t pos = 0; pos < text.size(); pos += DecodeAt(text, pos).Length) {
        last_start = pos;
    }
    text.erase(last_start);
}

TextPosition PositionOf(std::string_view text, size_t byte_offset) {
    byte_offset = std::min(byte_offset, text.size());
    TextPosition position;
    size_t line_start = 0;
    for (size_t i = 0; i < byte_offset; ++i) {
        if (text[i] == '\n') {
            ++position.Line;
            line_start = i + 1;
        }
    }
    position.Column = CountCodePoints(text.substr(line_start, byte_offset - line_start)) + 1;
    return position;
}

std::string ToUpperKey(std::string_view key) {
    std::string upper;
    upper.reserve(key.size());
    for (size_t pos = 0; pos < key.size();) {
        Decoded decoded = DecodeAt(key, pos);
        if (decoded.Valid) {
            AppendUtf8(upper, UpperCodePoint(decoded.CodePoint));
        } else {
            upper.append(key.substr(pos, decoded.Length));
        }
        pos += decoded.Length;
    }
    return upper;
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
    if (from.empty()) {
        return text;
    }
    for (size_t pos = text.find(from); pos != std::string::npos;
         pos = text.find(from, pos + to.size())) {
        text.replace(pos, from.size(), to);
    }
    return text;
}

}  // namespace doorstep
