#include "kiosk/app/flow_config.hpp"

namespace doorstep {

FlowConfig BuildFlowConfig(const Survey& survey, const KioskOptions& options) {
    FlowConfig config;
    config.SurveyId = survey.Id;
    config.SurveyVersion = survey.Version;
    config.Door = options.Door;
    // --lang names the default only where the survey has it: a survey pushed later may not.
    config.DefaultLanguage = !options.Language.empty() && survey.HasLanguage(options.Language)
                                 ? options.Language
                                 : survey.DefaultLanguage;
    for (const Language& language : survey.Languages) {
        config.Languages.push_back(language.Code);
    }
    for (const Need* need : survey.EnabledNeeds()) {
        config.NeedIds.push_back(need->Id);
    }
    config.CommentMaxChars = survey.CommentMaxChars;
    config.IdleTimeoutMs = static_cast<int64_t>(options.IdleTimeoutSeconds * 1000);
    if (!options.OpeningHours.empty()) {
        Result<OpeningHours> hours = ParseOpeningHours(options.OpeningHours);
        if (hours.Ok()) {  // the command line checked it already
            config.Hours = std::move(*hours);
        }
    }
    return config;
}

}  // namespace doorstep
