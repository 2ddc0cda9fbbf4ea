// The kiosk's uploader, started when the terminal is enrolled.
#pragma once

#include <memory>

#include "kiosk/app/cli.hpp"
#include "kiosk/sync/uploader.hpp"

namespace doorstep {

// The uploader, when this terminal is enrolled; nothing (logged why) otherwise. Answers are kept
// locally either way.
std::unique_ptr<Uploader> StartUploader(const KioskOptions& options, int survey_version);

}  // namespace doorstep
