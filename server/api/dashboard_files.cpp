#include "server/api/dashboard_files.hpp"

#include "server/dashboard/web_assets.hpp"

namespace doorstep::server {
namespace {

// The page loads only its own files and talks only to its own server: injected markup can
// neither run inline script nor send data elsewhere, and no other site may frame it.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

const WebAsset* FindAsset(std::string_view path) {
    if (path == "/") {
        path = "/index.html";
    }
    for (const WebAsset& asset : WebAssets()) {
        if (asset.Path == path) {
            return &asset;
        }
    }
    return nullptr;
}

}  // namespace

std::optional<ApiReply> DashboardFile(const ApiRequest& request) {
    if (request.Method != "GET" && request.Method != "HEAD") {
        return std::nullopt;
    }
    const WebAsset* asset = FindAsset(request.Path);
    if (asset == nullptr) {
        return std::nullopt;
    }
    ApiReply reply;
    reply.ContentType = std::string(asset->ContentType);
    // no-cache: the browser keeps its copy but asks each time, so a new server version's page is
    // never mixed with an old script.
    reply.Headers = {{"ETag", std::string(asset->Etag)},
                     {"Cache-Control", "no-cache"},
                     {"X-Content-Type-Options", "nosniff"},
                     {"Referrer-Policy", "no-referrer"}};
    if (asset->ContentType.starts_with("text/html")) {
        reply.Headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
        reply.Headers.emplace_back("X-Frame-Options", "DENY");
    }
    if (request.Header("If-None-Match") == asset->Etag) {
        reply.Status = 304;
        return reply;
    }
    reply.Body = std::string(asset->Body);
    return reply;
}

}  // namespace doorstep::server
