// The reducer's configuration from the survey and the command line (or config file).
#pragma once

#include "core/survey/survey.hpp"
#include "kiosk/app/cli.hpp"
#include "kiosk/flow/flow.hpp"

namespace doorstep {

// Options left at their defaults give what `layout` needs: the survey's languages and needs.
FlowConfig BuildFlowConfig(const Survey& survey, const KioskOptions& options);

}  // namespace doorstep
