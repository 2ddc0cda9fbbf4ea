#include "server/mail/mime.hpp"

#include <sodium.h>

#include <ctime>
#include <vector>

namespace doorstep::server {
namespace {

std::string Base64(std::string_view bytes) {
    std::vector<char> out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL));
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    return std::string(out.data());
}

// Base64 in lines of 76 characters, each ended by CRLF (RFC 2045 6.8).
std::string Base64Lines(std::string_view bytes) {
    std::string encoded = Base64(bytes);
    std::string lines;
    for (size_t at = 0; at < encoded.size(); at += 76) {
        lines += encoded.substr(at, 76) + "\r\n";
    }
    return lines;
}

std::string WithCrlf(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') {
            out += "\r\n";
        } else if (c != '\r') {
            out += c;
        }
    }
    return out;
}

bool PlainAscii(std::string_view text) {
    for (unsigned char c : text) {
        if (c < 0x20 || c > 0x7e) {
            return false;
        }
    }
    return true;
}

// The bytes of one UTF-8 sequence that starts with `lead`.
size_t SequenceLength(unsigned char lead) {
    if (lead >= 0xf0) {
        return 4;
    }
    if (lead >= 0xe0) {
        return 3;
    }
    return lead >= 0xc0 ? 2 : 1;
}

std::string Part(std::string_view type, std::string_view body) {
    return "Content-Type: " + std::string(type) +
           "; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
           Base64Lines(WithCrlf(body));
}

}  // namespace

std::string EncodeHeaderWords(std::string_view text) {
    if (PlainAscii(text)) {
        return std::string(text);
    }
    // Encoded words of at most 75 characters (RFC 2047 2): 45 bytes of UTF-8 become 60 of
    // base64, and a character is never split between two words.
    std::string out;
    size_t at = 0;
    while (at < text.size()) {
        size_t end = at;
        while (end < text.size()) {
            size_t next = end + SequenceLength(static_cast<unsigned char>(text[end]));
            if (next - at > 45) {
                break;
            }
            end = std::min(next, text.size());
        }
        out += (out.empty() ? "" : "\r\n ") + std::string("=?UTF-8?B?") +
               Base64(text.substr(at, end - at)) + "?=";
        at = end;
    }
    return out;
}

std::string MailDate(int64_t unix_ms) {
    std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return text;
}

std::string EscapeHtml(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string AddressProblem(std::string_view address) {
    if (address.empty()) {
        return "the address is empty";
    }
    if (address.size() > 254) {
        return "the address is longer than 254 bytes";
    }
    size_t at = address.find('@');
    if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos) {
        return "the address must hold exactly one '@'";
    }
    if (at == 0 || at + 1 == address.size()) {
        return "the address needs a name before the '@' and a domain after it";
    }
    for (unsigned char c : address) {
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == ',' || c == '(' ||
            c == ')' || c == ';' || c == '\\') {
            return "the address may not hold spaces, quotes, brackets, commas or other "
                   "special characters";
        }
    }
    std::string_view domain = address.substr(at + 1);
    if (domain.front() == '.' || domain.back() == '.' ||
        domain.find("..") != std::string_view::npos) {
        return "the domain after the '@' is not a host name";
    }
    return "";
}

std::string ComposeMail(const MailParts& parts) {
    // The boundary comes from the message id, so the same mail is the same bytes; base64 never
    // holds '=' mid-line or '_' at all, so "=_" cannot occur inside a part.
    std::string boundary = "=_doorstep_" + Base64(parts.MessageId).substr(0, 24);
    for (char& c : boundary) {
        if (c == '/' || c == '+') {
            c = '-';
        }
    }
    std::string from = parts.FromName.empty()
                           ? parts.From
                           : EncodeHeaderWords(parts.FromName) + " <" + parts.From + ">";
    std::string message;
    message += "From: " + from + "\r\n";
    message += "To: " + parts.To + "\r\n";
    message += "Subject: " + EncodeHeaderWords(parts.Subject) + "\r\n";
    message += "Date: " + MailDate(parts.DateMs) + "\r\n";
    message += "Message-ID: <" + parts.MessageId + ">\r\n";
    message += "MIME-Version: 1.0\r\n";
    message += "Auto-Submitted: auto-generated\r\n";
    message += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    message += "--" + boundary + "\r\n" + Part("text/plain", parts.Text);
    message += "--" + boundary + "\r\n" + Part("text/html", parts.Html);
    message += "--" + boundary + "--\r\n";
    return message;
}

}  // namespace doorstep::server
