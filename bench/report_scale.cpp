// Head office's report endpoints over a large store. Seeds DB_URL (any --db URL) with RESPONSES
// realistic answers from DEVICES terminals (half as many stores, two doors each) through
// StoreBatch, the code ingest runs, so the rollups are those ingest keeps; a store that already
// holds them is reused. Then times every report endpoint through HeadOfficeApi::Handle (the
// handler behind the HTTP route: filter parsing, sign-in check, queries and JSON, without the
// socket) with the default 28-day range over everything, one store, and one store and need.
// Prints the median and the slowest of REPEATS runs per endpoint.
// Usage: bench-report-scale DB_URL RESPONSES [DEVICES] [REPEATS]
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "core/base/clock.hpp"
#include "core/base/uuid.hpp"
#include "kiosk/store/simulate.hpp"
#include "server/accounts/accounts.hpp"
#include "server/api/head_office_api.hpp"
#include "server/fleet/enrollment.hpp"
#include "server/store/open/open_store.hpp"

using namespace doorstep;
using namespace doorstep::server;

namespace {

constexpr int kBatch = 1000;

int Fail(const std::string& message) {
    std::fprintf(stderr, "bench-report-scale: %s\n", message.c_str());
    return 1;
}

double NowMs() {
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string StoreName(int device) {
    return "store-" + std::to_string(device / 2 + 1);
}

Status Seed(ServerStore& store, const Survey& survey, int64_t responses, int devices) {
    int64_t now = WallClockMs();
    std::vector<std::string> comments = LoadSampleComments(
        std::string(DOORSTEP_SOURCE_ASSETS_DIR) + "/simulate/comments.json", "en");
    double started = NowMs();
    for (int device = 0; device < devices; ++device) {
        std::string door = device % 2 == 0 ? "entrance" : "checkout";
        auto code = CreateEnrollmentCode(store, StoreName(device), door, 24, now);
        if (!code.Ok()) {
            return code.Err();
        }
        auto enrolled = RedeemEnrollmentCode(store, *code, now);
        if (!enrolled.Ok() || !enrolled->has_value()) {
            return Error{"enrollment failed", 0};
        }
        std::string device_id = (*enrolled)->DeviceId;
        SimulateOptions options;
        options.Door = door;
        options.NowWallMs = now;
        options.StaffShare = 0.05;
        options.SampleComments = comments;
        ResponseSimulator simulator(survey, options, static_cast<uint64_t>(device + 1));
        int64_t count = responses / devices + (device < responses % devices ? 1 : 0);
        simulator.PlanInTimeOrder(static_cast<int>(count));
        for (int64_t seq = 1; seq <= count;) {
            std::vector<IncomingResponse> batch;
            for (int i = 0; i < kBatch && seq <= count; ++i, ++seq) {
                Response data = simulator.Next();
                data.Uuid = NewUuidV7(data.StartedAtMs);
                batch.push_back({static_cast<size_t>(i), seq, std::move(data), "", 60});
            }
            auto stored = store.StoreBatch(device_id, batch, now);
            if (!stored.Ok()) {
                return stored.Err();
            }
        }
        std::fprintf(stderr, "\rseeded %d of %d terminals (%.0f s)", device + 1, devices,
                     (NowMs() - started) / 1000);
    }
    std::fprintf(stderr, "\n");
    return Success();
}

}  // namespace

int Run(int argc, char** argv) {
    if (argc < 3 || sodium_init() < 0) {
        std::fprintf(stderr, "usage: %s DB_URL RESPONSES [DEVICES] [REPEATS]\n", argv[0]);
        return 2;
    }
    std::string url = argv[1];
    int64_t responses = std::stoll(argv[2]);
    int devices = argc > 3 ? std::stoi(argv[3]) : 100;
    int repeats = argc > 4 ? std::stoi(argv[4]) : 5;
    auto opened = OpenServerStore(url);
    if (!opened.Ok()) {
        return Fail(opened.Err().Message);
    }
    ServerStore& store = **opened;
    SurveyParse survey =
        LoadSurveyFile(std::string(DOORSTEP_SOURCE_ASSETS_DIR) + "/surveys/default.json");
    if (!survey.Ok()) {
        return Fail("cannot read the default survey");
    }
    auto held = store.CountResponses();
    if (!held.Ok()) {
        return Fail(held.Err().Message);
    }
    if (*held < responses) {
        if (*held != 0) {
            return Fail("the store holds " + std::to_string(*held) + " answers; start empty");
        }
        if (Status seeded = Seed(store, survey.Definition, responses, devices); !seeded.Ok()) {
            return Fail(seeded.Err().Message);
        }
    }
    std::string name = "bench-" + std::to_string(WallClockMs());
    if (auto user = CreateUser(store, name, "bench-password-1", WallClockMs()); !user.Ok()) {
        return Fail(user.Err().Message);
    }
    auto token = CreateApiToken(store, name, "bench", WallClockMs());
    if (!token.Ok()) {
        return Fail(token.Err().Message);
    }
    HeadOfficeApi api(store, {});
    struct Case {
        std::string Path;
        std::map<std::string, std::string> Query;
    };
    std::vector<Case> cases;
    for (const char* report : {"needs", "trend", "heatmap", "least-met", "intent", "gap", "stores",
                               "comments", "choices"}) {
        cases.push_back({std::string("/api/reports/") + report, {}});
        cases.push_back({std::string("/api/reports/") + report, {{"store", "store-7"}}});
        cases.push_back(
            {std::string("/api/reports/") + report, {{"store", "store-7"}, {"need", "trust"}}});
    }
    cases.push_back({"/api/reports/comments", {{"q", "staff"}}});  // in 1 comment of 6
    cases.push_back({"/api/reports/comments", {{"q", "zebra"}}});  // in none
    cases.push_back({"/api/fleet", {}});
    cases.push_back({"/api/alerts", {}});
    std::printf("%-26s %-28s %10s %10s\n", "endpoint", "filter", "median_ms", "max_ms");
    double worst = 0;
    for (const Case& c : cases) {
        ApiRequest request;
        request.Method = "GET";
        request.Path = c.Path;
        request.Query = c.Query;
        request.Headers.emplace("authorization", "Bearer " + token->Token);
        std::vector<double> times;
        for (int i = 0; i < repeats; ++i) {
            double start = NowMs();
            ApiReply reply = api.Handle(request);
            times.push_back(NowMs() - start);
            if (reply.Status != 200) {
                return Fail(c.Path + " answered " + std::to_string(reply.Status) + ": " +
                            reply.Body.substr(0, 200));
            }
        }
        std::sort(times.begin(), times.end());
        std::string filter;
        for (const auto& [key, value] : c.Query) {
            filter.append(filter.empty() ? "" : "&").append(key).append("=").append(value);
        }
        std::printf("%-26s %-28s %10.1f %10.1f\n", c.Path.substr(5).c_str(),
                    filter.empty() ? "(28 days, all)" : filter.c_str(), times[times.size() / 2],
                    times.back());
        worst = std::max(worst, times[times.size() / 2]);
    }
    std::printf("answers %lld, slowest median %.1f ms\n", static_cast<long long>(responses), worst);
    return 0;
}

int main(int argc, char** argv) {
    try {
        return Run(argc, argv);
    } catch (const std::exception& error) {  // a number argument that is not a number
        return Fail(error.what());
    }
}
