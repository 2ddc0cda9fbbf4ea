// The kiosk's uploader: sends every stored answer to head office, exactly once, on its own
// thread, so the customer-facing UI never waits on the network.
// (State diagram and invariants: see the header comment of uploader.cpp.)
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "core/base/result.hpp"
#include "core/wire/protocol.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/sync/device_identity.hpp"
#include "kiosk/sync/http_client.hpp"

namespace doorstep {

struct UploaderConfig {
    std::string StorePath;
    DeviceIdentity Identity;
    HttpOptions Http;
    size_t BatchSize = protocol::kDefaultBatchItems;
    int64_t BackoffBaseMs = 1000;
    int64_t BackoffCapMs = 5 * 60 * 1000;
    int64_t HeartbeatIntervalMs = 5 * 60 * 1000;
    int64_t AlertsIntervalMs = 60 * 1000;           // how often the store's alerts are fetched
    int64_t RetentionMs = 30LL * 24 * 3600 * 1000;  // synced rows stay on the device this long
    int SurveyVersion = 0;  // the active survey's, until SetActiveSurveyVersion()
    // Injectable for tests that assert the exact bytes on the wire.
    std::function<int64_t()> WallClock;     // default: WallClockMs
    std::function<int64_t()> BootClock;     // default: BootClockMs (answers' ages)
    std::function<std::string()> NewNonce;  // default: 16 random bytes as hex
};

// What the sync panel and the heartbeat report.
struct SyncStatus {
    int64_t Backlog = 0;
    std::optional<int64_t> OldestUnsentEndedAtMs;
    int64_t LastSuccessWallMs = 0;  // 0: never
    std::string LastError;          // plain words; empty after a success
    int64_t Conflicts = 0;
    int64_t Rejected = 0;
    int64_t ClockOffsetMs = 0;
    int64_t RequestsSent = 0;  // every POST attempted, for "requests per response" figures
};

class Uploader {
  public:
    // Opens the uploader's own connection to the store (the UI thread keeps its own).
    static Result<std::unique_ptr<Uploader>> Create(UploaderConfig config);
    ~Uploader();
    Uploader(const Uploader&) = delete;
    Uploader& operator=(const Uploader&) = delete;

    // Foreground use (`doorstep-kiosk sync --once`): sends batches until nothing is pending,
    // retrying a failing batch up to `attempts` times with backoff. Ok(true) when nothing is left
    // pending; the error names the last failure otherwise.
    Result<bool> Drain(int attempts);
    // Foreground use too: one heartbeat now (backlog, clock, disk, versions) for the fleet page.
    Status ReportHealth();
    // Foreground use too, and the background thread's alerts step (uploader_alerts.cpp): hands
    // over this terminal's alerts and the manager's acts, takes back the store's alerts.
    Status SyncAlertsNow();
    // The survey version the terminal shows now, for the heartbeats. Any thread.
    void SetActiveSurveyVersion(int version) { ActiveSurveyVersion_ = version; }
    // What the next heartbeat says about answers the kiosk could not store (ResponseRecorder).
    void SetUnsavedAnswers(int64_t count, std::string error);

    // Background use: a thread that syncs, retries with backoff, beats its heart and prunes.
    // `publish` is called from that thread after every attempt; `survey_arrived` when head office
    // pushed a new survey definition and it was checked and stored (Store::SavePushedSurvey).
    void Start(std::function<void(const SyncStatus&)> publish,
               std::function<void()> survey_arrived = nullptr);
    void Stop();
    void Wake();  // new answers were stored, or someone pressed "sync now"

    SyncStatus CurrentStatus() const;

  private:
    enum class Outcome { Empty, Acked, Failed, Blocked };
    struct Attempt {
        Outcome Kind = Outcome::Failed;
        std::string Error;
        std::optional<int64_t> RetryAfterMs;
    };

    // A batch read from the store and encoded, ready to send.
    struct PreparedBatch {
        std::vector<StoredResponse> Rows;
        std::string Body;  // gzip of the JSON
    };

    Uploader(UploaderConfig config, std::unique_ptr<Store> store);
    Result<PreparedBatch> PrepareBatch(int64_t after_seq, size_t size);
    Attempt SendOneBatch();
    Attempt SendHeartbeat();
    // The heartbeat answer names the survey head office wants here; fetch it when it is new.
    void FollowSurvey(std::string_view heartbeat_answer);
    Result<HttpReply> PostSigned(std::string_view path, const std::string& body);
    Attempt HandleBatchReply(const std::vector<StoredResponse>& rows, const HttpReply& reply);
    Attempt Refused(const HttpReply& reply);
    int64_t BackoffMs(int attempt, std::optional<int64_t> retry_after_ms);
    void RefreshCounts(bool force);
    bool AlertWorkWaiting() const;  // alerts raised or acts made here that head office lacks  //
                                    // without force, at most once per kCountsIntervalMs
    void Loop();

    UploaderConfig Config_;
    std::unique_ptr<Store> Store_;
    HttpClient Http_;
    size_t BatchSize_;
    int64_t ClockOffsetMs_ = 0;
    std::mt19937_64 Random_;
    int64_t LastPruneMonoMs_ = 0;
    int64_t LastCountsMonoMs_ = 0;
    int64_t NextHeartbeatMonoMs_ = 0;
    int64_t NextAlertsMonoMs_ = 0;
    std::atomic<int> ActiveSurveyVersion_{0};
    int64_t ReportedBacklog_ = 0;     // what the last heartbeat head office took said was unsent
    std::string KnownSurveyEtag_;     // the pushed definition the store holds
    std::string RejectedSurveyEtag_;  // one that failed the checks: not fetched again
    // The batch after the one on the wire, read and encoded while waiting for the answer.
    std::optional<PreparedBatch> Prefetched_;

    mutable std::mutex Mutex_;  // guards Status_, Woken_, Stopping_, UnsavedAnswers_, StorageError_
    int64_t UnsavedAnswers_ = 0;
    std::string StorageError_;
    std::condition_variable Wakeup_;
    SyncStatus Status_;
    bool Woken_ = false;
    bool Stopping_ = false;
    std::function<void(const SyncStatus&)> Publish_;
    std::function<void()> SurveyArrived_;
    std::thread Thread_;
};

}  // namespace doorstep
