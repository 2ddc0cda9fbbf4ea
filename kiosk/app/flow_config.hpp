// The reducer's configuration from the survey and the command line (or config file).
#pragma once

#include "core/survey/survey.hpp"
#include "kiosk/app/cli.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/store/store.hpp"

namespace doorstep {

// Options left at their defaults give what `layout` needs: the survey's languages and needs.
// `offer_contact`: see OfferContact().
FlowConfig BuildFlowConfig(const Survey& survey, const KioskOptions& options,
                           bool offer_contact = false);
// Whether customers are offered "May we contact you?" after a low answer: the survey asks for
// it and head office's contact key is here to seal what they type.
bool OfferContact(const Store& store, const Survey& survey);
// Runs a LeaveContact effect: the store seals and keeps the contact, and the effect's copy of
// what was typed is wiped. False (and logged, without the contact) when it could not be kept.
bool KeepCustomerContact(Store& store, Effect& effect, int64_t now_ms);

}  // namespace doorstep
