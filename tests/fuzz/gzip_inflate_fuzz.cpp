// Fuzz target: the server's gzip inflater and its limits (core/wire/gzip.cpp).
//
// The input is a request body as sent. It is inflated under three sets of limits, the tightest
// first and the protocol's own last, and checked against a plain zlib reading of the same bytes
// (no limits, capped far above them). The target aborts unless, for every set of limits,
//   * the output never exceeds MaxOutputBytes, nor MaxRatio times the input (at least 1 byte);
//   * a complete, single gzip member with nothing after it inflates to exactly zlib's bytes when
//     those fit the limits, and fails as TooLarge when they do not;
//   * anything else (truncated, corrupt, trailing bytes) fails, and a failure leaves no data and
//     says why in words.
// Then the input itself, compressed by GzipCompress, must inflate back to the input under limits
// that it exactly meets.
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/wire/gzip.hpp"
#include "core/wire/protocol.hpp"
#include "fuzz_require.hpp"

namespace {

using doorstep::GzipInflate;
using doorstep::Inflated;
using doorstep::InflateFailure;
using doorstep::InflateLimits;
using doorstep::fuzz::Require;

struct ZlibReading {
    bool Complete = false;      // one whole member, trailer checked
    bool TrailingData = false;  // bytes after that member
    std::string Data;
};

// zlib's own reading, with none of GzipInflate's limits: the oracle.
ZlibReading ReadWithZlib(std::string_view gzip_data, size_t cap) {
    ZlibReading reading;
    z_stream stream{};
    if (inflateInit2(&stream, 15 + 16) != Z_OK) {
        std::abort();
    }
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip_data.data()));
    stream.avail_in = static_cast<uInt>(gzip_data.size());
    std::string buffer(16 * 1024, '\0');
    for (;;) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
        stream.avail_out = static_cast<uInt>(buffer.size());
        int status = inflate(&stream, Z_NO_FLUSH);
        reading.Data.append(buffer.data(), buffer.size() - stream.avail_out);
        if (status == Z_STREAM_END) {
            reading.Complete = true;
            reading.TrailingData = stream.avail_in != 0;
            break;
        }
        if (status != Z_OK || reading.Data.size() > cap) {
            break;  // corrupt, truncated, or beyond every limit tried
        }
    }
    inflateEnd(&stream);
    return reading;
}

void CheckLimits(std::string_view body, const ZlibReading& zlib, InflateLimits limits) {
    Inflated inflated = GzipInflate(body, limits);
    size_t allowed =
        std::min(limits.MaxOutputBytes, std::max<size_t>(body.size() * limits.MaxRatio, 1));
    Require(inflated.Data.size() <= limits.MaxOutputBytes, "output within MaxOutputBytes");
    Require(inflated.Data.size() <= allowed, "output within MaxRatio times the input");
    if (inflated.Failure != InflateFailure::None) {
        Require(inflated.Data.empty(), "a failure leaves no data");
        Require(!inflated.Message.empty(), "a failure says why");
    }
    if (!zlib.Complete || zlib.TrailingData) {
        Require(inflated.Failure != InflateFailure::None, "a bad body is refused");
    } else if (zlib.Data.size() <= allowed) {
        Require(inflated.Failure == InflateFailure::None, "a good body within the limits inflates");
        Require(inflated.Data == zlib.Data, "it inflates to zlib's bytes");
    } else {
        Require(inflated.Failure == InflateFailure::TooLarge,
                "a good body beyond them is TooLarge");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view body(reinterpret_cast<const char*>(data), size);
    constexpr InflateLimits kTight{256, 2};
    constexpr InflateLimits kMiddle{4096, 16};
    constexpr InflateLimits kProtocol{doorstep::protocol::kMaxInflatedBytes,
                                      doorstep::protocol::kMaxInflateRatio};
    size_t beyond_all = std::min(kProtocol.MaxOutputBytes, size * kProtocol.MaxRatio) + 1;
    ZlibReading zlib = ReadWithZlib(body, beyond_all);
    for (InflateLimits limits : {kTight, kMiddle, kProtocol}) {
        CheckLimits(body, zlib, limits);
    }

    std::string compressed = doorstep::GzipCompress(body);
    Require(!compressed.empty(), "GzipCompress compresses");
    Inflated round_trip = GzipInflate(compressed, InflateLimits{size, size + 1});
    Require(round_trip.Failure == InflateFailure::None && round_trip.Data == body,
            "GzipCompress then GzipInflate gives the input back, at exactly its size");
    return 0;
}
