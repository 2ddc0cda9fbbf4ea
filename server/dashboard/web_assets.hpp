// The dashboard's files (assets/web), compiled into doorstep-server by embed_web_assets.cmake.
#pragma once

#include <span>
#include <string_view>

namespace doorstep::server {

struct WebAsset {
    std::string_view Path;  // as in the URL: "/index.html", "/js/app.js"
    std::string_view ContentType;
    std::string_view Body;
    std::string_view Etag;  // quoted, as the header carries it
};

std::span<const WebAsset> WebAssets();

}  // namespace doorstep::server
