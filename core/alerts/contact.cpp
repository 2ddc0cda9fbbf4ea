// Reading what a customer typed as a contact, and sealing it to head office's key.
#include "core/alerts/contact.hpp"

#include <sodium.h>

#include <algorithm>

#include "core/alerts/alert_rules.hpp"
#include "core/wire/signing.hpp"

namespace doorstep {
namespace {

constexpr int kLowIntent = 3;
constexpr int kFewestPhoneDigits = 7;
constexpr int kMostPhoneDigits = 15;  // E.164

std::string_view Trimmed(std::string_view text) {
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    size_t last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

bool IsEmail(std::string_view text) {
    size_t at = text.find('@');
    if (at == 0 || at == std::string_view::npos ||
        text.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    std::string_view domain = text.substr(at + 1);
    size_t dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size()) {
        return false;
    }
    return std::none_of(text.begin(), text.end(), [](char c) {
        return c == ' ' || c == '\t' || c == ',' || c == ';' || c == '<' || c == '>';
    });
}

bool IsPhone(std::string_view text) {
    int digits = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            ++digits;
        } else if (c == '+' ? i != 0
                            : std::string_view(" -.()").find(c) == std::string_view::npos) {
            return false;
        }
    }
    return digits >= kFewestPhoneDigits && digits <= kMostPhoneDigits;
}

Result<std::string> KeyBytes(std::string_view hex, const char* what) {
    std::string bytes;
    if (!FromHex(hex, bytes) || bytes.size() != kContactKeyBytes) {
        return Error{std::string("the contact ") + what + " key is not 64 hex digits"};
    }
    return bytes;
}

}  // namespace

std::string_view ContactKindName(ContactKind kind) {
    return kind == ContactKind::Email ? "email" : "phone";
}

Result<Contact> ReadContact(std::string_view typed) {
    std::string_view text = Trimmed(typed);
    if (text.empty()) {
        return Error{"contact_empty"};
    }
    if (text.size() > kMaxContactBytes) {
        return Error{"contact_too_long"};
    }
    if (IsEmail(text)) {
        return Contact{ContactKind::Email, std::string(text)};
    }
    if (IsPhone(text)) {
        return Contact{ContactKind::Phone, std::string(text)};
    }
    return Error{"contact_unreadable"};
}

bool IsLowAnswer(const Response& response) {
    if (response.Kind != ResponseKind::Customer) {
        return false;
    }
    bool low_need = std::any_of(response.Scores.begin(), response.Scores.end(),
                                [](const NeedScore& score) { return score.Score <= kLowScore; });
    return low_need || (response.Intent && *response.Intent <= kLowIntent);
}

ContactKeyPair NewContactKeyPair() {
    if (sodium_init() < 0) {
        return {};  // no randomness: IsContactKeyHex() refuses the empty pair
    }
    unsigned char public_key[crypto_box_PUBLICKEYBYTES];
    unsigned char secret_key[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(public_key, secret_key);
    ContactKeyPair keys{
        ToHex(std::string_view(reinterpret_cast<const char*>(public_key), sizeof public_key)),
        ToHex(std::string_view(reinterpret_cast<const char*>(secret_key), sizeof secret_key))};
    sodium_memzero(secret_key, sizeof secret_key);
    return keys;
}

bool IsContactKeyHex(std::string_view hex) {
    return KeyBytes(hex, "public").Ok();
}

Result<std::string> SealContact(std::string_view text, std::string_view public_hex) {
    Result<std::string> key = KeyBytes(public_hex, "public");
    if (!key.Ok()) {
        return key.Err();
    }
    std::string sealed(text.size() + crypto_box_SEALBYTES, '\0');
    if (sodium_init() < 0 ||
        crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()),
                        reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                        reinterpret_cast<const unsigned char*>(key->data())) != 0) {
        return Error{"the contact could not be sealed to head office's key"};
    }
    return ToHex(sealed);
}

Result<std::string> OpenContact(std::string_view sealed_hex, const ContactKeyPair& keys) {
    Result<std::string> public_key = KeyBytes(keys.PublicHex, "public");
    Result<std::string> secret_key = KeyBytes(keys.SecretHex, "secret");
    if (!public_key.Ok() || !secret_key.Ok()) {
        return public_key.Ok() ? secret_key.Err() : public_key.Err();
    }
    std::string sealed;
    if (!FromHex(sealed_hex, sealed) || sealed.size() < crypto_box_SEALBYTES) {
        return Error{"the sealed contact is not hex, or too short to be one"};
    }
    std::string text(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(text.data()),
                             reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                             reinterpret_cast<const unsigned char*>(public_key->data()),
                             reinterpret_cast<const unsigned char*>(secret_key->data())) != 0) {
        return Error{"the sealed contact was made for another key, or changed since"};
    }
    return text;
}

}  // namespace doorstep
