// The records of closing the loop, as the store keeps them: alert rules, the inbox's questions,
// the answers the rules read, mail recipients and the mail outbox.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/alerts/alert_rules.hpp"
#include "core/response/response.hpp"

namespace doorstep::server {

using doorstep::AlertRule;
using doorstep::FieldProblem;

// Which alerts the inbox lists, newest first.
struct AlertQuery {
    std::string Store;           // "" every store
    std::string State = "open";  // open (not resolved) | unacknowledged | acknowledged |
                                 // resolved | all
    std::string Kind;            // "" every kind
    std::optional<int64_t> OpenedFromMs;
    std::optional<int64_t> OpenedBeforeMs;  // the age filter
    int Limit = 200;
};

// A stored customer answer as the rules read it.
struct ScannedAnswer {
    std::string Uuid;
    std::string Store;
    std::string Door;
    int64_t ReceivedAtMs = 0;
    int64_t EndedAtMs = 0;
    int UtcOffsetMin = 0;
    std::string LeastMet;
    std::optional<int> Intent;
    std::string Comment;
    std::vector<NeedScore> Scores;
};

struct MailRecipient {
    int64_t Id = 0;
    std::string Store;  // "" every store: head office
    std::string Address;
    std::string Language = "en";
    bool Alerts = true;   // a mail for each alert as it opens
    bool Daily = false;   // a digest each morning
    bool Weekly = false;  // a digest each Monday
    int DigestHour = 7;   // the store's local hour the digests go at
    int64_t CreatedAtMs = 0;
    std::string LastError;  // the latest refusal of this address, "" when none
    std::optional<int64_t> LastErrorAtMs;
};

// One message to one recipient. DedupeKey names what it is ("alert:12:ana@example.com"), so
// queueing it twice (a restart, two servers) keeps one.
struct OutgoingMail {
    std::string DedupeKey;
    std::string Kind;  // alert | digest
    std::string Store;
    std::string Recipient;
    std::string Subject;
    std::string Message;  // the whole RFC 5322 message, CRLF line ends
    std::optional<int64_t> AlertId;
};

struct MailRecord {
    int64_t Id = 0;
    OutgoingMail Mail;
    std::string State = "pending";  // pending | sent | failed
    int Attempts = 0;
    std::optional<int64_t> NextAtMs;
    std::string LastError;
    int64_t CreatedAtMs = 0;
    std::optional<int64_t> SentAtMs;
};

}  // namespace doorstep::server
