// Time-ordered (version 7, RFC 9562) UUIDs for responses: minted on the terminal, so head office
// can tell a replayed upload from a new answer without asking the terminal for anything else.
// Time order keeps each device's new answers together at the end of head office's uuid index,
// instead of scattered over every page of it (see docs/benchmarks.md, "Sync").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace doorstep {

// Lower-case canonical form, 8-4-4-4-12 hex digits: the 48-bit Unix time in milliseconds, then
// version 7, 74 random bits (libsodium) and the RFC 9562 variant. Safe to call from any thread.
std::string NewUuidV7(int64_t unix_ms);

// True for the lower-case canonical form (36 characters, hyphens at 8, 13, 18 and 23, hex
// digits elsewhere). Any version is accepted: the form is what the store and the server rely on.
bool IsUuid(std::string_view text);

}  // namespace doorstep
