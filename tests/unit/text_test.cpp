// UTF-8 utilities: validation, code point splitting, backspace and the shift key.
#include <doctest/doctest.h>

#include "core/base/text.hpp"

using namespace doorstep;

namespace {

std::string Join(const std::vector<std::string>& pieces) {
    std::string joined;
    for (const std::string& piece : pieces) {
        joined += piece;
    }
    return joined;
}

}  // namespace

TEST_CASE("text: IsValidUtf8 accepts well-formed text in every shipped script") {
    CHECK(IsValidUtf8(""));
    CHECK(IsValidUtf8("plain ASCII, 123 ?!"));
    CHECK(IsValidUtf8("Grüße aus Köln, Straße"));
    CHECK(IsValidUtf8("Ελληνικά: άέήίόύώ ϊϋ ΐ ς"));
    CHECK(IsValidUtf8("€ « » „ “ — …"));
    CHECK(IsValidUtf8("\xF0\x9F\x99\x82"));  // U+1F642, four bytes
    CHECK(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
}

TEST_CASE("text: IsValidUtf8 rejects ill-formed UTF-8 and FindInvalidUtf8 says where") {
    CHECK_FALSE(IsValidUtf8("a\x80"));             // stray continuation byte
    CHECK_FALSE(IsValidUtf8("\xC3\x28"));          // lead byte without its continuation
    CHECK_FALSE(IsValidUtf8("caf\xC3"));           // truncated at the end
    CHECK_FALSE(IsValidUtf8("\xE2\x82"));          // truncated three-byte sequence
    CHECK_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong, three bytes
    CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));      // UTF-16 surrogate U+D800
    CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(IsValidUtf8("\xFF"));              // never valid in UTF-8
    CHECK(FindInvalidUtf8("ok") == std::string_view::npos);
    CHECK(FindInvalidUtf8("άβ\xC3\x28") == 4);  // after two two-byte Greek letters
    CHECK(FindInvalidUtf8("abc\x80") == 3);
}

TEST_CASE("text: SplitCodePoints and CountCodePoints on Greek and German") {
    std::vector<std::string> greek = SplitCodePoints("Γειά σου");
    REQUIRE(greek.size() == 8);
    CHECK(greek[0] == "Γ");
    CHECK(greek[3] == "ά");
    CHECK(greek[4] == " ");
    CHECK(greek[7] == "υ");
    CHECK(CountCodePoints("Γειά σου") == 8);

    std::vector<std::string> german = SplitCodePoints("Grüße");
    CHECK(german == std::vector<std::string>{"G", "r", "ü", "ß", "e"});
    CHECK(CountCodePoints("Grüße") == 5);
    CHECK(std::string("Grüße").size() == 7);  // the byte count differs, which is the point

    CHECK(SplitCodePoints("a€\xF0\x9F\x99\x82") ==
          std::vector<std::string>{"a", "€", "\xF0\x9F\x99\x82"});
    CHECK(SplitCodePoints("").empty());
    CHECK(CountCodePoints("") == 0);
}

TEST_CASE("text: SplitCodePoints keeps every byte of ill-formed input") {
    const std::string broken = "a\x80\xE2\x82z\xC3";
    std::vector<std::string> pieces = SplitCodePoints(broken);
    // The truncated three-byte sequence stays one piece, so it is deleted in one backspace.
    CHECK(pieces == std::vector<std::string>{"a", "\x80", "\xE2\x82", "z", "\xC3"});
    CHECK(Join(pieces) == broken);
    CHECK(CountCodePoints(broken) == pieces.size());
}

TEST_CASE("text: PopLastCodePoint never leaves a broken sequence") {
    for (std::string text : {"Grüße", "Καλημέρα ώρα", "a€\xF0\x9F\x99\x82ñ"}) {
        size_t count = CountCodePoints(text);
        while (!text.empty()) {
            PopLastCodePoint(text);
            --count;
            CHECK(IsValidUtf8(text));
            CHECK(CountCodePoints(text) == count);
        }
        CHECK(count == 0);
    }

    std::string word = "Straße";
    PopLastCodePoint(word);
    CHECK(word == "Straß");
    PopLastCodePoint(word);
    CHECK(word == "Stra");

    std::string empty;
    PopLastCodePoint(empty);  // backspace on an empty comment is harmless
    CHECK(empty.empty());

    std::string truncated = "ab\xE2\x82";
    PopLastCodePoint(truncated);  // the broken tail goes as a whole
    CHECK(truncated == "ab");
}

TEST_CASE("text: ToUpperKey upper-cases ASCII, Latin-1 and Greek letters") {
    CHECK(ToUpperKey("a") == "A");
    CHECK(ToUpperKey("z") == "Z");
    CHECK(ToUpperKey("ü") == "Ü");
    CHECK(ToUpperKey("ö") == "Ö");
    CHECK(ToUpperKey("ä") == "Ä");
    CHECK(ToUpperKey("é") == "É");
    CHECK(ToUpperKey("è") == "È");
    CHECK(ToUpperKey("à") == "À");
    CHECK(ToUpperKey("ç") == "Ç");
    CHECK(ToUpperKey("ù") == "Ù");
    CHECK(ToUpperKey("ñ") == "Ñ");
    CHECK(ToUpperKey("ÿ") == "Ÿ");
    CHECK(ToUpperKey("œ") == "Œ");
    CHECK(ToUpperKey("α") == "Α");
    CHECK(ToUpperKey("ω") == "Ω");
    CHECK(ToUpperKey("σ") == "Σ");
    CHECK(ToUpperKey("ά") == "Ά");
    CHECK(ToUpperKey("έ") == "Έ");
    CHECK(ToUpperKey("ή") == "Ή");
    CHECK(ToUpperKey("ί") == "Ί");
    CHECK(ToUpperKey("ό") == "Ό");
    CHECK(ToUpperKey("ύ") == "Ύ");
    CHECK(ToUpperKey("ώ") == "Ώ");
    CHECK(ToUpperKey("ϊ") == "Ϊ");
    CHECK(ToUpperKey("ϋ") == "Ϋ");
}

TEST_CASE("text: ToUpperKey leaves keys without a single capital alone") {
    CHECK(ToUpperKey("ß") == "ß");  // capital ẞ is rare; shifted ß keeps typing ß
    CHECK(ToUpperKey("ς") == "ς");  // final sigma has no capital of its own
    CHECK(ToUpperKey("ΐ") == "ΐ");
    CHECK(ToUpperKey("÷") == "÷");  // sits among Latin-1 letters but is not one
    CHECK(ToUpperKey("×") == "×");
    CHECK(ToUpperKey("7") == "7");
    CHECK(ToUpperKey("?") == "?");
    CHECK(ToUpperKey("€") == "€");
    CHECK(ToUpperKey("Ä") == "Ä");
    CHECK(ToUpperKey("Ω") == "Ω");
    CHECK(ToUpperKey("") == "");
    CHECK(ToUpperKey("\xC3") == "\xC3");  // a broken byte passes through untouched
}

TEST_CASE("text: ToUpperKey maps every code point of a longer text") {
    CHECK(ToUpperKey("grüße, άλφα!") == "GRÜßE, ΆΛΦΑ!");
}

TEST_CASE("text: ReplaceAll replaces every occurrence") {
    CHECK(ReplaceAll("Question {current} of {total}", "{current}", "2") == "Question 2 of {total}");
    CHECK(ReplaceAll("Ερώτηση {current} από {total}", "{total}", "4") == "Ερώτηση {current} από 4");
    CHECK(ReplaceAll("a-b-c", "-", "--") == "a--b--c");  // replacement containing `from`
    CHECK(ReplaceAll("aaa", "a", "") == "");
    CHECK(ReplaceAll("abc", "", "x") == "abc");
    CHECK(ReplaceAll("", "x", "y") == "");
    CHECK(ReplaceAll("{n}{n}", "{n}", "10") == "1010");
}

TEST_CASE("text: PositionOf counts lines and code point columns") {
    const std::string text = "{\n  \"αβγ\": ,\n}";
    size_t comma = text.find(',');
    TextPosition position = PositionOf(text, comma);
    CHECK(position.Line == 2);
    CHECK(position.Column == 10);  // bytes would say 13: each Greek letter is two bytes
    CHECK(PositionOf(text, 0).Line == 1);
    CHECK(PositionOf(text, 0).Column == 1);
    TextPosition end = PositionOf(text, 1000);  // past the end: just after the last character
    CHECK(end.Line == 3);
    CHECK(end.Column == 2);
}
