// Internal to the survey module: the validating reader behind ParseSurvey().
#pragma once

#include <string_view>

#include "core/survey/survey.hpp"

namespace doorstep {

SurveyParse ReadSurvey(std::string_view json_text, std::string_view file_name);

}  // namespace doorstep
