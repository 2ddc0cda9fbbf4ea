// A mail's words as paragraphs, label-value lines and lists, written once and rendered twice:
// as plain text and as a small HTML document (the two parts of every mail, mime.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/store/loop_records.hpp"

namespace doorstep::server {

struct MailIdentity {
    std::string From;  // the sender's address
    std::string FromName = "Doorstep";
    std::string DashboardUrl;  // where the inbox is; may be empty
    int PainPointHours = 3;
};

class MailBody {
  public:
    MailBody(std::string language, std::string title)
        : Language_(std::move(language)), Title_(std::move(title)) {}

    void Paragraph(const std::string& text);
    // "label: value" lines; an empty label shows the value alone.
    void Lines(const std::vector<std::pair<std::string, std::string>>& lines);
    // A heading and its items ("- item").
    void List(const std::string& heading, const std::vector<std::string>& items);
    // A paragraph with a link under it (none when `url` is empty).
    void Link(const std::string& text, const std::string& url);
    void Footer(const std::string& text);

    const std::string& Text() const { return Text_; }
    std::string Html() const;

  private:
    std::string Language_;
    std::string Title_;
    std::string Text_;
    std::string HtmlBody_;
};

// The queued mail: `body` as a MIME message from the identity to the recipient, its Message-ID
// "<message_id_local>@<the sender's domain>".
OutgoingMail FinishMail(const MailIdentity& identity, const MailRecipient& recipient,
                        std::string kind, std::string dedupe_key, std::string store,
                        const std::string& subject, const MailBody& body,
                        const std::string& message_id_local, int64_t now_ms,
                        std::optional<int64_t> alert_id);

}  // namespace doorstep::server
