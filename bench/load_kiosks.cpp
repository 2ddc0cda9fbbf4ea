// Many kiosks at once: N threads, each an enrolled device, POST signed gzipped batches to one
// doorstep-server for a fixed number of batches each, sending a batch again when the server says
// it is busy (429 or 503, after Retry-After with jitter, as a kiosk does). Reports requests/s,
// rows/s, latency percentiles of every request, how many were answered busy, and requests per
// batch delivered; checks every batch was acknowledged in full. Exits 1 on any failure.
// Usage: bench-load-kiosks URL IDENTITIES_FILE REQUESTS_PER_KIOSK ROWS_PER_REQUEST
//   IDENTITIES_FILE: one "device_id secret_hex" per line (one line per simulated kiosk).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/base/clock.hpp"
#include "core/base/uuid.hpp"
#include "core/wire/gzip.hpp"
#include "core/wire/protocol.hpp"
#include "core/wire/signing.hpp"
#include "core/wire/wire.hpp"
#include "kiosk/sync/http_client.hpp"

using namespace doorstep;

namespace {

struct Kiosk {
    std::string DeviceId;
    std::string Secret;
};

StoredResponse MakeRow(int64_t seq) {
    StoredResponse row;
    row.Seq = seq;
    Response& r = row.Data;
    r.Uuid = NewUuidV7(WallClockMs());
    r.SurveyId = "default";
    r.SurveyVersion = 1;
    r.Door = "checkout";
    r.Language = "en";
    r.StartedAtMs = WallClockMs() - 30000;
    r.EndedAtMs = r.StartedAtMs + 21000;
    r.DurationMs = 21000;
    r.Scores = {{"trust", 4}, {"control", 3}, {"support", 5}};
    r.LeastMet = "control";
    r.Intent = 8;
    r.Synthetic = true;
    return row;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: %s URL IDENTITIES REQUESTS_PER_KIOSK ROWS_PER_REQUEST\n",
                     argv[0]);
        return 2;
    }
    std::string url = std::string(argv[1]) + std::string(protocol::kPathResponses);
    std::vector<Kiosk> kiosks;
    std::ifstream identities(argv[2]);
    for (Kiosk k; identities >> k.DeviceId >> k.Secret;) {
        kiosks.push_back(k);
    }
    int requests = std::stoi(argv[3]);
    int rows_per_request = std::stoi(argv[4]);
    InitHttpOnce();
    std::mutex mutex;
    std::vector<double> latencies_ms;
    std::atomic<int64_t> failures{0};
    std::atomic<int64_t> busy{0};
    auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    threads.reserve(kiosks.size());
    for (const Kiosk& kiosk : kiosks) {
        threads.emplace_back([&, kiosk] {
            HttpClient client(HttpOptions{});
            int64_t seq = 0;
            std::vector<double> mine;
            std::mt19937 jitter(std::random_device{}());
            for (int i = 0; i < requests; ++i) {
                std::vector<StoredResponse> rows;
                rows.reserve(static_cast<size_t>(rows_per_request));
                for (int j = 0; j < rows_per_request; ++j) {
                    rows.push_back(MakeRow(++seq));
                }
                std::string body = GzipCompress(EncodeBatch(kiosk.DeviceId, rows));
                // As a kiosk does: a batch refused as busy (429, 503) is sent again after
                // Retry-After plus up to as much again at random; anything else is a failure.
                for (;;) {
                    std::vector<std::string> headers =
                        SignedPostHeaders(kiosk.DeviceId, kiosk.Secret, protocol::kPathResponses,
                                          WallClockMs(), NewNonce(), body);
                    auto t0 = std::chrono::steady_clock::now();
                    auto reply = client.Post(url, headers, body);
                    auto t1 = std::chrono::steady_clock::now();
                    mine.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
                    if (reply.Ok() && (reply->Status == 429 || reply->Status == 503)) {
                        busy += 1;
                        int64_t wait_ms = reply->RetryAfterS.value_or(5) * 1000;
                        std::this_thread::sleep_for(std::chrono::milliseconds(
                            wait_ms + std::uniform_int_distribution<int64_t>(0, wait_ms)(jitter)));
                        continue;
                    }
                    auto ack =
                        reply.Ok() && reply->Status == 200 ? DecodeAck(reply->Body) : std::nullopt;
                    if (!ack || ack->Acked != std::vector<std::pair<int64_t, int64_t>>{
                                                  {seq - rows_per_request + 1, seq}}) {
                        failures += 1;
                    }
                    break;
                }
            }
            std::lock_guard lock(mutex);
            latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::sort(latencies_ms.begin(), latencies_ms.end());
    auto at = [&](double q) {
        return latencies_ms.empty()
                   ? 0.0
                   : latencies_ms[std::min(
                         latencies_ms.size() - 1,
                         static_cast<size_t>(q * static_cast<double>(latencies_ms.size())))];
    };
    auto total = static_cast<double>(latencies_ms.size());
    std::printf(
        "kiosks=%zu requests=%zu rows_per_request=%d seconds=%.2f requests_per_s=%.0f "
        "rows_per_s=%.0f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f busy=%lld busy_share=%.3f "
        "requests_per_batch=%.3f failures=%lld\n",
        kiosks.size(), latencies_ms.size(), rows_per_request, seconds, total / seconds,
        (total - static_cast<double>(busy.load())) * rows_per_request / seconds, at(0.5), at(0.99),
        latencies_ms.empty() ? 0.0 : latencies_ms.back(), static_cast<long long>(busy.load()),
        static_cast<double>(busy.load()) / total,
        total / static_cast<double>(kiosks.size() * static_cast<size_t>(requests)),
        static_cast<long long>(failures.load()));
    return failures.load() == 0 ? 0 : 1;
}
