// The uploader.
//
//                 Wake() / timer
//   +--------+  ----------------->  +---------+  ack (more pending) --+
//   |  Idle  |                      | Sending | <---------------------+
//   +--------+  <-----------------  +---------+
//      ^         ack, queue empty     |     |  426 protocol / 403 revoked
//      |                              |     v
//      |              failure         |   +---------+
//      |    (network, 5xx, 429, ...)  |   | Blocked | -- retried at the backoff cap; the
//      |                              v   +---------+    status says why in plain words
//      |   backoff elapsed / Wake() +---------+
//      +--------------------------- | Backoff |  full-jitter exponential, base 1 s, cap 5 min;
//                                   +---------+  Retry-After is honoured
//
// Transitions: Loop() runs the machine; SendOneBatch() is one Sending step;
// HandleBatchReply() turns the server's answer into row states; BackoffMs() picks the delay.
//
// Invariants:
//   * A row leaves "pending" only through Store::ApplySyncOutcome(), called with what the server
//     acknowledged for that very batch, in one transaction. A lost answer leaves rows pending, so
//     they are sent again and the server, keyed on (device, uuid), acknowledges without storing
//     twice: exactly once end to end.
//   * No row is deleted for being rejected or in conflict; only synced rows older than the
//     retention window are pruned.
//   * A row that the server refuses as a whole batch is isolated by halving the batch down to one
//     row, then marked rejected with the server's words: no poison row blocks the queue.
//   * The UI thread is never blocked: this runs on its own thread with its own store connection,
//     and reports through the publish callback only.
#include "kiosk/sync/uploader.hpp"

#include <algorithm>
#include <chrono>

#include "core/base/clock.hpp"
#include "core/base/log.hpp"
#include "core/base/paths.hpp"
#include "core/wire/gzip.hpp"
#include "core/wire/signing.hpp"
#include "core/wire/wire.hpp"

namespace doorstep {
namespace {

constexpr const char* kClockOffsetKey = "clock_offset_ms";
constexpr int64_t kPruneIntervalMs = 3600 * 1000;
constexpr int64_t kCountsIntervalMs = 1000;

std::string ErrorCode(const std::string& body) {
    size_t at = body.find("\"error\":\"");
    if (at == std::string::npos) {
        return {};
    }
    size_t start = at + 9;
    return body.substr(start, body.find('"', start) - start);
}

int64_t ServerTime(const std::string& body) {
    size_t at = body.find("\"server_time_ms\":");
    return at == std::string::npos ? 0 : std::atoll(body.c_str() + at + 17);
}

}  // namespace

Result<std::unique_ptr<Uploader>> Uploader::Create(UploaderConfig config) {
    StoreOptions options;
    options.BusyTimeoutMs = 5000;  // a background thread may wait for the UI's short commits
    Result<std::unique_ptr<Store>> store = Store::Open(config.StorePath, options);
    if (!store.Ok()) {
        return store.Err();
    }
    if (Status url = CheckServerUrl(config.Identity.ServerUrl, config.Identity.AllowInsecureHttp);
        !url.Ok()) {
        return url.Err();
    }
    if (!config.BootClock) {
        config.BootClock = BootClockMs;
    }
    if (!config.WallClock) {
        config.WallClock = WallClockMs;
    }
    if (!config.NewNonce) {
        config.NewNonce = NewNonce;
    }
    config.Http.CaFile = config.Identity.CaFile;
    config.Http.PinnedPublicKey = config.Identity.PinnedPublicKey;
    return std::unique_ptr<Uploader>(new Uploader(std::move(config), std::move(*store)));
}

Uploader::Uploader(UploaderConfig config, std::unique_ptr<Store> store)
    : Config_(std::move(config)),
      Store_(std::move(store)),
      Http_(Config_.Http),
      BatchSize_(std::clamp<size_t>(Config_.BatchSize, 1, protocol::kMaxBatchItems)),
      Random_(std::random_device{}()) {
    ActiveSurveyVersion_ = Config_.SurveyVersion;
    if (auto pushed = Store_->PushedSurveyEtag(); pushed.Ok() && pushed->has_value()) {
        KnownSurveyEtag_ = **pushed;
    }
    if (auto offset = Store_->ReadMeta(kClockOffsetKey); offset.Ok() && offset->has_value()) {
        ClockOffsetMs_ = std::atoll((*offset)->c_str());
    }
    Status_.ClockOffsetMs = ClockOffsetMs_;
    RefreshCounts(true);
}

Uploader::~Uploader() {
    Stop();
}

SyncStatus Uploader::CurrentStatus() const {
    std::lock_guard lock(Mutex_);
    return Status_;
}

void Uploader::RefreshCounts(bool force) {
    // Counting walks the unsent rows; while a long backlog drains, once a second is plenty for
    // the screen, and counting after every batch would make the drain quadratic.
    int64_t now = MonotonicClockMs();
    if (!force && LastCountsMonoMs_ != 0 && now - LastCountsMonoMs_ < kCountsIntervalMs) {
        return;
    }
    LastCountsMonoMs_ = now;
    Result<SyncCounts> counts = Store_->CountSync();
    std::lock_guard lock(Mutex_);
    if (counts.Ok()) {
        Status_.Backlog = counts->Pending;
        Status_.OldestUnsentEndedAtMs = counts->OldestPendingEndedAtMs;
        Status_.Conflicts = counts->Conflict;
        Status_.Rejected = counts->Rejected;
    }
    Status_.ClockOffsetMs = ClockOffsetMs_;
}

Result<HttpReply> Uploader::PostSigned(std::string_view path, const std::string& body) {
    int64_t timestamp = Config_.WallClock() + ClockOffsetMs_;
    std::vector<std::string> headers =
        SignedPostHeaders(Config_.Identity.DeviceId, Config_.Identity.SecretHex, path, timestamp,
                          Config_.NewNonce(), body);
    std::string url = Config_.Identity.ServerUrl;
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    {
        std::lock_guard lock(Mutex_);
        Status_.RequestsSent += 1;
    }
    return Http_.Post(url + std::string(path), headers, body);
}

Uploader::Attempt Uploader::Refused(const HttpReply& reply) {
    std::string code = ErrorCode(reply.Body);
    Attempt attempt;
    attempt.Kind = Outcome::Failed;
    if (reply.RetryAfterS) {
        attempt.RetryAfterMs = *reply.RetryAfterS * 1000;
    }
    if (reply.Status == 426) {
        attempt.Kind = Outcome::Blocked;
        attempt.Error = "head office no longer accepts this terminal's protocol version " +
                        std::to_string(protocol::kVersion) +
                        "; update the terminal (answers are kept until then)";
    } else if (reply.Status == 403) {
        attempt.Kind = Outcome::Blocked;
        attempt.Error = "head office has revoked this terminal; answers are kept on the device";
    } else if (reply.Status == 401 && code == "unknown_device") {
        attempt.Kind = Outcome::Blocked;
        attempt.Error = "head office does not know this terminal; enroll it again";
    } else if (reply.Status == 401) {
        attempt.Error = "head office refused the request signature (" + code + ")";
    } else {
        attempt.Error = "head office answered HTTP " + std::to_string(reply.Status) +
                        (code.empty() ? "" : " (" + code + ")");
    }
    return attempt;
}

Uploader::Attempt Uploader::HandleBatchReply(const std::vector<StoredResponse>& rows,
                                             const HttpReply& reply) {
    if (reply.Status == 400 || reply.Status == 413) {
        if (rows.size() > 1) {
            BatchSize_ = std::max<size_t>(1, rows.size() / 2);  // isolate the row it dislikes
            return {Outcome::Failed,
                    "head office refused a batch of " + std::to_string(rows.size()) +
                        "; retrying with smaller batches",
                    0};
        }
        SyncOutcome outcome;
        outcome.Rejected.emplace_back(rows.front().Seq, "refused as a whole: " + reply.Body);
        Status marked = Store_->ApplySyncOutcome(outcome, Config_.WallClock());
        return {marked.Ok() ? Outcome::Acked : Outcome::Failed,
                marked.Ok() ? "" : marked.Err().Message, std::nullopt};
    }
    if (reply.Status != 200) {
        return Refused(reply);
    }
    std::optional<BatchAck> ack = DecodeAck(reply.Body);
    if (!ack) {
        return {Outcome::Failed, "head office answered 200 without a readable acknowledgement",
                std::nullopt};
    }
    SyncOutcome outcome;
    for (const StoredResponse& row : rows) {
        if (RangesContain(ack->Acked, row.Seq)) {
            outcome.Synced.push_back(row.Seq);
        }
    }
    auto in_batch = [&](int64_t seq) {
        return std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return r.Seq == seq; });
    };
    for (const ItemIssue& issue : ack->Conflicts) {
        if (in_batch(issue.Seq)) {
            outcome.Conflicts.emplace_back(issue.Seq, issue.Message);
        }
    }
    for (const ItemIssue& issue : ack->Rejected) {
        if (in_batch(issue.Seq)) {
            outcome.Rejected.emplace_back(issue.Seq, issue.Field + ": " + issue.Message);
        }
    }
    if (Status applied = Store_->ApplySyncOutcome(outcome, Config_.WallClock()); !applied.Ok()) {
        // The rows stay pending and go again; the server will acknowledge without storing twice.
        return {Outcome::Failed, "cannot record the acknowledgement: " + applied.Err().Message,
                std::nullopt};
    }
    BatchSize_ = std::clamp<size_t>(Config_.BatchSize, 1, protocol::kMaxBatchItems);
    return {Outcome::Acked, "", std::nullopt};
}

Result<Uploader::PreparedBatch> Uploader::PrepareBatch(int64_t after_seq, size_t size) {
    Result<std::vector<StoredResponse>> rows =
        Store_->ReadPending(static_cast<int>(size), after_seq);
    if (!rows.Ok()) {
        return rows.Err();
    }
    PreparedBatch batch;
    if (!rows->empty()) {
        batch.Body =
            GzipCompress(EncodeBatch(Config_.Identity.DeviceId, *rows,
                                     ClockStamp{Config_.WallClock(), Config_.BootClock()}));
    }
    batch.Rows = std::move(*rows);
    return batch;
}

Uploader::Attempt Uploader::SendOneBatch() {
    PreparedBatch batch;
    if (Prefetched_ && !Prefetched_->Rows.empty()) {
        batch = std::move(*Prefetched_);
    } else {
        Result<PreparedBatch> prepared = PrepareBatch(0, BatchSize_);
        if (!prepared.Ok()) {
            return {Outcome::Failed, "cannot read unsent answers: " + prepared.Err().Message,
                    std::nullopt};
        }
        batch = std::move(*prepared);
    }
    Prefetched_.reset();
    if (batch.Rows.empty()) {
        return {Outcome::Empty, "", std::nullopt};
    }
    // While this batch is on the wire the store is idle: read and encode the next one meanwhile.
    // The store is touched again only after the prefetch is joined, so never by two threads.
    std::future<Result<PreparedBatch>> next =
        std::async(std::launch::async, [this, after = batch.Rows.back().Seq, size = BatchSize_] {
            return PrepareBatch(after, size);
        });
    Attempt attempt{Outcome::Failed, "", std::nullopt};
    bool offset_changed = false;
    for (int skew_retries = 0;; ++skew_retries) {
        Result<HttpReply> reply = PostSigned(protocol::kPathResponses, batch.Body);
        if (!reply.Ok()) {
            attempt = {Outcome::Failed, "cannot reach head office: " + reply.Err().Message,
                       std::nullopt};
            break;
        }
        if (reply->Status == 401 && ErrorCode(reply->Body) == "clock_skew" && skew_retries < 2) {
            // Our clock is off: adopt the server's time and sign again at once.
            ClockOffsetMs_ = ServerTime(reply->Body) - Config_.WallClock();
            offset_changed = true;
            Log(LogLevel::Warning, "sync", "corrected the clock offset from head office's time",
                {{"offset_ms", std::to_string(ClockOffsetMs_)}});
            continue;
        }
        Result<PreparedBatch> prefetched = next.get();
        attempt = HandleBatchReply(batch.Rows, *reply);
        if (attempt.Kind == Outcome::Acked && prefetched.Ok()) {
            Prefetched_ = std::move(*prefetched);
        }
        break;
    }
    if (next.valid()) {
        next.wait();  // a failed send: the prefetch is dropped, its rows are read again later
    }
    if (offset_changed) {  // only now: the prefetch no longer uses the store
        static_cast<void>(Store_->WriteMeta(kClockOffsetKey, std::to_string(ClockOffsetMs_)));
    }
    return attempt;
}

Uploader::Attempt Uploader::SendHeartbeat() {
    RefreshCounts(true);
    SyncStatus status = Uploader::CurrentStatus();
    Result<SyncCounts> counts = Store_->CountSync();
    Heartbeat heartbeat;
    heartbeat.DeviceId = Config_.Identity.DeviceId;
    heartbeat.Backlog = status.Backlog;
    heartbeat.OldestUnsentAgeS =
        status.OldestUnsentEndedAtMs
            ? std::max<int64_t>(0, (Config_.WallClock() - *status.OldestUnsentEndedAtMs) / 1000)
            : 0;
    heartbeat.LastError = status.LastError;
    heartbeat.ClockOffsetMs = ClockOffsetMs_;
    heartbeat.AppVersion = DOORSTEP_VERSION;
    heartbeat.SurveyVersion = ActiveSurveyVersion_.load();
    heartbeat.FreeDiskBytes = FreeDiskBytes(Config_.StorePath);
    heartbeat.HighestSeq = counts.Ok() ? counts->HighestSeq : 0;
    {
        std::lock_guard lock(Mutex_);
        heartbeat.UnsavedAnswers = UnsavedAnswers_;
        heartbeat.StorageError = StorageError_;
    }
    Result<HttpReply> reply =
        PostSigned(protocol::kPathHeartbeat, GzipCompress(EncodeHeartbeat(heartbeat)));
    if (!reply.Ok()) {
        return {Outcome::Failed, "heartbeat: " + reply.Err().Message, std::nullopt};
    }
    if (reply->Status != 200) {
        return Refused(*reply);
    }
    ReportedBacklog_ = heartbeat.Backlog;
    FollowSurvey(reply->Body);
    return {Outcome::Acked, "", std::nullopt};
}

Status Uploader::ReportHealth() {
    Attempt beat = SendHeartbeat();
    if (beat.Kind != Outcome::Acked) {
        return Error{beat.Error, 0};
    }
    return Success();
}

int64_t Uploader::BackoffMs(int attempt, std::optional<int64_t> retry_after_ms) {
    // Full jitter: a uniform delay up to the exponential bound, so a fleet that lost the network
    // together does not come back together.
    int64_t bound = Config_.BackoffBaseMs << std::min(attempt, 20);
    bound = std::min(bound, Config_.BackoffCapMs);
    int64_t delay = std::uniform_int_distribution<int64_t>(0, std::max<int64_t>(bound, 1))(Random_);
    return std::max(delay, retry_after_ms.value_or(0));
}

void Uploader::SetUnsavedAnswers(int64_t count, std::string error) {
    std::lock_guard lock(Mutex_);
    UnsavedAnswers_ = count;
    StorageError_ = std::move(error);
}

Result<bool> Uploader::Drain(int attempts) {
    int failures = 0;
    std::string last_error;
    for (;;) {
        Attempt attempt = SendOneBatch();
        RefreshCounts(attempt.Kind != Outcome::Acked);
        if (attempt.Kind == Outcome::Empty) {
            std::lock_guard lock(Mutex_);
            Status_.LastError.clear();
            return true;
        }
        if (attempt.Kind == Outcome::Acked) {
            failures = 0;
            std::lock_guard lock(Mutex_);
            Status_.LastSuccessWallMs = Config_.WallClock();
            continue;
        }
        last_error = attempt.Error;
        Log(LogLevel::Warning, "sync", "batch not delivered", {{"error", last_error}});
        if (attempt.Kind == Outcome::Blocked || ++failures >= attempts) {
            return Error{last_error, 0};
        }
        std::this_thread::sleep_for(
            std::chrono::milliseconds(BackoffMs(failures, attempt.RetryAfterMs)));
    }
}

void Uploader::Start(std::function<void(const SyncStatus&)> publish,
                     std::function<void()> survey_arrived) {
    Publish_ = std::move(publish);
    SurveyArrived_ = std::move(survey_arrived);
    Thread_ = std::thread([this] { Loop(); });
}

void Uploader::Stop() {
    {
        std::lock_guard lock(Mutex_);
        Stopping_ = true;
    }
    Wakeup_.notify_all();
    if (Thread_.joinable()) {
        Thread_.join();
    }
}

void Uploader::Wake() {
    {
        std::lock_guard lock(Mutex_);
        Woken_ = true;
    }
    Wakeup_.notify_all();
}

void Uploader::Loop() {
    int failures = 0;
    for (;;) {
        int64_t now = MonotonicClockMs();
        if (now >= NextHeartbeatMonoMs_) {
            Attempt beat = SendHeartbeat();
            NextHeartbeatMonoMs_ = now + Config_.HeartbeatIntervalMs;
            if (beat.Kind != Outcome::Acked) {
                Log(LogLevel::Warning, "sync", "heartbeat not delivered", {{"error", beat.Error}});
            }
        }
        Attempt attempt = SendOneBatch();
        if (now >= NextAlertsMonoMs_ || AlertWorkWaiting()) {
            if (Status alerts = SyncAlertsNow(); !alerts.Ok()) {
                Log(LogLevel::Warning, "sync", "alerts not synced",
                    {{"error", alerts.Err().Message}});
            }
            NextAlertsMonoMs_ = now + Config_.AlertsIntervalMs;
        }
        if (now - LastPruneMonoMs_ >= kPruneIntervalMs || LastPruneMonoMs_ == 0) {
            LastPruneMonoMs_ = now;
            Result<int64_t> pruned = Store_->PruneSynced(Config_.WallClock() - Config_.RetentionMs);
            if (pruned.Ok() && *pruned > 0) {
                Log(LogLevel::Info, "sync", "pruned synced answers past retention",
                    {{"rows", std::to_string(*pruned)}});
            }
        }
        RefreshCounts(attempt.Kind != Outcome::Acked);
        if (attempt.Kind == Outcome::Empty && ReportedBacklog_ > 0) {
            // The fleet page last heard of a backlog that is now sent: say so at once, not at
            // the next interval, so nobody goes looking for answers that are already there. Once:
            // if that heartbeat fails, the regular interval retries it.
            NextHeartbeatMonoMs_ = now;
            ReportedBacklog_ = 0;
        }
        int64_t wait_ms = Config_.HeartbeatIntervalMs;
        {
            std::lock_guard lock(Mutex_);
            if (attempt.Kind == Outcome::Acked || attempt.Kind == Outcome::Empty) {
                if (attempt.Kind == Outcome::Acked) {
                    Status_.LastSuccessWallMs = Config_.WallClock();
                }
                Status_.LastError.clear();
                failures = 0;
                wait_ms = attempt.Kind == Outcome::Acked ? 0 : wait_ms;
            } else {
                Status_.LastError = attempt.Error;
                failures += 1;
                wait_ms = attempt.Kind == Outcome::Blocked
                              ? Config_.BackoffCapMs
                              : BackoffMs(failures, attempt.RetryAfterMs);
            }
        }
        if (attempt.Kind == Outcome::Failed || attempt.Kind == Outcome::Blocked) {
            Log(LogLevel::Warning, "sync", "batch not delivered",
                {{"error", attempt.Error}, {"retry_in_ms", std::to_string(wait_ms)}});
        }
        if (Publish_) {
            Publish_(CurrentStatus());
        }
        wait_ms =
            std::min({wait_ms, std::max<int64_t>(0, NextHeartbeatMonoMs_ - MonotonicClockMs()),
                      std::max<int64_t>(0, NextAlertsMonoMs_ - MonotonicClockMs())});
        std::unique_lock lock(Mutex_);
        Wakeup_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                         [this] { return Stopping_ || Woken_; });
        if (Stopping_) {
            return;
        }
        Woken_ = false;
    }
}

}  // namespace doorstep
