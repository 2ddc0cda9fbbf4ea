// Tap-to-mail, the terminals' side: real enrolled kiosk data directories, each with the window's
// own store path (ResponseRecorder::Record() on the UI connection) and its real uploader thread
// (kiosk/sync), record ALERTS commented answers spread over time, at PER_SECOND answers a second
// over all terminals. Every answer carries a comment naming it ("bench tap 000042"), so the
// alert mail that head office sends for it can be matched to it (bench/tap_to_mail.sh).
//
// Usage: bench-tap-to-mail TAPS_FILE SURVEY ALERTS PER_SECOND SYNC_MS KIOSK_DIR...
//   SYNC_MS 0: each stored answer wakes its terminal's uploader, as the window does
//              (kiosk_app.cpp, RecordResponse);
//   SYNC_MS N: each uploader is woken every N ms instead (the terminals' phases spread evenly
//              over N), and not when an answer is stored: a terminal that syncs every N ms.
// TAPS_FILE gets one line per answer: key, tap (the answer's end, taken right before
// Record()), committed (when Record() returned), uuid, terminal, tab-separated. After the last
// answer the uploaders keep running (and, with SYNC_MS N, being woken) until SIGTERM or SIGINT.
//
// One terminal is given at most one answer every 10.5 s (the mean interval is
// terminals / PER_SECOND, at least 12 s), so no answer is flagged as a burst (suspect.hpp: the
// third answer within 20 s) and each one opens an alert.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/base/clock.hpp"
#include "core/base/uuid.hpp"
#include "kiosk/store/recorder.hpp"
#include "kiosk/store/simulate.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/store/survey_source.hpp"
#include "kiosk/store/suspect.hpp"
#include "kiosk/sync/device_identity.hpp"
#include "kiosk/sync/uploader.hpp"

using namespace doorstep;

namespace {

constexpr int64_t kMinTapIntervalMs = 10'500;   // per terminal: two answers never within 20 s
constexpr int64_t kMinMeanIntervalMs = 12'000;  // room for the jitter above that floor
constexpr int64_t kRulesWaitMs = 30'000;        // the first sync brings head office's rules

std::atomic<bool> StopAsked{false};

void AskStop(int) {
    StopAsked = true;
}

using SteadyTime = std::chrono::steady_clock::time_point;

// One terminal: its UI connection and recorder (the window's path), its uploader thread.
struct Terminal {
    std::string Dir;
    std::string Door;
    std::unique_ptr<Store> Ui;
    std::unique_ptr<ResponseRecorder> Recorder;
    std::unique_ptr<ActiveSurvey> Survey;
    std::unique_ptr<ResponseSimulator> Simulator;
    std::unique_ptr<Uploader> Sync;
    std::optional<Response> Previous;
    SteadyTime NextTap;
    SteadyTime NextWake;
};

bool Fail(const std::string& what, const std::string& why) {
    std::fprintf(stderr, "bench-tap-to-mail: %s: %s\n", what.c_str(), why.c_str());
    return false;
}

bool OpenTerminal(Terminal& terminal, const std::string& survey_path, uint64_t seed) {
    Result<std::optional<DeviceIdentity>> identity = LoadDeviceIdentity(terminal.Dir);
    if (!identity.Ok() || !identity->has_value()) {
        return Fail(terminal.Dir, identity.Ok() ? "not enrolled" : identity.Err().Message);
    }
    terminal.Door = (*identity)->Door;
    Result<std::unique_ptr<Store>> store = Store::Open(terminal.Dir + "/kiosk.db");
    if (!store.Ok()) {
        return Fail(terminal.Dir, store.Err().Message);
    }
    terminal.Ui = std::move(*store);
    Result<ActiveSurvey> survey = ResolveSurvey(*terminal.Ui, survey_path);
    if (!survey.Ok()) {
        return Fail(survey_path, survey.Err().Message);
    }
    terminal.Survey = std::make_unique<ActiveSurvey>(std::move(*survey));
    terminal.Recorder = std::make_unique<ResponseRecorder>(*terminal.Ui);
    SimulateOptions simulate;
    simulate.Door = terminal.Door;
    simulate.NowWallMs = WallClockMs();
    simulate.AbandonShare = 0;
    terminal.Simulator =
        std::make_unique<ResponseSimulator>(terminal.Survey->Definition, simulate, seed);

    UploaderConfig config;  // as kiosk/app/start_uploader.cpp sets it up
    config.StorePath = terminal.Dir + "/kiosk.db";
    config.Identity = **identity;
    config.SurveyVersion = terminal.Survey->Definition.Version;
    Result<std::unique_ptr<Uploader>> uploader = Uploader::Create(std::move(config));
    if (!uploader.Ok()) {
        return Fail(terminal.Dir, uploader.Err().Message);
    }
    terminal.Sync = std::move(*uploader);
    return true;
}

// The next customer's answer at this terminal, completed, with the comment `comment`, and judged
// as a real one: never too fast, never the same answers as the one before.
Response NextAnswer(Terminal& terminal, const std::string& comment, std::mt19937_64& random) {
    Response answer;
    do {
        answer = terminal.Simulator->Next();
    } while (answer.Status != ResponseStatus::Completed || answer.Kind != ResponseKind::Customer);
    answer.Synthetic = false;  // the window records real answers
    answer.Comment = comment;
    if (IsTooFast(answer)) {
        answer.DurationMs = 2 * kMinMsPerAnswer * static_cast<int64_t>(answer.Scores.size() + 2);
    }
    if (const std::optional<Response>& before = terminal.Previous;
        before && before->LeastMet == answer.LeastMet && before->Intent == answer.Intent) {
        answer.Intent = (answer.Intent.value_or(5) + 1 + static_cast<int>(random() % 9)) % 11;
    }
    terminal.Previous = answer;
    return answer;
}

bool WaitForRules(std::vector<Terminal>& terminals) {
    int64_t deadline = MonotonicClockMs() + kRulesWaitMs;
    for (Terminal& terminal : terminals) {
        for (;;) {
            Result<std::vector<AlertRule>> rules = terminal.Ui->CachedAlertRules();
            if (rules.Ok() && !rules->empty()) {
                break;
            }
            if (MonotonicClockMs() > deadline || StopAsked) {
                return Fail(terminal.Dir, "head office's alert rules never arrived");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    return true;
}

std::chrono::milliseconds Ms(int64_t ms) {
    return std::chrono::milliseconds(ms);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 7) {
        std::fprintf(stderr, "usage: %s TAPS_FILE SURVEY ALERTS PER_SECOND SYNC_MS KIOSK_DIR...\n",
                     argv[0]);
        return 2;
    }
    std::string taps_path = argv[1];
    std::string survey_path = argv[2];
    int alerts = std::stoi(argv[3]);
    double per_second = std::stod(argv[4]);
    int64_t sync_ms = std::stoll(argv[5]);
    std::vector<Terminal> terminals(static_cast<size_t>(argc - 6));
    auto mean_interval_ms =
        static_cast<int64_t>(1000.0 * static_cast<double>(terminals.size()) / per_second);
    if (alerts < 1 || per_second <= 0 || sync_ms < 0 || mean_interval_ms < kMinMeanIntervalMs) {
        std::fprintf(stderr,
                     "bench-tap-to-mail: %zu terminals at %.2f answers/s give each one an answer "
                     "every %lld ms; at least %lld ms keeps them from looking like a burst: "
                     "give more terminals or a lower rate\n",
                     terminals.size(), per_second, static_cast<long long>(mean_interval_ms),
                     static_cast<long long>(kMinMeanIntervalMs));
        return 2;
    }
    std::signal(SIGTERM, AskStop);
    std::signal(SIGINT, AskStop);
    FILE* taps = std::fopen(taps_path.c_str(), "w");
    if (taps == nullptr) {
        Fail(taps_path, "cannot be written");
        return 1;
    }
    for (size_t i = 0; i < terminals.size(); ++i) {
        terminals[i].Dir = argv[6 + i];
        if (!OpenTerminal(terminals[i], survey_path, 1000 + i)) {
            return 1;
        }
        terminals[i].Sync->Start(nullptr);
    }
    if (!WaitForRules(terminals)) {
        return 1;
    }

    // Each terminal's answers come U(0.85, 1.15) x the mean interval apart, never closer than
    // kMinTapIntervalMs; the first one within one mean interval of the start.
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> spread(0.85, 1.15);
    auto next_gap = [&] {
        return Ms(
            std::max(kMinTapIntervalMs,
                     static_cast<int64_t>(spread(random) * static_cast<double>(mean_interval_ms))));
    };
    SteadyTime start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < terminals.size(); ++i) {
        terminals[i].NextTap =
            start + Ms(static_cast<int64_t>(std::uniform_real_distribution<double>(0, 1)(random) *
                                            static_cast<double>(mean_interval_ms)));
        terminals[i].NextWake =
            start + Ms(sync_ms * static_cast<int64_t>(i) / static_cast<int64_t>(terminals.size()));
    }

    int recorded = 0;
    while (!StopAsked) {
        SteadyTime now = std::chrono::steady_clock::now();
        SteadyTime next = now + Ms(1000);
        for (size_t i = 0; i < terminals.size(); ++i) {
            Terminal& terminal = terminals[i];
            if (sync_ms > 0 && now >= terminal.NextWake) {
                terminal.Sync->Wake();
                while (terminal.NextWake <= now) {
                    terminal.NextWake += Ms(sync_ms);
                }
            }
            if (recorded < alerts && now >= terminal.NextTap) {
                char key[32];
                std::snprintf(key, sizeof key, "bench tap %06d", recorded);
                Response answer = NextAnswer(terminal, key, random);
                int64_t tap_ms = WallClockMs();  // the customer's last tap
                answer.EndedAtMs = tap_ms;
                answer.StartedAtMs = tap_ms - answer.DurationMs;
                answer.Uuid = NewUuidV7(tap_ms);
                std::string uuid = answer.Uuid;
                RecordOutcome outcome = terminal.Recorder->Record(std::move(answer));
                int64_t committed_ms = WallClockMs();
                if (!outcome.Durable) {
                    Fail(terminal.Dir, terminal.Recorder->LastError());
                    return 1;
                }
                if (sync_ms == 0) {
                    terminal.Sync->Wake();  // as the window does after every stored answer
                }
                std::fprintf(taps, "%s\t%lld\t%lld\t%s\t%zu\n", key, static_cast<long long>(tap_ms),
                             static_cast<long long>(committed_ms), uuid.c_str(), i);
                std::fflush(taps);
                recorded += 1;
                terminal.NextTap = now + next_gap();
            }
            if (recorded < alerts) {
                next = std::min(next, terminal.NextTap);
            }
            if (sync_ms > 0) {
                next = std::min(next, terminal.NextWake);
            }
        }
        std::this_thread::sleep_until(next);
    }
    std::fclose(taps);
    for (Terminal& terminal : terminals) {
        terminal.Sync->Stop();
    }
    std::fprintf(stderr, "bench-tap-to-mail: recorded %d answers on %zu terminals\n", recorded,
                 terminals.size());
    return recorded == alerts ? 0 : 1;
}
