// The scheduled digests: each recipient who asked for them gets, at the digest hour of the
// store's local time, a daily summary of yesterday and (on Mondays) a weekly one of last week,
// in their language: how many answered, each need's mean, the least-met ranking, would-come-back,
// the alerts opened and closed, and the comments. A recipient for every store gets the fleet's,
// at the hour in UTC.
//
// Each digest is queued once per recipient and period (its dedupe key names both), whichever
// server or restart queues it first; one that came due while head office was down goes when it
// is up again, and none is sent for a period that ended before the recipient was added.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/mail/mail_body.hpp"
#include "server/mail/mail_words.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

inline constexpr int kDigestComments = 20;  // the newest comments a digest shows

struct DigestPeriod {
    std::string Kind;  // daily | weekly
    int64_t FromDay = 0;
    int64_t ToDay = 0;  // inclusive
};

// The digests due for `recipient` when the store's clocks are `utc_offset_min` ahead of UTC.
std::vector<DigestPeriod> DueDigests(const MailRecipient& recipient, int64_t now_ms,
                                     int utc_offset_min);

struct DigestFigures {
    AnswerTotals Answers;
    std::vector<ScoreTotals> Scores;
    std::vector<LeastMetTotal> LeastMet;
    int64_t AlertsOpened = 0;
    int64_t AlertsClosed = 0;
    std::vector<CommentRow> Comments;  // newest first, at most kDigestComments
};

Result<DigestFigures> ReadDigestFigures(ServerStore& store, const std::string& for_store,
                                        const DigestPeriod& period, int utc_offset_min);

OutgoingMail DigestMail(const DigestFigures& figures, const DigestPeriod& period,
                        const MailRecipient& recipient, const MailWords& words,
                        const MailIdentity& identity, int64_t now_ms);

// "digest:daily:lisbon:2026-12-06:ana@example.com"
std::string DigestKey(const DigestPeriod& period, const MailRecipient& recipient);

}  // namespace doorstep::server
