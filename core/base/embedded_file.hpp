// A file compiled into the program (server/dashboard/embed_web_assets.cmake writes the tables).
#pragma once

#include <string_view>

namespace doorstep {

struct EmbeddedFile {
    std::string_view Path;  // from the embedded folder, with a leading '/': "/js/app.js"
    std::string_view ContentType;
    std::string_view Body;
    std::string_view Etag;  // quoted, as the header carries it
};

}  // namespace doorstep
