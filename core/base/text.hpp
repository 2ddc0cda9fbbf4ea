// Small UTF-8 utilities shared by validation, the flow and the UI. No locale is involved: the
// kiosk must behave the same whatever the system locale is.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace doorstep {

// Byte offset of the first byte that does not start a well-formed UTF-8 sequence (overlong forms,
// surrogates and values above U+10FFFF count as ill-formed), or npos when the text is valid.
size_t FindInvalidUtf8(std::string_view text);
bool IsValidUtf8(std::string_view text);

// Each code point as its own UTF-8 string. An ill-formed sequence comes out as one element per
// maximal ill-formed part, so no byte is lost and the pieces concatenate back to the input.
std::vector<std::string> SplitCodePoints(std::string_view text);
// The number of elements SplitCodePoints would return.
size_t CountCodePoints(std::string_view text);
// Removes the last code point (backspace). Never cuts a multi-byte sequence in half.
void PopLastCodePoint(std::string& text);

// Where a byte offset lies, as an editor shows it: line and column both count from 1, and the
// column counts code points. An offset past the end points just after the last character.
struct TextPosition {
    size_t Line = 1;
    size_t Column = 1;
};
TextPosition PositionOf(std::string_view text, size_t byte_offset);

// Upper-case form of a keyboard key for the shift key: ASCII, Latin-1 letters (ü -> Ü), œ, and
// Greek including tonos vowels (ά -> Ά). Letters without a single upper-case form (ß, ς, ΐ)
// and everything else are returned unchanged.
std::string ToUpperKey(std::string_view key);

// Replaces every occurrence of `from`; an empty `from` leaves the text as it is.
std::string ReplaceAll(std::string text, std::string_view from, std::string_view to);

}  // namespace doorstep
