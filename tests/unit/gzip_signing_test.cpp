// gzip with limits, and request signing.
#include <doctest/doctest.h>

#include "core/wire/gzip.hpp"
#include "core/wire/protocol.hpp"
#include "core/wire/signing.hpp"

using namespace doorstep;

namespace {
constexpr InflateLimits kLimits{protocol::kMaxInflatedBytes, protocol::kMaxInflateRatio};
}

TEST_CASE("gzip: round trip and determinism") {
    std::string text = "{\"device_id\":\"dev_1\",\"responses\":[]} Ευχαριστώ";
    std::string packed = GzipCompress(text);
    REQUIRE(packed.size() > 18);
    CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);  // gzip magic
    CHECK(static_cast<unsigned char>(packed[1]) == 0x8b);
    CHECK(GzipCompress(text) == packed);  // the same bytes every time: wire tests rely on it
    Inflated back = GzipInflate(packed, kLimits);
    CHECK(back.Failure == InflateFailure::None);
    CHECK(back.Data == text);
}

TEST_CASE("gzip: a bomb stops at the limit instead of filling memory") {
    std::string zeros(50u << 20, '\0');  // 50 MiB of zeros packs to ~50 KiB
    std::string bomb = GzipCompress(zeros);
    CHECK(bomb.size() < 100'000);
    Inflated out = GzipInflate(bomb, kLimits);
    CHECK(out.Failure == InflateFailure::TooLarge);
    CHECK(out.Data.empty());
    CHECK(out.Message.find("200 times") != std::string::npos);
    Inflated capped = GzipInflate(bomb, {1u << 20, 100000});
    CHECK(capped.Failure == InflateFailure::TooLarge);
    CHECK(capped.Message.find("1048576 bytes") != std::string::npos);
}

TEST_CASE("gzip: corrupt, truncated and trailing data are refused with a reason") {
    std::string packed = GzipCompress("hello hello hello");
    CHECK(GzipInflate("not gzip at all", kLimits).Failure == InflateFailure::Corrupt);
    CHECK(GzipInflate(packed.substr(0, packed.size() - 5), kLimits).Failure ==
          InflateFailure::Corrupt);
    Inflated trailing = GzipInflate(packed + "xx", kLimits);
    CHECK(trailing.Failure == InflateFailure::Corrupt);
    CHECK(trailing.Message.find("after the gzip data") != std::string::npos);
    CHECK(GzipInflate("", kLimits).Failure == InflateFailure::Corrupt);
}

TEST_CASE("signing: HMAC-SHA256 matches RFC 4231 test case 2") {
    // Key "Jefe", data "what do ya want for nothing?".
    std::string key_hex = ToHex("Jefe");
    CHECK(SignCanonical(key_hex, "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("signing: the canonical request has six lines and hashes the body as sent") {
    std::string canonical = CanonicalRequest("POST", "/v1/responses", 1795549384722,
                                             "9f2c1e0b7a4d4e8f9a1b2c3d4e5f6071", "abc");
    CHECK(canonical ==
          "DOORSTEP-HMAC-SHA256\nPOST\n/v1/responses\n1795549384722\n"
          "9f2c1e0b7a4d4e8f9a1b2c3d4e5f6071\n"
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("signing: verification is exact") {
    std::string secret = NewDeviceSecretHex();
    CHECK(secret.size() == 64);
    std::string canonical = CanonicalRequest("POST", "/v1/heartbeat", 1, NewNonce(), "{}");
    std::string signature = SignCanonical(secret, canonical);
    CHECK(SignatureMatches(secret, canonical, signature));
    std::string flipped = signature;
    flipped[10] = flipped[10] == 'a' ? 'b' : 'a';
    CHECK_FALSE(SignatureMatches(secret, canonical, flipped));
    CHECK_FALSE(SignatureMatches(secret, canonical, signature.substr(1)));
    CHECK_FALSE(SignatureMatches(NewDeviceSecretHex(), canonical, signature));
    CHECK_FALSE(SignatureMatches("zz", canonical, signature));
    CHECK(NewNonce() != NewNonce());
}

TEST_CASE("signing: hex helpers") {
    std::string bytes;
    CHECK(FromHex("00ff10Ab", bytes));
    CHECK(bytes == std::string("\x00\xff\x10\xab", 4));
    CHECK(ToHex(bytes) == "00ff10ab");
    CHECK_FALSE(FromHex("abc", bytes));
    CHECK_FALSE(FromHex("zz", bytes));
}
