#include "kiosk/sync/http_client.hpp"

#include <curl/curl.h>

#include <cctype>
#include <mutex>

namespace doorstep {
namespace {

std::once_flag g_curl_ready;  // curl_global_init is not thread-safe: once, before threads

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

size_t ReadHeader(char* data, size_t size, size_t count, void* user) {
    std::string line(data, size * count);
    auto* reply = static_cast<HttpReply*>(user);
    constexpr char kRetryAfter[] = "retry-after:";
    if (line.size() > sizeof kRetryAfter) {
        std::string name = line.substr(0, sizeof kRetryAfter - 1);
        for (char& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (name == kRetryAfter) {
            try {
                reply->RetryAfterS = std::stoll(line.substr(sizeof kRetryAfter - 1));
            } catch (const std::exception&) {
                // An HTTP date instead of seconds: ignore it, the backoff still applies.
            }
        }
    }
    return size * count;
}

}  // namespace

void InitHttpOnce() {
    std::call_once(g_curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpClient::HttpClient(HttpOptions options) : Options_(std::move(options)) {
    InitHttpOnce();
    Handle_ = curl_easy_init();
}

HttpClient::~HttpClient() {
    if (Handle_ != nullptr) {
        curl_easy_cleanup(Handle_);
    }
}

Result<HttpReply> HttpClient::Post(const std::string& url, const std::vector<std::string>& headers,
                                   const std::string& body) {
    if (Handle_ == nullptr) {
        return Error{"cannot start libcurl", 0};
    }
    HttpReply reply;
    curl_slist* list = nullptr;
    for (const std::string& header : headers) {
        list = curl_slist_append(list, header.c_str());
    }
    list = curl_slist_append(list, "Expect:");  // no 100-continue round trip before the body
    curl_easy_reset(Handle_);  // keeps the connection cache, clears the previous request
    curl_easy_setopt(Handle_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(Handle_, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we are threaded
    curl_easy_setopt(Handle_, CURLOPT_POST, 1L);
    curl_easy_setopt(Handle_, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(Handle_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(Handle_, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(Handle_, CURLOPT_USERAGENT, "doorstep-kiosk/" DOORSTEP_VERSION);
    curl_easy_setopt(Handle_, CURLOPT_CONNECTTIMEOUT, Options_.ConnectTimeoutS);
    curl_easy_setopt(Handle_, CURLOPT_TIMEOUT, Options_.TotalTimeoutS);
    curl_easy_setopt(Handle_, CURLOPT_LOW_SPEED_LIMIT, Options_.LowSpeedLimitBytes);
    curl_easy_setopt(Handle_, CURLOPT_LOW_SPEED_TIME, Options_.LowSpeedTimeS);
    curl_easy_setopt(Handle_, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(Handle_, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(Handle_, CURLOPT_PROTOCOLS_STR, "http,https");
    if (!Options_.CaFile.empty()) {
        curl_easy_setopt(Handle_, CURLOPT_CAINFO, Options_.CaFile.c_str());
    }
    if (!Options_.PinnedPublicKey.empty()) {
        curl_easy_setopt(Handle_, CURLOPT_PINNEDPUBLICKEY, Options_.PinnedPublicKey.c_str());
    }
    curl_easy_setopt(Handle_, CURLOPT_WRITEFUNCTION, &AppendBody);
    curl_easy_setopt(Handle_, CURLOPT_WRITEDATA, &reply.Body);
    curl_easy_setopt(Handle_, CURLOPT_HEADERFUNCTION, &ReadHeader);
    curl_easy_setopt(Handle_, CURLOPT_HEADERDATA, &reply);
    CURLcode code = curl_easy_perform(Handle_);
    curl_slist_free_all(list);
    if (code != CURLE_OK) {
        return Error{std::string(curl_easy_strerror(code)) + " (" + url + ")",
                     static_cast<int>(code)};
    }
    curl_easy_getinfo(Handle_, CURLINFO_RESPONSE_CODE, &reply.Status);
    return reply;
}

}  // namespace doorstep
