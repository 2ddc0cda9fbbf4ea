// The linkage and driver reports over a large fleet. Seeds DB_URL (any --db URL) with STORES
// stores of WEEKS weeks of the planted fleet (tests/support/planted_fleet.hpp): six answers a
// store-week through StoreBatch, the code ingest runs, so the weekly rollups are those ingest
// keeps, and each store's daily sales, transactions and footfall through the outcomes import
// the API and the command line use. A store that already holds answers is reused. Then times
// each report through HeadOfficeApi::Handle (filter parsing, sign-in check, reads, statistics,
// JSON; no socket) over the whole range. Prints seeding and import times, and the median and
// slowest of REPEATS runs.
// Usage: bench-linkage DB_URL [STORES] [WEEKS] [REPEATS]
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "planted_fleet.hpp"
#include "server/accounts/accounts.hpp"
#include "server/api/head_office_api.hpp"
#include "server/fleet/enrollment.hpp"
#include "server/linkage/outcome_import.hpp"
#include "server/store/open/open_store.hpp"

using namespace doorstep;
using namespace doorstep::server;

namespace {

int Fail(const std::string& message) {
    std::fprintf(stderr, "bench-linkage: %s\n", message.c_str());
    return 1;
}

double NowMs() {
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

Status Seed(ServerStore& store, const testing::FleetData& data) {
    const int64_t now = WallClockMs();
    double started = NowMs();
    size_t done = 0;
    for (const auto& [name, answers] : data.Answers) {
        auto code = CreateEnrollmentCode(store, name, "entrance", 24, now);
        if (!code.Ok()) {
            return code.Err();
        }
        auto enrolled = RedeemEnrollmentCode(store, *code, now);
        if (!enrolled.Ok() || !enrolled->has_value()) {
            return Error{"enrollment failed", 0};
        }
        std::vector<IncomingResponse> batch;
        for (size_t i = 0; i < answers.size(); ++i) {
            batch.push_back({i, static_cast<int64_t>(i + 1), answers[i], "", 0});
        }
        if (auto stored = store.StoreBatch((*enrolled)->DeviceId, batch, now); !stored.Ok()) {
            return stored.Err();
        }
        std::fprintf(stderr, "\rseeded %zu of %zu stores (%.0f s)", ++done, data.Answers.size(),
                     (NowMs() - started) / 1000);
    }
    std::fprintf(stderr, "\n");
    return Success();
}

}  // namespace

int Run(int argc, char** argv) {
    if (argc < 2 || sodium_init() < 0) {
        std::fprintf(stderr, "usage: %s DB_URL [STORES] [WEEKS] [REPEATS]\n", argv[0]);
        return 2;
    }
    std::string url = argv[1];
    testing::PlantedFleet fleet;
    fleet.Stores = argc > 2 ? std::stoi(argv[2]) : 1000;
    fleet.Weeks = argc > 3 ? std::stoi(argv[3]) : 104;
    int repeats = argc > 4 ? std::stoi(argv[4]) : 5;
    const int64_t today = WallClockMs() / 86'400'000;
    fleet.FirstMonday = today - (today + 3) % 7 - 7 * (fleet.Weeks + testing::kSalesLagWeeks + 1);
    auto opened = OpenServerStore(url);
    if (!opened.Ok()) {
        return Fail(opened.Err().Message);
    }
    ServerStore& store = **opened;
    auto held = store.CountResponses();
    if (!held.Ok()) {
        return Fail(held.Err().Message);
    }
    if (*held == 0) {
        double made = NowMs();
        testing::FleetData data = testing::MakePlantedFleet(fleet);
        std::printf("generated %d stores x %d weeks in %.1f s\n", fleet.Stores, fleet.Weeks,
                    (NowMs() - made) / 1000);
        double seeding = NowMs();
        if (Status seeded = Seed(store, data); !seeded.Ok()) {
            return Fail(seeded.Err().Message);
        }
        std::printf("stored %zu answers in %.1f s\n",
                    static_cast<size_t>(fleet.Stores) * fleet.Weeks * fleet.AnswersPerWeek,
                    (NowMs() - seeding) / 1000);
        double importing = NowMs();
        auto imported = ImportOutcomeCsv(store, data.OutcomesCsv, "bench", WallClockMs());
        if (!imported.Ok()) {
            return Fail(imported.Err().Message);
        }
        if (!imported->Counts) {
            return Fail("outcomes refused: " + imported->File.Problems.Listed.front().Describe());
        }
        std::printf("imported %lld outcome values (%d rows) in %.1f s\n",
                    static_cast<long long>(imported->Counts->Values), imported->File.Rows,
                    (NowMs() - importing) / 1000);
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
    const std::string from = testing::PlantedIsoDate(fleet.FirstMonday);
    const std::string to = testing::PlantedIsoDate(fleet.FirstMonday + 7 * fleet.Weeks - 1);
    struct Case {
        std::string Path;
        std::map<std::string, std::string> Query;
    };
    const std::vector<Case> cases = {
        {"/api/reports/linkage", {{"from", from}, {"to", to}}},
        {"/api/reports/drivers", {{"from", from}, {"to", to}}},
        {"/api/reports/drivers", {{"from", from}, {"to", to}, {"outcome", "sales"}, {"lag", "8"}}},
        {"/api/reports/linkage", {{"from", from}, {"to", to}, {"store", "store-007"}}},
    };
    std::printf("%-22s %-24s %10s %10s\n", "endpoint", "filter", "median_ms", "max_ms");
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
        std::string filter = c.Query.contains("store")     ? "one store"
                             : c.Query.contains("outcome") ? "sales, lag 8"
                                                           : "every store";
        std::printf("%-22s %-24s %10.1f %10.1f\n", c.Path.substr(5).c_str(), filter.c_str(),
                    times[times.size() / 2], times.back());
    }
    return 0;
}

int main(int argc, char** argv) {
    try {
        return Run(argc, argv);
    } catch (const std::exception& error) {
        return Fail(error.what());
    }
}
