// Tap-to-durable: how long the UI thread waits between the last tap and "thank you", i.e. one
// ResponseRecorder::Record() on the real store (WAL, synchronous=FULL) on a real file.
// Usage: bench-tap-to-durable DIR [RESPONSES]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "core/base/clock.hpp"
#include "core/base/uuid.hpp"
#include "core/survey/survey.hpp"
#include "kiosk/store/recorder.hpp"
#include "kiosk/store/simulate.hpp"
#include "kiosk/store/store.hpp"

using namespace doorstep;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [RESPONSES]\n", argv[0]);
        return 2;
    }
    std::string dir = argv[1];
    int responses = argc > 2 ? std::stoi(argv[2]) : 10000;
    SurveyParse survey =
        LoadSurveyFile(std::string(DOORSTEP_SOURCE_ASSETS_DIR) + "/surveys/default.json");
    if (!survey.Ok()) {
        std::fprintf(stderr, "%s\n", survey.Problems.front().Describe().c_str());
        return 1;
    }
    Result<std::unique_ptr<Store>> store = Store::Open(dir + "/bench.db");
    if (!store.Ok()) {
        std::fprintf(stderr, "%s\n", store.Err().Message.c_str());
        return 1;
    }
    ResponseRecorder recorder(**store);
    SimulateOptions options;
    options.NowWallMs = WallClockMs();
    ResponseSimulator simulator(survey.Definition, options, 1);
    std::vector<double> micros;
    micros.reserve(static_cast<size_t>(responses));
    for (int i = 0; i < responses; ++i) {
        Response response = simulator.Next();
        response.Uuid = NewUuidV7(WallClockMs());
        auto start = std::chrono::steady_clock::now();
        RecordOutcome outcome = recorder.Record(std::move(response));
        auto end = std::chrono::steady_clock::now();
        if (!outcome.Durable) {
            std::fprintf(stderr, "commit failed: %s\n", recorder.LastError().c_str());
            return 1;
        }
        micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    }
    std::sort(micros.begin(), micros.end());
    auto at = [&](double q) {
        return micros[std::min(micros.size() - 1,
                               static_cast<size_t>(q * static_cast<double>(micros.size())))] /
               1000.0;
    };
    std::printf("tap_to_durable responses=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
                responses, at(0.50), at(0.90), at(0.99), micros.back() / 1000.0);
    return 0;
}
