#include "kiosk/app/flow_config.hpp"

#include <sodium.h>

#include "core/base/log.hpp"

namespace doorstep {

bool OfferContact(const Store& store, const Survey& survey) {
    if (!survey.Contact.Enabled) {
        return false;
    }
    Result<bool> key = store.HasContactKey();
    return key.Ok() && *key;
}

bool KeepCustomerContact(Store& store, Effect& effect, int64_t now_ms) {
    Status kept = store.KeepContact(effect.ResponseUuid, effect.Contact, now_ms);
    sodium_memzero(effect.Contact.data(), effect.Contact.size());
    if (!kept.Ok()) {
        Log(LogLevel::Error, "kiosk", "a customer's contact could not be kept",
            {{"response", effect.ResponseUuid}, {"error", kept.Err().Message}});
    }
    return kept.Ok();
}

FlowConfig BuildFlowConfig(const Survey& survey, const KioskOptions& options, bool offer_contact) {
    FlowConfig config;
    config.OfferContact = offer_contact;
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
    config.SpeechAvailable = survey.Speech.Enabled && !options.NoSpeech;
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
