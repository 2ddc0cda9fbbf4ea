// Sends one message to one recipient over SMTP with libcurl: smtp:// (STARTTLS when the server
// offers it, or always with Tls = Required), smtps:// (TLS from the first byte), and
// authentication when a user is set.
//
// ONE SEND
//   connect, EHLO, [STARTTLS], [AUTH], MAIL FROM, RCPT TO, DATA, the message ...
//   ... all of it handed over: BeforeEnd() --true--> "." ends the message --250--> sent
//                                         --false--> the connection is dropped before ".",
//                                                    so the server discards what it has
// BeforeEnd is where the caller marks the mail sent (mail_service.hpp): an SMTP server keeps
// no message that did not end with ".", so a sender that dies before that commit sends nothing
// and the mail goes again; after it, the mail is never sent again.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace doorstep::server {

enum class SmtpTls { Try, Required };

struct SmtpSettings {
    std::string Url;  // smtp://host[:port] or smtps://host[:port]
    std::string From;
    std::string FromName = "Doorstep";
    std::string User;  // empty: no AUTH
    std::string Password;
    SmtpTls Tls = SmtpTls::Try;
    std::string CaFile;  // empty: the system's certificate authorities
    long TimeoutSeconds = 60;
};

// The problem with the settings in words, naming the flag at fault, or nothing.
std::optional<std::string> SmtpSettingsProblem(const SmtpSettings& settings);

struct SmtpOutcome {
    bool Sent = false;
    bool Permanent = false;  // refused for good (5xx): no retry will help
    bool Aborted = false;    // BeforeEnd said no: nothing was sent
    std::string Error;       // what went wrong, with the server's reply code when there was one
};

// `message` is the whole message with CRLF line ends (mime.hpp).
SmtpOutcome SendMail(const SmtpSettings& settings, std::string_view recipient,
                     std::string_view message, const std::function<bool()>& before_end);

}  // namespace doorstep::server
