#include "server/api/linkage_api.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "core/base/log.hpp"
#include "core/base/text.hpp"
#include "server/api/request_checks.hpp"
#include "server/linkage/linkage_report.hpp"
#include "server/linkage/outcome_import.hpp"
#include "server/linkage/store_groups.hpp"
#include "server/reports/reports.hpp"

namespace doorstep::server {
namespace {

using Json = nlohmann::json;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// The CSV a request carries (text/csv, or gzipped as application/gzip), or the refusal.
std::variant<std::string, ApiReply> CsvBody(const ApiRequest& request, std::string_view what) {
    std::string content_type = request.Header("Content-Type");
    const bool gzipped = content_type.starts_with("application/gzip");
    if (!gzipped && !content_type.starts_with("text/csv") &&
        !content_type.starts_with("text/plain")) {
        return ErrorReply(415, "unsupported_media_type",
                          "send the " + std::string(what) +
                              " as Content-Type: text/csv, or gzipped as application/gzip");
    }
    std::string text(request.Body);
    if (gzipped) {
        std::variant<std::string, ApiReply> body = InflateBody(request);
        if (ApiReply* refusal = std::get_if<ApiReply>(&body)) {
            return std::move(*refusal);
        }
        text = std::move(std::get<std::string>(body));
    }
    if (!IsValidUtf8(text)) {
        return ErrorReply(400, "invalid_utf8", "the " + std::string(what) + " is not valid UTF-8");
    }
    return text;
}

// 400 `code`: `nothing_done` and the first problem in the message, every listed one in
// `problems`.
ApiReply ProblemsReply(std::string_view code, std::string_view nothing_done,
                       const LineProblems& problems, const std::string& user) {
    Json listed = Json::array();
    for (const LineProblem& problem : problems.Listed) {
        listed.push_back({{"line", problem.Line}, {"reason", problem.Reason}});
    }
    const size_t refused = problems.Count();
    Log(LogLevel::Warning, "api", "csv refused",
        {{"user", user}, {"code", std::string(code)}, {"problems", std::to_string(refused)}});
    return ErrorReply(
        400, code,
        std::string(nothing_done) + ": " + problems.Listed.front().Describe() +
            (refused > 1 ? " (and " + std::to_string(refused - 1) + " more)" : std::string()),
        Json{{"problems", listed}, {"more_problems", problems.More}}.dump());
}

ApiReply ImportReply(ServerStore& store, const ApiRequest& request, const std::string& user,
                     int64_t now_ms) {
    std::variant<std::string, ApiReply> text = CsvBody(request, "outcomes file");
    if (ApiReply* refusal = std::get_if<ApiReply>(&text)) {
        return std::move(*refusal);
    }
    Result<OutcomeImport> import =
        ImportOutcomeCsv(store, std::get<std::string>(text), user, now_ms);
    if (!import.Ok()) {
        return HeadOfficeFailure(import.Err(), "import the outcomes");
    }
    const OutcomeFile& file = import->File;
    if (!import->Counts) {
        return ProblemsReply("bad_outcomes", "nothing was imported", file.Problems, user);
    }
    const OutcomeImportCounts& counts = *import->Counts;
    Log(LogLevel::Info, "api", "outcomes imported",
        {{"user", user},
         {"store_days", std::to_string(counts.StoreDays)},
         {"values", std::to_string(counts.Values)}});
    return JsonReply(Json{
        {"rows", file.Rows},
        {"store_days", counts.StoreDays},
        {"values", counts.Values},
        {"replaced", counts.Replaced},
        {"metrics",
         file.Metrics}}.dump());
}

// The grouping, and the stores head office knows that are in no group.
ApiReply StoreGroupsReply(ServerStore& store) {
    Result<std::vector<StoreGroupRecord>> groups = store.ListStoreGroups();
    Result<std::set<std::string, std::less<>>> known = KnownStores(store);
    if (!groups.Ok() || !known.Ok()) {
        return HeadOfficeFailure(groups.Ok() ? known.Err() : groups.Err(), "list store groups");
    }
    Json listed = Json::array();
    std::set<std::string> names;
    for (const StoreGroupRecord& group : *groups) {
        listed.push_back({{"store", group.Store}, {"group", group.Group}});
        names.insert(group.Group);
        known->erase(group.Store);
    }
    return JsonReply(Json{{"stores", listed}, {"groups", names}, {"ungrouped", *known}}.dump());
}

ApiReply UploadGroupsReply(ServerStore& store, const ApiRequest& request, const std::string& user,
                           int64_t now_ms) {
    std::variant<std::string, ApiReply> text = CsvBody(request, "store groups file");
    if (ApiReply* refusal = std::get_if<ApiReply>(&text)) {
        return std::move(*refusal);
    }
    Result<StoreGroupUpload> upload =
        UploadStoreGroups(store, std::get<std::string>(text), user, now_ms);
    if (!upload.Ok()) {
        return HeadOfficeFailure(upload.Err(), "replace the store groups");
    }
    if (!upload->Replaced) {
        return ProblemsReply("bad_store_groups", "the store groups were not changed",
                             upload->File.Problems, user);
    }
    Log(LogLevel::Info, "api", "store groups replaced",
        {{"user", user}, {"stores", std::to_string(upload->File.Groups.size())}});
    return StoreGroupsReply(store);
}

// The report filter, looking back kDefaultLinkageWeeks without `from`, and the drivers' own
// parameters; or the 400 that names what is wrong.
struct LinkageQuery {
    ReportFilter Filter;
    DriverQuery Drivers;
};

std::variant<LinkageQuery, ApiReply> ParseLinkageQuery(const ApiRequest& request, int64_t now_ms) {
    LinkageQuery parsed;
    std::map<std::string, std::string> query = request.Query;
    if (auto outcome = query.find("outcome"); outcome != query.end()) {
        parsed.Drivers.Outcome = outcome->second;
        query.erase(outcome);
    }
    if (auto lag = query.find("lag"); lag != query.end()) {
        const std::string& text = lag->second;
        if (text.size() != 1 || text[0] < '0' || text[0] - '0' > kMaxLagWeeks) {
            return ErrorReply(
                400, "bad_filter",
                "lag must be a whole number of weeks, 0 to " + std::to_string(kMaxLagWeeks),
                Json{{"field", "lag"}}.dump());
        }
        parsed.Drivers.LagWeeks = text[0] - '0';
        query.erase(lag);
    }
    const bool from_given = query.contains("from");
    std::variant<ReportFilter, FilterProblem> filter = ParseReportFilter(query, now_ms / kDayMs);
    if (const FilterProblem* problem = std::get_if<FilterProblem>(&filter)) {
        return ErrorReply(400, "bad_filter", problem->Message,
                          Json{{"field", problem->Parameter}}.dump());
    }
    parsed.Filter = std::get<ReportFilter>(filter);
    if (!from_given) {
        parsed.Filter.FromDay = parsed.Filter.ToDay - kDefaultLinkageWeeks * 7 + 1;
    }
    return parsed;
}

ApiReply CsvReply(std::string body, std::string_view name) {
    ApiReply reply;
    reply.ContentType = "text/csv; charset=utf-8";
    reply.Body = std::move(body);
    reply.Headers.emplace_back("Content-Disposition",
                               "attachment; filename=\"doorstep-" + std::string(name) + ".csv\"");
    return reply;
}

ApiReply ReportReply(ServerStore& store, const ApiRequest& request, int64_t now_ms, bool drivers,
                     bool csv) {
    std::variant<LinkageQuery, ApiReply> parsed = ParseLinkageQuery(request, now_ms);
    if (ApiReply* refusal = std::get_if<ApiReply>(&parsed)) {
        return std::move(*refusal);
    }
    const LinkageQuery& query = std::get<LinkageQuery>(parsed);
    Result<StoreWeeks> weeks =
        LoadStoreWeeks(store, query.Filter, drivers ? query.Drivers.LagWeeks : kMaxLagWeeks);
    if (!weeks.Ok()) {
        return HeadOfficeFailure(weeks.Err(), "read the weeks for the linkage");
    }
    Json report;
    if (drivers) {
        Result<std::map<std::string, std::string>> groups = StoreGroupMap(store);
        if (!groups.Ok()) {
            return HeadOfficeFailure(groups.Err(), "read the store groups");
        }
        std::optional<Json> found = DriversJson(*weeks, query.Drivers, *groups);
        if (!found) {
            std::string known = "intent";
            for (const auto& [outcome, unused] : weeks->Lagging) {
                known += ", " + outcome;
            }
            return ErrorReply(400, "bad_filter",
                              "no outcome named '" + query.Drivers.Outcome.substr(0, 40) +
                                  "'; the outcomes are " + known,
                              Json{{"field", "outcome"}}.dump());
        }
        report = std::move(*found);
    } else {
        report = LinkageJson(*weeks);
    }
    if (csv) {
        return CsvReply(drivers ? DriversCsv(report) : LinkageCsv(report),
                        drivers ? "drivers" : "linkage");
    }
    report["filter"] = FilterJson(query.Filter);
    report["weeks"] = {{"from", DayToIsoDate(FirstDayOfWeek(weeks->FirstWeek))},
                       {"to", DayToIsoDate(FirstDayOfWeek(weeks->LastWeek))},
                       {"count", weeks->LastWeek - weeks->FirstWeek + 1}};
    return JsonReply(report.dump());
}

}  // namespace

std::optional<ApiReply> HandleLinkageApi(ServerStore& store, const ApiRequest& request,
                                         const std::string& user, int64_t now_ms) {
    const std::string& path = request.Path;
    if (path == "/api/outcomes" && request.Method == "POST") {
        return ImportReply(store, request, user, now_ms);
    }
    if (path == "/api/outcomes" && request.Method == "GET") {
        Result<std::vector<std::string>> metrics = store.ListOutcomeMetrics();
        if (!metrics.Ok()) {
            return HeadOfficeFailure(metrics.Err(), "list the outcomes");
        }
        return JsonReply(Json{{"metrics", *metrics}}.dump());
    }
    if (path == "/api/store-groups" && request.Method == "PUT") {
        return UploadGroupsReply(store, request, user, now_ms);
    }
    if (request.Method != "GET") {
        return std::nullopt;
    }
    if (path == "/api/store-groups") {
        return StoreGroupsReply(store);
    }
    if (path == "/api/reports/linkage" || path == "/api/linkage.csv") {
        return ReportReply(store, request, now_ms, false, path.ends_with(".csv"));
    }
    if (path == "/api/reports/drivers" || path == "/api/drivers.csv") {
        return ReportReply(store, request, now_ms, true, path.ends_with(".csv"));
    }
    return std::nullopt;
}

}  // namespace doorstep::server
