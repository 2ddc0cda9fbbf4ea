#include "server/fleet/enrollment.hpp"

#include <sodium.h>

#include "core/base/text.hpp"
#include "core/wire/signing.hpp"

namespace doorstep::server {
namespace {

constexpr std::string_view kCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford
constexpr size_t kCodeSymbols = 12;
constexpr size_t kGroupSize = 4;

std::string Grouped(std::string_view symbols) {
    std::string display;
    for (size_t i = 0; i < symbols.size(); ++i) {
        if (i > 0 && i % kGroupSize == 0) {
            display.push_back('-');
        }
        display.push_back(symbols[i]);
    }
    return display;
}

}  // namespace

std::string NewEnrollmentCode() {
    std::string symbols;
    for (size_t i = 0; i < kCodeSymbols; ++i) {
        // Uniform over the alphabet whatever its size: no modulo bias.
        symbols.push_back(kCodeAlphabet[randombytes_uniform(kCodeAlphabet.size())]);
    }
    return Grouped(symbols);
}

std::optional<std::string> NormaliseEnrollmentCode(std::string_view typed) {
    std::string symbols;
    for (char c : typed) {
        if (c == '-' || c == ' ') {
            continue;
        }
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
        if (c == 'O') {
            c = '0';
        } else if (c == 'I' || c == 'L') {
            c = '1';
        }
        if (kCodeAlphabet.find(c) == std::string_view::npos) {
            return std::nullopt;
        }
        symbols.push_back(c);
        if (symbols.size() > kCodeSymbols) {
            return std::nullopt;
        }
    }
    if (symbols.size() != kCodeSymbols) {
        return std::nullopt;
    }
    return Grouped(symbols);
}

std::string EnrollmentCodeHash(std::string_view normalised_code) {
    return Sha256Hex(normalised_code);
}

std::string NewDeviceId() {
    unsigned char bytes[8];
    randombytes_buf(bytes, sizeof bytes);
    return "dev_" + ToHex(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::optional<std::string> NameProblem(std::string_view what, std::string_view name) {
    if (name.empty() || name.size() > 64) {
        return std::string(what) + " must be 1 to 64 characters, got " +
               std::to_string(name.size());
    }
    if (!IsValidUtf8(name)) {
        return std::string(what) + " is not valid UTF-8";
    }
    for (char c : name) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return std::string(what) + " must not contain control characters";
        }
    }
    return std::nullopt;
}

Result<std::string> CreateEnrollmentCode(ServerStore& store, std::string_view store_name,
                                         std::string_view door, int64_t lifetime_hours,
                                         int64_t now_ms) {
    for (const auto& [what, name] : {std::pair{"store", store_name}, std::pair{"door", door}}) {
        if (std::optional<std::string> problem = NameProblem(what, name)) {
            return Error{*problem};
        }
    }
    std::string code = NewEnrollmentCode();
    EnrollmentCodeRecord record;
    record.CodeHash = EnrollmentCodeHash(code);
    record.Store = std::string(store_name);
    record.Door = std::string(door);
    record.CreatedAtMs = now_ms;
    record.ExpiresAtMs = now_ms + lifetime_hours * 3'600'000;
    if (Status added = store.AddEnrollmentCode(record); !added.Ok()) {
        return added.Err();
    }
    return code;
}

Result<std::optional<DeviceRecord>> RedeemEnrollmentCode(ServerStore& store,
                                                         std::string_view typed_code,
                                                         int64_t now_ms) {
    std::optional<std::string> code = NormaliseEnrollmentCode(typed_code);
    if (!code) {
        return std::optional<DeviceRecord>();
    }
    return store.RedeemEnrollmentCode(EnrollmentCodeHash(*code), NewDeviceId(),
                                      NewDeviceSecretHex(), now_ms);
}

}  // namespace doorstep::server
