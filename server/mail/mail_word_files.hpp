// The mails' words (assets/mail), compiled in by server/dashboard/embed_web_assets.cmake.
#pragma once

#include <span>

#include "core/base/embedded_file.hpp"

namespace doorstep::server {

std::span<const EmbeddedFile> MailWordFiles();

}  // namespace doorstep::server
