#include "server/api/api_message.hpp"

#include <algorithm>
#include <cctype>

#include "core/wire/wire.hpp"

namespace doorstep::server {
namespace {

std::string Lower(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

}  // namespace

std::string ApiRequest::Header(std::string_view name) const {
    auto found = Headers.find(Lower(name));
    return found == Headers.end() ? std::string() : found->second;
}

bool ApiRequest::HasHeader(std::string_view name) const {
    return Headers.count(Lower(name)) != 0;
}

std::string ApiRequest::Cookie(std::string_view name) const {
    auto header = Headers.find("cookie");
    if (header == Headers.end()) {
        return {};
    }
    std::string_view cookies = header->second;
    while (!cookies.empty()) {
        size_t end = cookies.find(';');
        std::string_view pair = cookies.substr(0, end);
        cookies = end == std::string_view::npos ? std::string_view() : cookies.substr(end + 1);
        while (!pair.empty() && pair.front() == ' ') {
            pair.remove_prefix(1);
        }
        size_t equals = pair.find('=');
        if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
            return std::string(pair.substr(equals + 1));
        }
    }
    return {};
}

ApiReply ErrorReply(int status, std::string_view code, std::string_view message,
                    std::string_view extra_json) {
    ApiReply reply;
    reply.Status = status;
    reply.Body = EncodeError(code, message, extra_json);
    return reply;
}

ApiReply JsonReply(std::string body) {
    ApiReply reply;
    reply.Body = std::move(body);
    return reply;
}

}  // namespace doorstep::server
