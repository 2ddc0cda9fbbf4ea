// Summary speed: builds a store with N synthetic responses (default 1,000,000) spread over the last
// 28 days by ResponseSimulator, appended through Store::AppendBatch (so suspect flags and rollups
// are written as in production), then times every summary function of summary.hpp on a fresh
// connection: median of 5 runs, in ms. Goal: each <= 50 ms.
// Usage: bench-summary DIR [RESPONSES]   (an existing DIR/summary.db with enough rows is reused)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/base/clock.hpp"
#include "core/base/uuid.hpp"
#include "core/survey/survey.hpp"
#include "kiosk/store/simulate.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/store/summary.hpp"

using namespace doorstep;

namespace {

constexpr size_t kChunk = 10'000;  // responses per AppendBatch transaction
constexpr int kRuns = 5;

double MsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

bool Fill(Store& store, const Survey& survey, int64_t total, int64_t now_ms) {
    SimulateOptions options;
    options.NowWallMs = now_ms;
    options.SampleComments =
        LoadSampleComments(std::string(DOORSTEP_SOURCE_ASSETS_DIR) + "/simulate/comments.json",
                           survey.DefaultLanguage);
    ResponseSimulator simulator(survey, options, 7);
    auto start = std::chrono::steady_clock::now();
    std::vector<Response> chunk;
    for (int64_t done = 0; done < total;) {
        chunk.clear();
        for (size_t i = 0; i < kChunk && done + static_cast<int64_t>(i) < total; ++i) {
            Response response = simulator.Next();
            response.Uuid = NewUuidV7(WallClockMs());
            chunk.push_back(std::move(response));
        }
        Result<std::vector<int64_t>> appended = store.AppendBatch(chunk);
        if (!appended.Ok()) {
            std::fprintf(stderr, "append failed: %s\n", appended.Err().Message.c_str());
            return false;
        }
        done += static_cast<int64_t>(chunk.size());
    }
    double ms = MsSince(start);
    std::printf("fill responses=%lld total_s=%.1f per_response_us=%.1f\n",
                static_cast<long long>(total), ms / 1000.0,
                ms * 1000.0 / static_cast<double>(total));
    return true;
}

// Runs `call` kRuns times and prints the median; false if any run failed.
bool Time(const char* name, const std::function<bool()>& call) {
    std::vector<double> ms;
    for (int run = 0; run < kRuns; ++run) {
        auto start = std::chrono::steady_clock::now();
        if (!call()) {
            std::fprintf(stderr, "%s failed\n", name);
            return false;
        }
        ms.push_back(MsSince(start));
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%-32s median_ms=%7.3f max_ms=%7.3f\n", name, ms[kRuns / 2], ms.back());
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [RESPONSES]\n", argv[0]);
        return 2;
    }
    std::string path = std::string(argv[1]) + "/summary.db";
    int64_t total = argc > 2 ? std::stoll(argv[2]) : 1'000'000;
    SurveyParse survey =
        LoadSurveyFile(std::string(DOORSTEP_SOURCE_ASSETS_DIR) + "/surveys/default.json");
    if (!survey.Ok()) {
        std::fprintf(stderr, "%s\n", survey.Problems.front().Describe().c_str());
        return 1;
    }
    std::vector<std::string> needs;
    for (const Need* need : survey.Definition.EnabledNeeds()) {
        needs.push_back(need->Id);
    }
    const int64_t now = WallClockMs();
    {
        Result<std::unique_ptr<Store>> store = Store::Open(path);
        if (!store.Ok()) {
            std::fprintf(stderr, "%s\n", store.Err().Message.c_str());
            return 1;
        }
        Result<int64_t> stored = (*store)->CountResponses();
        if (!stored.Ok()) {
            std::fprintf(stderr, "%s\n", stored.Err().Message.c_str());
            return 1;
        }
        if (*stored < total && !Fill(**store, survey.Definition, total - *stored, now)) {
            return 1;
        }
    }
    // A fresh connection, as the manager screen would have: nothing cached by SQLite yet.
    Result<std::unique_ptr<Store>> opened = Store::Open(path);
    if (!opened.Ok()) {
        std::fprintf(stderr, "%s\n", opened.Err().Message.c_str());
        return 1;
    }
    Store& store = **opened;
    sqlite3* db = store.Handle();
    std::printf("responses=%lld needs=%zu\n", static_cast<long long>(*store.CountResponses()),
                needs.size());

    // Each summary over the longest period, with flagged answers in (the most rows to read),
    // and the comment list also with the default filter (flagged left out: the most rows skipped).
    SummaryFilter all;
    all.Span = Period::Last28Days;
    all.IncludeSuspect = true;
    SummaryFilter defaults;
    defaults.Span = Period::Last28Days;
    CommentQuery page;
    CommentQuery negative_page;
    negative_page.NegativeOnly = true;
    CommentQuery deep_page;
    deep_page.Offset = 1000;
    const std::vector<std::pair<const char*, std::function<bool()>>> calls = {
        {"SummarizeNeeds", [&] { return SummarizeNeeds(db, needs, all, now).Ok(); }},
        {"SummarizeNeeds today",
         [&] {
             SummaryFilter today = all;
             today.Span = Period::Today;
             return SummarizeNeeds(db, needs, today, now).Ok();
         }},
        {"SummarizeHeatMap", [&] { return SummarizeHeatMap(db, needs.front(), all, now).Ok(); }},
        {"RankLeastMet", [&] { return RankLeastMet(db, needs, all, now).Ok(); }},
        {"SummarizeIntent", [&] { return SummarizeIntent(db, all, now).Ok(); }},
        {"SummarizeCompletion", [&] { return SummarizeCompletion(db, all, now).Ok(); }},
        {"SummarizeStaffGap", [&] { return SummarizeStaffGap(db, needs, all, now).Ok(); }},
        {"SummarizeSuspects", [&] { return SummarizeSuspects(db, all, now).Ok(); }},
        {"ListComments", [&] { return ListComments(db, all, now, page).Ok(); }},
        {"ListComments negative", [&] { return ListComments(db, all, now, negative_page).Ok(); }},
        {"ListComments offset 1000", [&] { return ListComments(db, all, now, deep_page).Ok(); }},
        {"ListComments default filter", [&] { return ListComments(db, defaults, now, page).Ok(); }},
        {"ListComments default negative",
         [&] { return ListComments(db, defaults, now, negative_page).Ok(); }},
    };
    for (const auto& [name, call] : calls) {
        if (!Time(name, call)) {
            return 1;
        }
    }
    Result<SuspectSummary> suspects = SummarizeSuspects(db, defaults, now);
    if (suspects.Ok()) {
        std::printf("flagged=%lld of %lld in the last 28 days\n",
                    static_cast<long long>(suspects->Flagged),
                    static_cast<long long>(suspects->Responses));
    }
    return 0;
}
