// Random (version 4) UUIDs for responses: minted on the terminal, so head office can tell a
// replayed upload from a new answer without asking the terminal for anything else.
#pragma once

#include <string>
#include <string_view>

namespace doorstep {

// Lower-case canonical form, 8-4-4-4-12 hex digits, version 4, RFC 4122 variant.
// Randomness from libsodium; safe to call from any thread.
std::string NewUuidV4();

// True for the lower-case canonical form (36 characters, hyphens at 8, 13, 18 and 23, hex
// digits elsewhere). Any version is accepted: the form is what the store and the server rely on.
bool IsUuid(std::string_view text);

}  // namespace doorstep
