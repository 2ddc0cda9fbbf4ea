// The mail that tells one recipient about one alert, in the recipient's language: what opened
// where and when, the answer's low needs, intent and comment (or the numbers of a condition),
// the store's top pain points of the last hours, and where to act.
#pragma once

#include <string>

#include "server/mail/mail_body.hpp"
#include "server/mail/mail_words.hpp"
#include "server/store/loop_records.hpp"
#include "server/store/records.hpp"

namespace doorstep::server {

OutgoingMail AlertMail(const AlertRecord& alert, const MailRecipient& recipient,
                       const MailWords& words, const MailIdentity& identity, int64_t now_ms);

// "2026-12-07 14:05": a wall-clock instant in the local time `utc_offset_min` ahead of UTC.
std::string LocalMinute(int64_t wall_ms, int utc_offset_min);

}  // namespace doorstep::server
