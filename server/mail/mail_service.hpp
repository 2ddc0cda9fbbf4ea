// Mail inside `serve`: turns alerts into mails for their store's recipients, and sends the
// outbox over SMTP (smtp_sender.hpp), retried with backoff from the database, so neither a
// restart nor a second server on one PostgreSQL sends a mail twice or loses one.
//
// A MAIL'S STATES (mail_outbox; the store's side is sql_mail.cpp)
//   (queued by an alert, or a digest) pending
//   pending --ClaimMail(): lease, claim token--> claimed
//   claimed --SendMail() hands the last byte over, MarkMailSent() with the token commits--> sent
//            (only then does "." go, so a sender killed before the commit sent nothing; one
//             killed after it sent the mail, which is never sent again)
//   claimed --4xx, no answer, a dropped connection--> pending, tried again after 30 s doubling
//             to 1 h, for as long as it takes (an SMTP server that is down loses nothing)
//   claimed --5xx (a refused recipient)--> failed, and the recipient shows the refusal
//   claimed --the lease runs out (a sender died)--> pending again for anyone
//   A lease outlived by a slow server: MarkMailSent() fails the old claim's token, so its
//   sender drops the connection before "." and only the new claim's mail is delivered.
//
// THE THREAD
//   every TickMs, and at once on Wake() (an alert opened): queue the mails of alerts whose
//   mail is pending; send every mail due.
//   every minute: queue the digests that are due (digest.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include "core/base/periodic_thread.hpp"
#include "server/mail/alert_mail.hpp"
#include "server/mail/mail_words.hpp"
#include "server/mail/smtp_sender.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

struct MailOptions {
    SmtpSettings Smtp;
    MailIdentity Identity;
    int64_t TickMs = 2'000;
    int64_t FirstRetryMs = 30'000;
    int64_t LongestRetryMs = 3'600'000;
};

class MailService {
  public:
    using Clock = std::function<int64_t()>;  // Unix milliseconds

    MailService(ServerStore& store, MailOptions options, Clock clock = nullptr);
    ~MailService();
    MailService(const MailService&) = delete;
    MailService& operator=(const MailService&) = delete;

    // Queues a mail per recipient for each alert whose mail is pending; how many were queued.
    int QueueAlertMails();
    // Queues the digests that are due (digest.hpp); how many were queued.
    int QueueDigests();
    // Sends every mail due now; how many were sent.
    int SendDue();

    void Start();
    // An alert with mail opened: queue and send now rather than at the next tick.
    void Wake() { Worker_.Wake(); }
    void Stop();

  private:
    ServerStore& Store_;
    MailOptions Options_;
    Clock Clock_;
    MailWords Words_;
    std::set<std::string> QueuedDigests_;  // dedupe keys this process queued or found queued
    PeriodicThread Worker_;
};

// Whether `recipient` hears of alerts of `store`.
bool WantsAlertsOf(const MailRecipient& recipient, std::string_view store);

}  // namespace doorstep::server
