#include "server/api/head_office_api.hpp"

#include <nlohmann/json.hpp>

#include "core/base/clock.hpp"
#include "core/base/log.hpp"
#include "core/base/text.hpp"
#include "server/accounts/accounts.hpp"
#include "server/alerts/alert_service.hpp"
#include "server/api/dashboard_files.hpp"
#include "server/api/linkage_api.hpp"
#include "server/api/loop_api.hpp"
#include "server/api/request_checks.hpp"
#include "server/fleet/fleet.hpp"
#include "server/reports/export_csv.hpp"
#include "server/reports/reports.hpp"
#include "server/surveys/survey_push.hpp"

namespace doorstep::server {
namespace {

ApiReply NotSignedIn() {
    ApiReply reply = ErrorReply(401, "unauthorized",
                                "sign in first: send the session cookie or "
                                "'Authorization: Bearer TOKEN'");
    reply.Headers.emplace_back("WWW-Authenticate", "Bearer realm=\"doorstep\"");
    return reply;
}

std::string PresentedToken(const ApiRequest& request) {
    std::string authorization = request.Header("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.starts_with(kBearer)) {
        return authorization.substr(kBearer.size());
    }
    return request.Cookie(kSessionCookie);
}

// Letters, digits, '-' and '_' only: a store name goes into a download's file name.
std::string SafeFileName(std::string_view text) {
    std::string safe;
    for (char c : text.substr(0, 40)) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '_';
        safe += plain ? c : '_';
    }
    return safe;
}

std::string_view KindName(TokenKind kind) {
    return kind == TokenKind::Api ? "api" : "session";
}

}  // namespace

HeadOfficeApi::HeadOfficeApi(ServerStore& store, HeadOfficeOptions options, Clock clock)
    : Store_(store),
      Options_(std::move(options)),
      Clock_(clock ? std::move(clock) : Clock(WallClockMs)),
      Loop_(store, Options_.AlertGoalMinutes, Clock_, Options_.ContactKeys) {}

ApiReply HeadOfficeApi::Handle(const ApiRequest& request) {
    if (!request.Path.starts_with("/api/")) {
        std::optional<ApiReply> file = DashboardFile(request);
        return file ? std::move(*file)
                    : ErrorReply(404, "not_found", "no such page: " + request.Path.substr(0, 80));
    }
    ApiReply reply = HandleApi(request);
    // Answers hold customers' words and figures: no cache keeps them.
    reply.Headers.emplace_back("Cache-Control", "no-store");
    return reply;
}

ApiReply HeadOfficeApi::HandleApi(const ApiRequest& request) {
    if (request.Path == "/api/login") {
        if (request.Method != "POST") {
            ApiReply reply = ErrorReply(405, "method_not_allowed", "/api/login takes POST only");
            reply.Headers.emplace_back("Allow", "POST");
            return reply;
        }
        return HandleLogin(request);
    }
    std::variant<TokenRecord, ApiReply> caller = Authenticate(request);
    if (ApiReply* refusal = std::get_if<ApiReply>(&caller)) {
        return std::move(*refusal);
    }
    const TokenRecord& token = std::get<TokenRecord>(caller);
    if (request.Path == "/api/logout" && request.Method == "POST") {
        return HandleLogout(request, token);
    }
    if (request.Path == "/api/me" && request.Method == "GET") {
        return HandleMe(token);
    }
    if (request.Path == "/api/fleet" && request.Method == "GET") {
        return HandleFleet(request);
    }
    if (std::optional<ApiReply> loop = Loop_.Handle(request, token.UserName)) {
        return std::move(*loop);
    }
    if (std::optional<ApiReply> linkage =
            HandleLinkageApi(Store_, request, token.UserName, Clock_())) {
        return std::move(*linkage);
    }
    if (request.Path == "/api/export.csv" && request.Method == "GET") {
        return HandleExport(request, token);
    }
    if (request.Path == "/api/surveys" || request.Path == "/api/surveys/rollback") {
        return HandleSurveys(request, token);
    }
    constexpr std::string_view kReports = "/api/reports/";
    if (request.Path.starts_with(kReports) && request.Method == "GET") {
        return HandleReport(request, std::string_view(request.Path).substr(kReports.size()));
    }
    return ErrorReply(404, "not_found",
                      "no such endpoint: " + request.Method + " " + request.Path.substr(0, 80));
}

std::variant<TokenRecord, ApiReply> HeadOfficeApi::Authenticate(const ApiRequest& request) {
    std::string presented = PresentedToken(request);
    if (presented.empty()) {
        return NotSignedIn();
    }
    Result<std::optional<TokenRecord>> token = Authorize(Store_, presented, Clock_());
    if (!token.Ok()) {
        return HeadOfficeFailure(token.Err(), "check the sign-in");
    }
    if (!token->has_value()) {
        ApiReply reply = ErrorReply(401, "unauthorized",
                                    "the session or token is unknown, expired or revoked; "
                                    "sign in again");
        reply.Headers.emplace_back("WWW-Authenticate", "Bearer realm=\"doorstep\"");
        return reply;
    }
    return **token;
}

ApiReply HeadOfficeApi::HandleLogin(const ApiRequest& request) {
    // JSON only: a cross-site form cannot send it without the browser asking first (CORS).
    if (!request.Header("Content-Type").starts_with("application/json")) {
        return ErrorReply(415, "unsupported_media_type",
                          "send the sign-in as Content-Type: application/json");
    }
    if (!IsValidUtf8(request.Body)) {
        return ErrorReply(400, "invalid_utf8", "the body is not valid UTF-8");
    }
    nlohmann::json body = nlohmann::json::parse(request.Body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("user") ||
        !body["user"].is_string() || !body.contains("password") || !body["password"].is_string()) {
        return ErrorReply(400, "bad_request",
                          "the body must be {\"user\": \"...\", \"password\": \"...\"}");
    }
    std::string user = body["user"].get<std::string>();
    int64_t now_ms = Clock_();
    Result<LoginOutcome> outcome = LogIn(Store_, user, body["password"].get<std::string>(), now_ms);
    if (!outcome.Ok()) {
        return HeadOfficeFailure(outcome.Err(), "sign you in");
    }
    if (!outcome->Session && outcome->LockedUntilMs > now_ms) {
        int64_t wait_s = (outcome->LockedUntilMs - now_ms + 999) / 1000;
        Log(LogLevel::Warning, "api", "sign-in paused after wrong passwords",
            {{"user", user.substr(0, 64)}, {"seconds", std::to_string(wait_s)}});
        ApiReply reply = ErrorReply(429, "too_many_attempts",
                                    "too many wrong passwords for this user; try again in " +
                                        std::to_string((wait_s + 59) / 60) + " minute" +
                                        (wait_s > 60 ? "s" : ""),
                                    nlohmann::json{{"retry_after_s", wait_s}}.dump());
        reply.Headers.emplace_back("Retry-After", std::to_string(wait_s));
        return reply;
    }
    if (!outcome->Session) {
        Log(LogLevel::Warning, "api", "sign-in refused", {{"user", user.substr(0, 64)}});
        return ErrorReply(401, "bad_credentials", "the user name or password is wrong");
    }
    const IssuedToken& issued = *outcome->Session;
    Log(LogLevel::Info, "api", "signed in", {{"user", issued.Record.UserName}});
    ApiReply reply = JsonReply(nlohmann::json{{"user", issued.Record.UserName},
                                              {"expires_at_ms", *issued.Record.ExpiresAtMs}}
                                   .dump());
    reply.Headers.emplace_back("Set-Cookie",
                               SessionCookie(issued.Token, kSessionLifetimeMs / 1000));
    return reply;
}

ApiReply HeadOfficeApi::HandleLogout(const ApiRequest& request, const TokenRecord& token) {
    Result<bool> revoked = RevokeBearerToken(Store_, PresentedToken(request), Clock_());
    if (!revoked.Ok()) {
        return HeadOfficeFailure(revoked.Err(), "sign you out");
    }
    Log(LogLevel::Info, "api", "signed out", {{"user", token.UserName}});
    ApiReply reply = JsonReply(nlohmann::json{{"signed_out", true}}.dump());
    reply.Headers.emplace_back("Set-Cookie", SessionCookie("", 0));
    return reply;
}

ApiReply HeadOfficeApi::HandleMe(const TokenRecord& token) {
    nlohmann::json me{{"user", token.UserName}, {"kind", KindName(token.Kind)}};
    if (token.ExpiresAtMs) {
        me["expires_at_ms"] = *token.ExpiresAtMs;
    }
    return JsonReply(me.dump());
}

ApiReply HeadOfficeApi::HandleFleet(const ApiRequest& request) {
    int64_t silent_after_min = kDefaultSilentAfterMin;
    if (auto given = request.Query.find("silent_after_min"); given != request.Query.end()) {
        char* end = nullptr;
        long long minutes = std::strtoll(given->second.c_str(), &end, 10);
        if (given->second.empty() || *end != '\0' || minutes < 5 || minutes > 7 * 24 * 60) {
            return ErrorReply(400, "bad_filter",
                              "silent_after_min must be a whole number of minutes, 5 to 10080",
                              nlohmann::json{{"field", "silent_after_min"}}.dump());
        }
        silent_after_min = minutes;
    }
    Result<std::vector<DeviceOverview>> devices = Store_.ListDevices();
    if (!devices.Ok()) {
        return HeadOfficeFailure(devices.Err(), "list the devices");
    }
    return JsonReply(FleetJson(*devices, Clock_(), silent_after_min * 60'000).dump());
}

std::variant<ReportFilter, ApiReply> HeadOfficeApi::ParseFilter(const ApiRequest& request) const {
    constexpr int64_t kDayMs = 24LL * 3600 * 1000;
    std::variant<ReportFilter, FilterProblem> parsed =
        ParseReportFilter(request.Query, Clock_() / kDayMs);
    if (const FilterProblem* problem = std::get_if<FilterProblem>(&parsed)) {
        return ErrorReply(400, "bad_filter", problem->Message,
                          nlohmann::json{{"field", problem->Parameter}}.dump());
    }
    return std::get<ReportFilter>(parsed);
}

ApiReply HeadOfficeApi::HandleExport(const ApiRequest& request, const TokenRecord& token) {
    std::variant<ReportFilter, ApiReply> parsed = ParseFilter(request);
    if (ApiReply* refusal = std::get_if<ApiReply>(&parsed)) {
        return std::move(*refusal);
    }
    const ReportFilter& filter = std::get<ReportFilter>(parsed);
    // The download reads for as long as the client takes: on its own connection when there is one.
    std::shared_ptr<ServerStore> reader;
    if (Options_.OpenReader) {
        Result<std::unique_ptr<ServerStore>> opened = Options_.OpenReader();
        if (!opened.Ok()) {
            return HeadOfficeFailure(opened.Err(), "open the database for the download");
        }
        reader = std::move(*opened);
    } else {
        reader = std::shared_ptr<ServerStore>(&Store_, [](ServerStore*) {});
    }
    std::string name =
        "doorstep-" + DayToIsoDate(filter.FromDay) + "-to-" + DayToIsoDate(filter.ToDay) +
        (filter.Store.empty() ? std::string() : "-" + SafeFileName(filter.Store)) + ".csv";
    ApiReply reply;
    reply.ContentType = "text/csv; charset=utf-8";
    reply.Headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
    reply.Stream = [reader, filter, user = token.UserName](const BodyWriter& write) {
        ExportFilter rows;
        rows.Report = filter;
        Result<int64_t> written = ExportCsv(*reader, rows, [&write](std::string_view chunk) {
            return write(chunk) ? Success() : Status(Error{"the client went away"});
        });
        if (!written.Ok()) {
            Log(LogLevel::Warning, "api", "download not finished",
                {{"user", user}, {"error", written.Err().Message}});
            return false;
        }
        Log(LogLevel::Info, "api", "downloaded CSV",
            {{"user", user}, {"rows", std::to_string(*written)}});
        return true;
    };
    return reply;
}

ApiReply HeadOfficeApi::HandleReport(const ApiRequest& request, std::string_view name) {
    std::variant<ReportFilter, ApiReply> parsed = ParseFilter(request);
    if (ApiReply* refusal = std::get_if<ApiReply>(&parsed)) {
        return std::move(*refusal);
    }
    Result<std::optional<nlohmann::json>> report =
        BuildReport(Store_, name, std::get<ReportFilter>(parsed));
    if (!report.Ok()) {
        return HeadOfficeFailure(report.Err(), "build the report");
    }
    if (!report->has_value()) {
        return ErrorReply(404, "not_found",
                          "no report named '" + std::string(name.substr(0, 40)) +
                              "'; reports are needs, trend, heatmap, least-met, intent, gap, "
                              "stores, comments, choices, linkage and drivers");
    }
    return JsonReply((*report)->dump());
}

// GET /api/surveys: versions and assignments. POST /api/surveys {"definition": "<file text>",
// "store", "door"} publishes; POST /api/surveys/rollback {"store", "door", "to"?} rolls back.
ApiReply HeadOfficeApi::HandleSurveys(const ApiRequest& request, const TokenRecord& token) {
    if (request.Method == "GET" && request.Path == "/api/surveys") {
        Result<std::vector<SurveyAssignment>> current = Store_.ListSurveyAssignments(false);
        if (!current.Ok()) {
            return HeadOfficeFailure(current.Err(), "list the surveys");
        }
        Result<std::vector<SurveyVersionRecord>> versions = Store_.ListSurveyVersions();
        if (!versions.Ok()) {
            return HeadOfficeFailure(versions.Err(), "list the survey versions");
        }
        return JsonReply(SurveysJson(*current, *versions).dump());
    }
    if (request.Method != "POST") {
        ApiReply reply = ErrorReply(405, "method_not_allowed",
                                    request.Path + " takes GET (the list) or POST (a change)");
        reply.Headers.emplace_back("Allow", request.Path == "/api/surveys" ? "GET, POST" : "POST");
        return reply;
    }
    std::variant<nlohmann::json, ApiReply> parsed = JsonObjectBody(request);
    if (ApiReply* refusal = std::get_if<ApiReply>(&parsed)) {
        return std::move(*refusal);
    }
    const nlohmann::json& body = std::get<nlohmann::json>(parsed);
    SurveyScope scope{body.value("store", ""), body.value("door", "")};
    if (request.Path == "/api/surveys/rollback") {
        std::optional<int> to;
        if (body.contains("to") && body["to"].is_number_integer()) {
            to = body["to"].get<int>();
        }
        auto rolled = RollBackSurvey(Store_, scope, to, token.UserName, Clock_());
        if (!rolled.Ok()) {
            return HeadOfficeFailure(rolled.Err(), "roll the survey back");
        }
        if (const std::string* why = std::get_if<std::string>(&*rolled)) {
            return ErrorReply(409, "nothing_to_roll_back", *why);
        }
        const SurveyAssignment& now = std::get<SurveyAssignment>(*rolled);
        Log(LogLevel::Info, "api", "survey rolled back",
            {{"user", token.UserName},
             {"scope", ScopeText(scope)},
             {"version", std::to_string(now.Version)}});
        return JsonReply(
            nlohmann::json{{"survey_id", now.SurveyId}, {"version", now.Version}}.dump());
    }
    if (!body.contains("definition") || !body["definition"].is_string()) {
        return ErrorReply(400, "bad_request", "\"definition\" must be the survey file's text",
                          nlohmann::json{{"field", "definition"}}.dump());
    }
    auto published =
        PublishSurveyText(Store_, body["definition"].get<std::string>(),
                          body.value("file_name", "survey.json"), scope, token.UserName, Clock_());
    if (!published.Ok()) {
        return HeadOfficeFailure(published.Err(), "publish the survey");
    }
    if (const SurveyProblems* problems = std::get_if<SurveyProblems>(&*published)) {
        nlohmann::json listed = nlohmann::json::array();
        for (const SurveyProblem& problem : *problems) {
            listed.push_back({{"path", problem.JsonPath}, {"problem", problem.Problem}});
        }
        return ErrorReply(400, "invalid_survey",
                          "the survey was not published: it has " +
                              std::to_string(problems->size()) + " problem" +
                              (problems->size() == 1 ? "" : "s"),
                          nlohmann::json{{"problems", listed}}.dump());
    }
    const SurveyVersionRecord& record = std::get<SurveyVersionRecord>(*published);
    Log(LogLevel::Info, "api", "survey published",
        {{"user", token.UserName},
         {"scope", ScopeText(scope)},
         {"version", std::to_string(record.Version)}});
    return JsonReply(nlohmann::json{{"survey_id", record.SurveyId},
                                    {"version", record.Version},
                                    {"etag", record.Etag},
                                    {"scope", ScopeText(scope)}}
                         .dump());
}

std::string HeadOfficeApi::SessionCookie(std::string_view token, int64_t max_age_s) const {
    // HttpOnly: page scripts never see it. SameSite=Strict: other sites' pages never send it.
    return std::string(kSessionCookie) + "=" + std::string(token) +
           "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s) +
           (Options_.SecureCookies ? "; Secure" : "");
}

}  // namespace doorstep::server
