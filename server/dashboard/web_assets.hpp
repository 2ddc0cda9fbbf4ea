// The dashboard's files (assets/web), compiled into doorstep-server by embed_web_assets.cmake.
#pragma once

#include <span>

#include "core/base/embedded_file.hpp"

namespace doorstep::server {

using WebAsset = EmbeddedFile;  // Path as in the URL: "/index.html", "/js/app.js"

std::span<const WebAsset> WebAssets();

}  // namespace doorstep::server
