// Where one HTTP/1.1 message ends in a byte stream. The fault proxy needs this to act on "the
// whole request" or "the complete response" without understanding anything else about HTTP.
//
// Framing rules (RFC 9112 section 6.3), in the order they apply:
//   * interim responses (1xx except 101), 204, 304 and answers to HEAD end with their headers;
//   * Transfer-Encoding: chunked ends after the last chunk and its trailers;
//   * Content-Length: N ends N bytes after the headers;
//   * otherwise a request has no body, and a response lasts until the server closes.
#pragma once

#include <cstddef>
#include <string_view>

namespace doorstep::fault {

enum class MessageKind { Request, Response };

struct Framing {
    enum class State {
        Incomplete,  // need more bytes
        Complete,    // End is known
        UntilClose,  // a response without length: it ends when the server closes
        Malformed,   // not HTTP/1.x as far as framing goes
    };
    State Is = State::Incomplete;
    size_t HeaderEnd = 0;         // bytes of start line + headers + blank line; 0 until known
    size_t End = 0;               // bytes of the whole message when Complete
    int StatusCode = 0;           // responses only
    bool ExpectContinue = false;  // requests only: "Expect: 100-continue"
    bool IsHead = false;          // requests only: method HEAD
};

// Frames the message at the start of data. For a response, request_was_head says whether it
// answers a HEAD request (and so has no body whatever its headers say).
Framing FrameMessage(std::string_view data, MessageKind kind, bool request_was_head = false);

// True for a 1xx response that another response follows (100 Continue, 103 Early Hints).
inline bool IsInterim(int status_code) {
    return status_code >= 100 && status_code < 200 && status_code != 101;
}

}  // namespace doorstep::fault
