// Head office's own API under /api/ (docs/server.md, "Head-office API"): sign-in for people, and
// from there the reports the dashboard shows. JSON in and out (CSV for the download); every
// endpoint but /api/login needs a session cookie or `Authorization: Bearer TOKEN` (accounts.hpp).
// Every other path is the dashboard's files (dashboard_files.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

#include "server/api/api_message.hpp"
#include "server/api/loop_api.hpp"
#include "server/store/report_filter.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

inline constexpr std::string_view kSessionCookie = "doorstep_session";

struct HeadOfficeOptions {
    bool SecureCookies = false;  // served over TLS: cookies carry Secure
    // A second connection to the same database for long reads (the CSV download), so they never
    // hold up the kiosks' batches. Unset: the downloads use the main store.
    std::function<Result<std::unique_ptr<ServerStore>>()> OpenReader;
    int64_t AlertGoalMinutes = kDefaultAlertGoalMinutes;  // --alert-goal: resolve within this
    ContactKeyPair ContactKeys;  // opens customers' contacts for their stores' accounts
};

class HeadOfficeApi {
  public:
    using Clock = std::function<int64_t()>;  // Unix milliseconds

    HeadOfficeApi(ServerStore& store, HeadOfficeOptions options, Clock clock = nullptr);

    // Safe to call from several threads at once.
    ApiReply Handle(const ApiRequest& request);

  private:
    ApiReply HandleApi(const ApiRequest& request);
    // The report filter of the query, or the 400 that names what is wrong.
    std::variant<ReportFilter, ApiReply> ParseFilter(const ApiRequest& request) const;
    ApiReply HandleLogin(const ApiRequest& request);
    ApiReply HandleLogout(const ApiRequest& request, const TokenRecord& token);
    ApiReply HandleMe(const TokenRecord& token);
    ApiReply HandleReport(const ApiRequest& request, std::string_view name);
    ApiReply HandleFleet(const ApiRequest& request);
    ApiReply HandleExport(const ApiRequest& request, const TokenRecord& token);
    ApiReply HandleSurveys(const ApiRequest& request, const TokenRecord& token);
    // The caller's valid token, or the 401 to answer.
    std::variant<TokenRecord, ApiReply> Authenticate(const ApiRequest& request);
    std::string SessionCookie(std::string_view token, int64_t max_age_s) const;

    ServerStore& Store_;
    HeadOfficeOptions Options_;
    Clock Clock_;
    LoopApi Loop_;  // alerts, rules, recipients and mail (loop_api.hpp)
};

}  // namespace doorstep::server
