// One mail message as RFC 5322 and MIME (RFC 2045-2047) want it: a plain-text and an HTML
// part of the same words (multipart/alternative), UTF-8, each part in base64, header words
// outside ASCII as encoded words. The same parts give the same bytes, so a test can compare
// them and a queued message is what gets sent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace doorstep::server {

struct MailParts {
    std::string From;      // an address: "doorstep@example.com"
    std::string FromName;  // shown beside it; may be empty
    std::string To;
    std::string Subject;    // UTF-8
    std::string Text;       // UTF-8, '\n' line ends
    std::string Html;       // UTF-8, a whole document
    std::string MessageId;  // without the angle brackets: "alert-12.ana@doorstep"
    int64_t DateMs = 0;     // Unix milliseconds, written as UTC
};

// The whole message, CRLF line ends.
std::string ComposeMail(const MailParts& parts);

// A header value: as it is when plain ASCII, else RFC 2047 encoded words ("=?UTF-8?B?...?=").
std::string EncodeHeaderWords(std::string_view text);
// "Mon, 07 Dec 2026 01:23:45 +0000"
std::string MailDate(int64_t unix_ms);
// `text` with &, <, >, " and ' as HTML entities.
std::string EscapeHtml(std::string_view text);
// The problem with an e-mail address in words, or "" when it is usable: one '@', a local part
// and a domain of printable ASCII without spaces, quotes, angle brackets or commas, 254 bytes
// at most.
std::string AddressProblem(std::string_view address);

}  // namespace doorstep::server
