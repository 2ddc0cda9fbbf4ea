#include "server/mail/mail_service.hpp"

#include <sodium.h>

#include <algorithm>
#include <map>

#include "core/base/clock.hpp"
#include "core/base/log.hpp"
#include "server/mail/digest.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kLeaseMs = 5 * 60'000;  // longer than one send may take (its timeout)

std::string NewClaimToken() {
    unsigned char bytes[16];
    randombytes_buf(bytes, sizeof bytes);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
    return hex;
}

}  // namespace

bool WantsAlertsOf(const MailRecipient& recipient, std::string_view store) {
    return recipient.Alerts && (recipient.Store.empty() || recipient.Store == store);
}

MailService::MailService(ServerStore& store, MailOptions options, Clock clock)
    : Store_(store),
      Options_(std::move(options)),
      Clock_(clock ? std::move(clock) : Clock(WallClockMs)) {}

MailService::~MailService() {
    Stop();
}

int MailService::QueueAlertMails() {
    Result<std::vector<AlertRecord>> alerts = Store_.ListAlertsToMail(100);
    if (!alerts.Ok() || alerts->empty()) {
        return 0;
    }
    Result<std::vector<MailRecipient>> recipients = Store_.ListRecipients();
    if (!recipients.Ok()) {
        return 0;
    }
    int queued = 0;
    for (const AlertRecord& alert : *alerts) {
        std::vector<OutgoingMail> mails;
        for (const MailRecipient& recipient : *recipients) {
            if (WantsAlertsOf(recipient, alert.Finding.Store)) {
                mails.push_back(AlertMail(alert, recipient, Words_, Options_.Identity, Clock_()));
            }
        }
        Status done = Store_.QueueAlertMails(alert.Id, mails, Clock_());
        if (!done.Ok()) {
            Log(LogLevel::Error, "mail", "could not queue an alert's mails",
                {{"alert", std::to_string(alert.Id)}, {"error", done.Err().Message}});
            return queued;
        }
        queued += static_cast<int>(mails.size());
    }
    return queued;
}

int MailService::QueueDigests() {
    Result<std::vector<MailRecipient>> recipients = Store_.ListRecipients();
    Result<std::vector<DeviceClock>> clocks = Store_.ListDeviceClocks();
    if (!recipients.Ok() || !clocks.Ok()) {
        return 0;
    }
    std::map<std::string, int> offsets;  // a store's local time: its first terminal's
    for (const DeviceClock& clock : *clocks) {
        offsets.emplace(clock.Store, clock.UtcOffsetMin);
    }
    int queued = 0;
    int64_t now_ms = Clock_();
    for (const MailRecipient& recipient : *recipients) {
        int offset = recipient.Store.empty() ? 0 : offsets[recipient.Store];
        for (const DigestPeriod& period : DueDigests(recipient, now_ms, offset)) {
            std::string key = DigestKey(period, recipient);
            if (QueuedDigests_.count(key) != 0) {
                continue;
            }
            Result<DigestFigures> figures =
                ReadDigestFigures(Store_, recipient.Store, period, offset);
            if (!figures.Ok()) {
                Log(LogLevel::Error, "mail", "could not read a digest's figures",
                    {{"digest", key}, {"error", figures.Err().Message}});
                return queued;
            }
            Result<bool> added = Store_.QueueMail(
                DigestMail(*figures, period, recipient, Words_, Options_.Identity, now_ms), now_ms);
            if (!added.Ok()) {
                return queued;
            }
            QueuedDigests_.insert(key);
            queued += *added ? 1 : 0;
        }
    }
    return queued;
}

int MailService::SendDue() {
    int sent = 0;
    for (;;) {
        std::string token = NewClaimToken();
        Result<std::optional<MailRecord>> claimed = Store_.ClaimMail(Clock_(), kLeaseMs, token);
        if (!claimed.Ok() || !claimed->has_value()) {
            return sent;
        }
        const MailRecord& mail = **claimed;
        bool marked = false;
        SmtpOutcome outcome =
            SendMail(Options_.Smtp, mail.Mail.Recipient, mail.Mail.Message, [&]() {
                Result<bool> done = Store_.MarkMailSent(mail.Id, token, Clock_());
                marked = done.Ok() && *done;
                return marked;
            });
        if (outcome.Sent) {
            ++sent;
            Log(LogLevel::Info, "mail", "mail sent",
                {{"mail", std::to_string(mail.Id)}, {"to", mail.Mail.Recipient}});
            continue;
        }
        if (outcome.Aborted) {
            // Another sender holds the mail now (or the database refused): this one stops
            // before ".", so the mail is sent by that one only.
            continue;
        }
        std::optional<int64_t> next_at_ms;
        if (!outcome.Permanent) {
            int64_t wait = std::min(Options_.LongestRetryMs,
                                    Options_.FirstRetryMs << std::min(mail.Attempts, 20));
            next_at_ms = Clock_() + wait;
        }
        Log(LogLevel::Warning, "mail", "mail not sent",
            {{"mail", std::to_string(mail.Id)},
             {"to", mail.Mail.Recipient},
             {"error", outcome.Error},
             {"retry", next_at_ms ? "yes" : "no, refused for good"}});
        Status recorded =
            Store_.RecordMailFailure(mail.Id, token, next_at_ms, outcome.Error, Clock_());
        if (!recorded.Ok()) {
            return sent;
        }
        if (next_at_ms) {
            return sent;  // the server is unwell: the rest waits for the next tick
        }
    }
}

void MailService::Start() {
    int64_t next_digests = MonotonicClockMs();
    Worker_.Start([this, next_digests]() mutable {
        QueueAlertMails();
        if (MonotonicClockMs() >= next_digests) {
            QueueDigests();
            next_digests = MonotonicClockMs() + 60'000;
        }
        SendDue();
        return Options_.TickMs;
    });
}

void MailService::Stop() {
    Worker_.Stop();
}

}  // namespace doorstep::server
