#include "http_framing.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace doorstep::fault {
namespace {

constexpr uint64_t kMaxBodyBytes = uint64_t{1} << 40;  // beyond this a length is a parse error

bool EqualsNoCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view Trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

bool ParseNumber(std::string_view text, uint64_t& value, int base = 10) {
    auto [end, code] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    return code == std::errc() && end == text.data() + text.size() && !text.empty() &&
           value <= kMaxBodyBytes;
}

// Frames a chunked body starting at offset; sets End when the last chunk and trailers are in.
void FrameChunked(std::string_view data, size_t offset, Framing& framing) {
    size_t position = offset;
    for (;;) {
        size_t line_end = data.find("\r\n", position);
        if (line_end == std::string_view::npos) {
            return;  // Incomplete
        }
        std::string_view size_text = data.substr(position, line_end - position);
        size_text = Trim(size_text.substr(0, size_text.find(';')));  // drop chunk extensions
        uint64_t size = 0;
        if (!ParseNumber(size_text, size, 16)) {
            framing.Is = Framing::State::Malformed;
            return;
        }
        position = line_end + 2;
        if (size == 0) {
            break;
        }
        if (data.size() < position + size + 2) {
            return;
        }
        if (data.substr(position + size, 2) != "\r\n") {
            framing.Is = Framing::State::Malformed;
            return;
        }
        position += size + 2;
    }
    for (;;) {  // trailer fields, then the blank line that ends the message
        size_t line_end = data.find("\r\n", position);
        if (line_end == std::string_view::npos) {
            return;
        }
        bool blank = line_end == position;
        position = line_end + 2;
        if (blank) {
            framing.Is = Framing::State::Complete;
            framing.End = position;
            return;
        }
    }
}

}  // namespace

Framing FrameMessage(std::string_view data, MessageKind kind, bool request_was_head) {
    Framing framing;
    size_t blank_line = data.find("\r\n\r\n");
    if (blank_line == std::string_view::npos) {
        // A start line this long without headers ending is not a message we can frame.
        if (data.size() > 64 * 1024) {
            framing.Is = Framing::State::Malformed;
        }
        return framing;
    }
    framing.HeaderEnd = blank_line + 4;
    std::string_view head = data.substr(0, blank_line + 2);  // every line ends with CRLF

    size_t line_end = head.find("\r\n");
    std::string_view start_line = head.substr(0, line_end);
    if (kind == MessageKind::Response) {
        // "HTTP/1.1 200 OK": the status code is the three digits after the first space.
        uint64_t code = 0;
        if (start_line.substr(0, 5) != "HTTP/" || start_line.size() < 12 ||
            !ParseNumber(start_line.substr(9, 3), code)) {
            framing.Is = Framing::State::Malformed;
            return framing;
        }
        framing.StatusCode = static_cast<int>(code);
    } else {
        framing.IsHead = start_line.substr(0, 5) == "HEAD ";
    }

    bool chunked = false;
    bool has_length = false;
    uint64_t content_length = 0;
    for (size_t position = line_end + 2; position < head.size();) {
        size_t next = head.find("\r\n", position);
        std::string_view line = head.substr(position, next - position);
        position = next + 2;
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        std::string_view name = line.substr(0, colon);
        std::string_view value = Trim(line.substr(colon + 1));
        if (EqualsNoCase(name, "Content-Length")) {
            if (!ParseNumber(value, content_length)) {
                framing.Is = Framing::State::Malformed;
                return framing;
            }
            has_length = true;
        } else if (EqualsNoCase(name, "Transfer-Encoding")) {
            // Chunked is always the last coding when present (RFC 9112 section 6.1).
            chunked = value.size() >= 7 && EqualsNoCase(value.substr(value.size() - 7), "chunked");
        } else if (EqualsNoCase(name, "Expect")) {
            framing.ExpectContinue = EqualsNoCase(value, "100-continue");
        }
    }

    const int status = framing.StatusCode;
    const bool no_body = kind == MessageKind::Response &&
                         (IsInterim(status) || status == 204 || status == 304 || request_was_head);
    if (no_body || (kind == MessageKind::Request && !chunked && !has_length)) {
        framing.Is = Framing::State::Complete;
        framing.End = framing.HeaderEnd;
    } else if (chunked) {
        FrameChunked(data, framing.HeaderEnd, framing);
    } else if (has_length) {
        if (data.size() >= framing.HeaderEnd + content_length) {
            framing.Is = Framing::State::Complete;
            framing.End = framing.HeaderEnd + content_length;
        }
    } else {
        framing.Is = Framing::State::UntilClose;
    }
    return framing;
}

}  // namespace doorstep::fault
