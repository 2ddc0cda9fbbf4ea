// Scrubbing a customer's comment before it is stored: e-mail addresses, phone numbers and
// card-like numbers are replaced by a marker, so that a comment never puts a way to reach or
// charge a person on the terminal's disk, in head office's database or in an export.
//
//   e-mail address   anything@domain.tld (letters of any script)      -> [email]
//   phone number     7 to 12 digits, in groups of 2 or more joined by   -> [phone]
//                    one space, '-', '.', '/' or parentheses; a
//                    leading '+' goes with it
//   card-like number 13 or more digits grouped the same way            -> [card]
//
// A date written with digits (24.11.2026, 2026-11-24, 24/11/26) is left alone, as is any run of
// fewer than 7 digits (prices, times, "3 out of 5"). The rules look at digits and '@', not at
// words, so they work alike in every language the survey ships (docs/PRIVACY.md).
#pragma once

#include <string>
#include <string_view>

namespace doorstep {

// The comment with personal data replaced; text without any comes back unchanged. Idempotent.
std::string ScrubPersonalData(std::string_view comment);

}  // namespace doorstep
