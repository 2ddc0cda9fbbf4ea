// Chooses the survey the terminal runs: the last definition head office pushed, if it ever
// pushed one; otherwise the given file when it is valid (and then remembered in the store),
// otherwise the last valid definition the store remembered. A terminal refuses to start only when
// it never had a valid definition.
#pragma once

#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "core/survey/survey.hpp"
#include "kiosk/store/store.hpp"

namespace doorstep {

struct ActiveSurvey {
    Survey Definition;
    bool FromFile = true;                     // false: running on the stored fallback
    std::vector<SurveyProblem> FileProblems;  // why the file was not used, if it was not
    bool FromHeadOffice = false;              // the definition head office pushed
};

Result<ActiveSurvey> ResolveSurvey(Store& store, const std::string& survey_path);

}  // namespace doorstep
