#include "core/wire/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace doorstep {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 15-bit window, +16 selects the gzip wrapper
constexpr size_t kChunk = 64 * 1024;

}  // namespace

std::string GzipCompress(std::string_view data) {
    z_stream stream{};
    // Level 6: zlib's default balance; batches are small and mostly repetitive JSON.
    if (deflateInit2(&stream, 6, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return {};
    }
    std::string out;
    out.resize(deflateBound(&stream, static_cast<uLong>(data.size())) + 32);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    int status = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return status == Z_STREAM_END ? out : std::string();
}

Inflated GzipInflate(std::string_view gzip_data, InflateLimits limits) {
    Inflated result;
    if (gzip_data.size() > UINT_MAX) {
        result.Failure = InflateFailure::TooLarge;
        result.Message = "compressed body is larger than 4 GiB";
        return result;
    }
    z_stream stream{};
    if (inflateInit2(&stream, kGzipWindowBits) != Z_OK) {
        result.Failure = InflateFailure::Corrupt;
        result.Message = "cannot start the gzip inflater";
        return result;
    }
    size_t ratio_limit = gzip_data.size() * limits.MaxRatio;
    size_t max_output = std::min(limits.MaxOutputBytes, std::max<size_t>(ratio_limit, 1));
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip_data.data()));
    stream.avail_in = static_cast<uInt>(gzip_data.size());
    char buffer[kChunk];
    int status = Z_OK;
    while (status != Z_STREAM_END) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) {
            result.Failure = InflateFailure::Corrupt;
            result.Message = std::string("body is not valid gzip: ") +
                             (stream.msg != nullptr ? stream.msg : "truncated or corrupt data");
            break;
        }
        size_t produced = sizeof buffer - stream.avail_out;
        if (result.Data.size() + produced > max_output) {
            result.Failure = InflateFailure::TooLarge;
            result.Message = result.Data.size() + produced > limits.MaxOutputBytes
                                 ? "body inflates to more than " +
                                       std::to_string(limits.MaxOutputBytes) + " bytes"
                                 : "body inflates more than " + std::to_string(limits.MaxRatio) +
                                       " times its size";
            break;
        }
        result.Data.append(buffer, produced);
        if (status == Z_OK && produced == 0 && stream.avail_in == 0) {
            result.Failure = InflateFailure::Corrupt;
            result.Message = "body is not valid gzip: it ends before the gzip trailer";
            break;
        }
    }
    if (result.Failure == InflateFailure::None && stream.avail_in != 0) {
        result.Failure = InflateFailure::Corrupt;
        result.Message =
            "body has " + std::to_string(stream.avail_in) + " bytes after the gzip data";
    }
    inflateEnd(&stream);
    if (result.Failure != InflateFailure::None) {
        result.Data.clear();
    }
    return result;
}

}  // namespace doorstep
