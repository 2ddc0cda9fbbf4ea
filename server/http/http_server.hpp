// The HTTP(S) front of doorstep-server: cpp-httplib in front of Api, plus the guards that must
// act before a body is read, the request log and a clean stop on SIGTERM/SIGINT.
// (States and transitions: see the header comment of http_server.cpp.)
#pragma once

#include <optional>
#include <string>

#include "core/alerts/contact.hpp"

#include "server/alerts/alert_service.hpp"
#include "server/api/loop_api.hpp"
#include "server/mail/mail_service.hpp"
#include "server/store/retention_service.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

struct ServeOptions {
    std::string Host = "127.0.0.1";
    int Port = 8470;          // 0: any free port (the "listening" log line names it)
    std::string TlsCertPath;  // both set: HTTPS; both empty: plain HTTP (behind a TLS proxy)
    std::string TlsKeyPath;
    AlertOptions Alerts;
    int64_t AlertGoalMinutes = kDefaultAlertGoalMinutes;  // resolve alerts within this
    std::optional<MailOptions> Mail;                      // --smtp-url given: mail is on
    RetentionOptions Retention;                           // and --contact-days
    std::string ContactKeyPath;  // --contact-key ("": DefaultContactKeyPath(), contact_key.hpp)
    ContactKeyPair ContactKeys;  // read from it at start (commands.cpp)
    std::string DbUrl;           // the store's --db, for the extra connections long reads open
};

// Serves until SIGTERM or SIGINT, then lets the requests in progress finish and returns 0.
// Returns 1 when it cannot start (TLS files unusable, address in use).
int RunServer(const ServeOptions& options, ServerStore& store);

}  // namespace doorstep::server
