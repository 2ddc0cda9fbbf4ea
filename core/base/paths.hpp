// Where the kiosk keeps its data and finds its assets, development and installed alike.
#pragma once

#include <string>

#include "core/base/result.hpp"

namespace doorstep {

// /var/lib/doorstep when the binary runs from an installed location (/usr/...), otherwise
// $XDG_DATA_HOME/doorstep (default ~/.local/share/doorstep).
std::string DefaultDataDir();
// The installed survey (PREFIX/share/doorstep/surveys/default.json beside PREFIX/bin) when
// present, otherwise the source tree's assets/surveys/default.json.
std::string DefaultSurveyPath();
// /etc/doorstep/FILE_NAME when the binary runs from an installed location, otherwise empty: a
// development build never reads the terminal's settings.
std::string DefaultConfigPath(const std::string& file_name);
// Creates the directory (and parents) with mode 0700 when missing; errors name the path.
Status EnsurePrivateDirectory(const std::string& path);
// Free bytes on the file system holding `path`, or -1 when unknown.
long long FreeDiskBytes(const std::string& path);

}  // namespace doorstep
