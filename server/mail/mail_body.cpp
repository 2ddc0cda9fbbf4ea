#include "server/mail/mail_body.hpp"

#include "server/mail/mime.hpp"

namespace doorstep::server {

void MailBody::Paragraph(const std::string& text) {
    Text_ += (Text_.empty() ? "" : "\n") + text + "\n";
    HtmlBody_ += "<p>" + EscapeHtml(text) + "</p>\n";
}

void MailBody::Lines(const std::vector<std::pair<std::string, std::string>>& lines) {
    Text_ += "\n";
    HtmlBody_ += "<table>\n";
    for (const auto& [label, value] : lines) {
        if (!label.empty()) {
            Text_.append(label).append(": ");
        }
        Text_.append(value).append("\n");
        HtmlBody_.append("<tr><th align=\"left\">")
            .append(EscapeHtml(label))
            .append("</th><td>")
            .append(EscapeHtml(value))
            .append("</td></tr>\n");
    }
    HtmlBody_ += "</table>\n";
}

void MailBody::List(const std::string& heading, const std::vector<std::string>& items) {
    Text_ += "\n" + heading + ":\n";
    HtmlBody_ += "<h3>" + EscapeHtml(heading) + "</h3>\n<ul>\n";
    for (const std::string& item : items) {
        Text_ += "- " + item + "\n";
        HtmlBody_ += "<li>" + EscapeHtml(item) + "</li>\n";
    }
    HtmlBody_ += "</ul>\n";
}

void MailBody::Link(const std::string& text, const std::string& url) {
    Text_ += "\n" + text + "\n" + (url.empty() ? "" : url + "\n");
    HtmlBody_ += "<p>" + EscapeHtml(text);
    if (!url.empty()) {
        HtmlBody_ += " <a href=\"" + EscapeHtml(url) + "\">" + EscapeHtml(url) + "</a>";
    }
    HtmlBody_ += "</p>\n";
}

void MailBody::Footer(const std::string& text) {
    Text_ += "\n-- \n" + text + "\n";
    HtmlBody_ += "<p style=\"color:#555\">" + EscapeHtml(text) + "</p>\n";
}

std::string MailBody::Html() const {
    return "<!DOCTYPE html>\n<html lang=\"" + EscapeHtml(Language_) +
           "\"><head><meta charset=\"utf-8\"><title>" + EscapeHtml(Title_) +
           "</title></head>\n<body style=\"font-family:sans-serif;color:#1a1a1a\">\n" + HtmlBody_ +
           "</body></html>\n";
}

OutgoingMail FinishMail(const MailIdentity& identity, const MailRecipient& recipient,
                        std::string kind, std::string dedupe_key, std::string store,
                        const std::string& subject, const MailBody& body,
                        const std::string& message_id_local, int64_t now_ms,
                        std::optional<int64_t> alert_id) {
    std::string domain = identity.From.substr(identity.From.find('@') + 1);
    MailParts parts{identity.From,
                    identity.FromName,
                    recipient.Address,
                    subject,
                    body.Text(),
                    body.Html(),
                    message_id_local + "@" + domain,
                    now_ms};
    return OutgoingMail{
        std::move(dedupe_key), std::move(kind), std::move(store), recipient.Address, subject,
        ComposeMail(parts),    alert_id};
}

}  // namespace doorstep::server
