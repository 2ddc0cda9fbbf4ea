// A small libcurl client for the uploader: one reusable handle (keep-alive), explicit timeouts,
// TLS verification on by default. Call InitHttpOnce() from main() before any thread starts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.hpp"

typedef void CURL;

namespace doorstep {

struct HttpOptions {
    long ConnectTimeoutS = 10;
    long TotalTimeoutS = 60;
    long LowSpeedLimitBytes = 1024;  // abort a transfer slower than this ...
    long LowSpeedTimeS = 30;         // ... for this long
    std::string CaFile;
    std::string PinnedPublicKey;
};

struct HttpReply {
    long Status = 0;
    std::string Body;
    std::optional<int64_t> RetryAfterS;  // from a Retry-After header in seconds
};

void InitHttpOnce();

class HttpClient {
  public:
    explicit HttpClient(HttpOptions options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // POSTs `body` with the given "Name: value" headers. A transport failure (no connection,
    // timeout, TLS) is an Error whose message comes from curl_easy_strerror; any HTTP status is
    // a reply.
    Result<HttpReply> Post(const std::string& url, const std::vector<std::string>& headers,
                           const std::string& body);

  private:
    HttpOptions Options_;
    CURL* Handle_ = nullptr;
};

}  // namespace doorstep
