#include "kiosk/store/recorder.hpp"

#include <sqlite3.h>

#include <utility>

#include "core/base/clock.hpp"
#include "core/base/log.hpp"
#include "core/base/uuid.hpp"

namespace doorstep {
namespace {

// Everything in the response, for the log line that is its last record when the store refuses it.
std::string Describe(const Response& response) {
    std::string text = "uuid=" + response.Uuid + " survey=" + response.SurveyId + "/" +
                       std::to_string(response.SurveyVersion) + " door=" + response.Door +
                       " lang=" + response.Language +
                       " kind=" + std::string(ToString(response.Kind)) +
                       " status=" + std::string(ToString(response.Status)) +
                       " abandoned_at=" + response.AbandonedAt +
                       " started_at_ms=" + std::to_string(response.StartedAtMs) +
                       " ended_at_ms=" + std::to_string(response.EndedAtMs) +
                       " duration_ms=" + std::to_string(response.DurationMs) + " scores=";
    for (const NeedScore& score : response.Scores) {
        text += score.NeedId + ":" + std::to_string(score.Score) + ",";
    }
    text += " least_met=" + response.LeastMet;
    text += " intent=" + (response.Intent ? std::to_string(*response.Intent) : std::string("-"));
    text += " synthetic=" + std::to_string(response.Synthetic ? 1 : 0);
    // The comment itself stays out of the log: logs travel further than the store does.
    text += " comment_chars=" + std::to_string(response.Comment.size());
    return text;
}

}  // namespace

RecordOutcome ResponseRecorder::Record(Response response) {
    if (response.Uuid.empty()) {
        response.Uuid = NewUuidV7(WallClockMs());
    }
    // Always through the queue: behind any held response, so the order of seqs is the order of
    // recording. When the queue was empty this is a single Append.
    Pending_.push_back({std::move(response), ClockStamp::Now()});
    return Flush();  // the new response is last, so the last outcome is its own
}

Status ResponseRecorder::RetryPending() {
    if (Flush().Held) {
        return LastFailure_;
    }
    return Success();
}

RecordOutcome ResponseRecorder::Flush() {
    RecordOutcome last;
    int64_t written = 0;
    while (!Pending_.empty()) {
        RecordOutcome outcome = Write(Pending_.front());
        if (outcome.Held) {
            return outcome;
        }
        Pending_.pop_front();
        written += outcome.Durable ? 1 : 0;
        last = outcome;
    }
    if (!LastFailure_.Message.empty()) {
        Log(LogLevel::Info, "store", "the store accepts responses again; held responses are saved",
            {{"written", std::to_string(written)},
             {"failed_attempts", std::to_string(FailedCommits_)}});
        LastFailure_ = Error{};
    }
    return last;
}

RecordOutcome ResponseRecorder::Write(const Waiting& waiting) {
    const Response& response = waiting.Data;
    Result<int64_t> seq = Store_.Append(response, waiting.Recorded);
    if (seq.Ok()) {
        return {true, *seq, false};
    }
    const Error& error = seq.Err();
    if (error.Code == SQLITE_CONSTRAINT) {
        // An earlier commit can report failure yet reach the file (its fsync failed after the WAL
        // frames were written, and a later open recovered them). The response is then already
        // stored under its uuid: that is success, not a duplicate.
        Result<std::optional<StoredResponse>> stored = Store_.FindByUuid(response.Uuid);
        if (stored.Ok() && stored->has_value() && (*stored)->Data == response) {
            return {true, (*stored)->Seq, false};
        }
        if (stored.Ok()) {
            // The content itself is refused (a bug upstream): retrying cannot help, and holding it
            // would block every later response. The log line is its last record.
            ++Refused_;
            Log(LogLevel::Error, "store",
                "the store refused a response; it is kept only in this log",
                {{"error", error.Message}, {"response", Describe(response)}});
            return {false, 0, false};
        }
    }
    ++FailedCommits_;
    if (LastFailure_.Message.empty()) {
        Log(LogLevel::Error, "store",
            "could not save a response; holding it (and any that follow) in memory and retrying",
            {{"error", error.Message}, {"uuid", response.Uuid}});
    }
    LastFailure_ = error;
    return {false, 0, true};
}

}  // namespace doorstep
