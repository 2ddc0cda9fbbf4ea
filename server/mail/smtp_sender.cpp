#include "server/mail/smtp_sender.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "server/mail/mime.hpp"

namespace doorstep::server {
namespace {

struct Upload {
    std::string_view Message;
    size_t Sent = 0;
    const std::function<bool()>* BeforeEnd = nullptr;
    bool Aborted = false;
    bool Confirmed = false;  // BeforeEnd said yes: asked once only
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    size_t room = size * count;
    if (upload->Sent == upload->Message.size()) {
        // Everything is handed over; curl sends "." next. Not before the caller says so.
        if (!upload->Aborted && !upload->Confirmed) {
            upload->Confirmed = !(*upload->BeforeEnd) || (*upload->BeforeEnd)();
            upload->Aborted = !upload->Confirmed;
        }
        return upload->Aborted ? CURL_READFUNC_ABORT : 0;
    }
    size_t chunk = std::min(room, upload->Message.size() - upload->Sent);
    std::memcpy(buffer, upload->Message.data() + upload->Sent, chunk);
    upload->Sent += chunk;
    return chunk;
}

size_t IgnoreBody(char* /*data*/, size_t size, size_t count, void* /*user*/) {
    return size * count;
}

}  // namespace

std::optional<std::string> SmtpSettingsProblem(const SmtpSettings& settings) {
    const std::string& url = settings.Url;
    bool smtp = url.starts_with("smtp://");
    bool smtps = url.starts_with("smtps://");
    if (!smtp && !smtps) {
        return "--smtp-url must start with smtp:// or smtps:// (got '" + url.substr(0, 80) + "')";
    }
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> parsed(curl_url(), curl_url_cleanup);
    char* host = nullptr;
    if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK ||
        curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK || host == nullptr ||
        *host == '\0') {
        curl_free(host);
        return "--smtp-url names no host: '" + url.substr(0, 80) + "'";
    }
    curl_free(host);
    char* port = nullptr;
    if (curl_url_get(parsed.get(), CURLUPART_PORT, &port, 0) == CURLUE_OK && port != nullptr) {
        long number = std::strtol(port, nullptr, 10);
        curl_free(port);
        if (number < 1 || number > 65535) {
            return "--smtp-url has a port outside 1-65535";
        }
    }
    if (std::string problem = AddressProblem(settings.From); !problem.empty()) {
        return "--smtp-from: " + problem;
    }
    if (settings.User.empty() != settings.Password.empty()) {
        return "--smtp-user and --smtp-password-file go together";
    }
    return std::nullopt;
}

SmtpOutcome SendMail(const SmtpSettings& settings, std::string_view recipient,
                     std::string_view message, const std::function<bool()>& before_end) {
    SmtpOutcome outcome;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) {
        outcome.Error = "libcurl could not start";
        return outcome;
    }
    Upload upload{message, 0, &before_end, false, false};
    std::string mail_from = "<" + settings.From + ">";
    std::string rcpt = "<" + std::string(recipient) + ">";
    curl_slist* recipients = curl_slist_append(nullptr, rcpt.c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> owned(recipients,
                                                                      curl_slist_free_all);
    char error[CURL_ERROR_SIZE] = "";
    CURL* handle = curl.get();
    curl_easy_setopt(handle, CURLOPT_URL, settings.Url.c_str());
    curl_easy_setopt(handle, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(handle, CURLOPT_READFUNCTION, ReadMessage);
    curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, IgnoreBody);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT, settings.TimeoutSeconds);
    if (settings.Url.starts_with("smtp://")) {
        curl_easy_setopt(handle, CURLOPT_USE_SSL,
                         settings.Tls == SmtpTls::Required ? CURLUSESSL_ALL : CURLUSESSL_TRY);
    }
    if (!settings.CaFile.empty()) {
        curl_easy_setopt(handle, CURLOPT_CAINFO, settings.CaFile.c_str());
    }
    if (!settings.User.empty()) {
        curl_easy_setopt(handle, CURLOPT_USERNAME, settings.User.c_str());
        curl_easy_setopt(handle, CURLOPT_PASSWORD, settings.Password.c_str());
    }
    CURLcode code = curl_easy_perform(handle);
    long reply = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply);
    if (code == CURLE_OK) {
        outcome.Sent = true;
        return outcome;
    }
    outcome.Aborted = upload.Aborted;
    // 5xx is for good (a refused recipient, a message the server will never take); 4xx, a
    // dropped connection or a timeout may pass.
    outcome.Permanent = reply >= 500 && reply < 600 && code != CURLE_LOGIN_DENIED;
    std::string detail = error[0] != '\0' ? error : curl_easy_strerror(code);
    outcome.Error = (reply != 0 ? "SMTP " + std::to_string(reply) + ": " : std::string()) + detail;
    return outcome;
}

}  // namespace doorstep::server
