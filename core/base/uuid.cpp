#include "core/base/uuid.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstdlib>

#include "core/base/log.hpp"

namespace doorstep {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

bool IsHyphenPosition(size_t index) {
    return index == 8 || index == 13 || index == 18 || index == 23;
}

// sodium_init() once per process; a function-local static makes the first call thread-safe.
void EnsureSodium() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) {
        // Without a working random source no identifier can be trusted to be unique.
        Log(LogLevel::Error, "uuid", "libsodium failed to initialise; cannot make random ids");
        std::abort();
    }
}

}  // namespace

std::string NewUuidV7(int64_t unix_ms) {
    EnsureSodium();
    std::array<uint8_t, 16> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    auto ms = static_cast<uint64_t>(unix_ms < 0 ? 0 : unix_ms);
    for (size_t i = 0; i < 6; ++i) {  // big-endian, so the text sorts by time
        bytes[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
    }
    bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x70);  // version 7
    bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);  // variant 10xx (RFC 9562)

    std::string text;
    text.reserve(36);
    for (size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            text.push_back('-');
        }
        text.push_back(kHexDigits[bytes[i] >> 4]);
        text.push_back(kHexDigits[bytes[i] & 0x0f]);
    }
    return text;
}

bool IsUuid(std::string_view text) {
    if (text.size() != 36) {
        return false;
    }
    for (size_t i = 0; i < text.size(); ++i) {
        if (IsHyphenPosition(i) ? text[i] != '-'
                                : kHexDigits.find(text[i]) == std::string_view::npos) {
            return false;
        }
    }
    return true;
}

}  // namespace doorstep
