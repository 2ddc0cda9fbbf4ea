// gzip for request bodies: the kiosk compresses (libcurl does not compress uploads), the server
// inflates with limits so a small body can never expand into a memory bomb.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/result.hpp"

namespace doorstep {

std::string GzipCompress(std::string_view data);

struct InflateLimits {
    size_t MaxOutputBytes;  // stop once the output would exceed this
    size_t MaxRatio;        // stop once output exceeds input size times this
};

enum class InflateFailure { None, Corrupt, TooLarge };

struct Inflated {
    std::string Data;
    InflateFailure Failure = InflateFailure::None;
    std::string Message;  // plain words when Failure != None
};

// Inflates one gzip member; trailing garbage after it is Corrupt.
Inflated GzipInflate(std::string_view gzip_data, InflateLimits limits);

}  // namespace doorstep
