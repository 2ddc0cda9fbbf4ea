// A mail as an SMTP server received it, taken apart again: its headers with encoded words
// decoded, and its two parts decoded from base64, written apart from the code that composed it.
#pragma once

#include <doctest/doctest.h>
#include <sodium.h>

#include <map>
#include <string>
#include <string_view>

namespace doorstep::testing {

inline std::string Base64Decode(std::string_view text) {
    std::string out(text.size(), '\0');
    size_t length = 0;
    REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                              text.size(), "\r\n", &length, nullptr,
                              sodium_base64_VARIANT_ORIGINAL) == 0);
    out.resize(length);
    return out;
}

// A received message's headers (encoded words decoded) and its two parts.
struct ReceivedMail {
    std::map<std::string, std::string> Headers;
    std::string Text;
    std::string Html;
};

inline ReceivedMail ParseMail(const std::string& message) {
    ReceivedMail mail;
    size_t body_at = message.find("\r\n\r\n");
    REQUIRE(body_at != std::string::npos);
    std::string head = message.substr(0, body_at);
    std::string name;
    for (size_t at = 0; at < head.size();) {
        size_t end = std::min(head.find("\r\n", at), head.size());
        std::string line = head.substr(at, end - at);
        at = end + 2;
        if (line.starts_with(" ")) {
            mail.Headers[name] += line.substr(1);  // a folded line goes on
            continue;
        }
        size_t colon = line.find(": ");
        name = line.substr(0, colon);
        mail.Headers[name] = line.substr(colon + 2);
    }
    for (auto& [header, value] : mail.Headers) {
        std::string decoded;
        for (size_t at = 0; at < value.size();) {
            size_t word = value.find("=?UTF-8?B?", at);
            if (word == std::string::npos) {
                decoded += value.substr(at);
                break;
            }
            decoded += value.substr(at, word - at);
            size_t end = value.find("?=", word + 10);
            decoded += Base64Decode(value.substr(word + 10, end - word - 10));
            at = end + 2;
        }
        value = decoded;
    }
    std::string type = mail.Headers["Content-Type"];
    std::string boundary = "--" + type.substr(type.find("boundary=\"") + 10);
    boundary.pop_back();
    std::string body = message.substr(body_at + 4);
    for (size_t at = body.find(boundary); at != std::string::npos;) {
        size_t next = body.find(boundary, at + boundary.size());
        if (next == std::string::npos) {
            break;
        }
        std::string part = body.substr(at + boundary.size() + 2, next - at - boundary.size() - 2);
        size_t part_body = part.find("\r\n\r\n");
        std::string decoded = Base64Decode(part.substr(part_body + 4));
        (part.find("text/plain") < part_body ? mail.Text : mail.Html) = decoded;
        at = next;
    }
    return mail;
}

}  // namespace doorstep::testing
