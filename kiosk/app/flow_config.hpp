// The reducer's configuration from the survey and the command line (or config file).
#pragma once

#include "cli.hpp"
#include "flow.hpp"
#include "survey.hpp"

namespace doorstep {

// Options left at their defaults give what `layout` needs: the survey's languages and needs.
FlowConfig BuildFlowConfig(const Survey& survey, const KioskOptions& options);

}  // namespace doorstep
