// Service recovery: a customer who answered low may leave an e-mail address or a phone number so
// the store can put things right. The terminal seals what they typed to head office's contact
// key (libsodium's crypto_box_seal: X25519 + XSalsa20-Poly1305) before it touches the disk, so
// the terminal cannot read it back and neither can anyone who copies its file or head office's
// database; only the server holding the secret key opens it, for the store's own accounts.
// docs/PRIVACY.md, "Contact details", holds the rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.hpp"
#include "core/response/response.hpp"

namespace doorstep {

inline constexpr size_t kMaxContactBytes = 120;
inline constexpr size_t kContactKeyBytes = 32;  // X25519, either half

enum class ContactKind { Email, Phone };

struct Contact {
    ContactKind Kind = ContactKind::Email;
    std::string Text;  // as typed, without the spaces around it
};

// "email" or "phone".
std::string_view ContactKindName(ContactKind kind);

// What a customer typed, read as an e-mail address (one '@', a dot in the domain, no spaces)
// or a phone number (7 to 15 digits; spaces, '+' first, '-', '.', '(' and ')' allowed). An
// error says, in words for the customer's screen key, what is wrong: "contact_empty",
// "contact_too_long" or "contact_unreadable".
Result<Contact> ReadContact(std::string_view typed);

// Whether an answer is low enough to offer "May we contact you?": a need scored kLowScore or
// lower, or would-come-back at 3 or lower. A staff rating never is.
bool IsLowAnswer(const Response& response);

struct ContactKeyPair {
    std::string PublicHex;  // 64 hex digits
    std::string SecretHex;  // 64 hex digits
};
ContactKeyPair NewContactKeyPair();
// Whether `hex` is a contact key (64 hex digits).
bool IsContactKeyHex(std::string_view hex);

// The contact's text sealed to `public_hex`, as hex. An error when the key is not a key.
Result<std::string> SealContact(std::string_view text, std::string_view public_hex);
// The text a sealed contact holds. An error when the seal is not hex, was made for another
// key, or was changed since.
Result<std::string> OpenContact(std::string_view sealed_hex, const ContactKeyPair& keys);

}  // namespace doorstep
