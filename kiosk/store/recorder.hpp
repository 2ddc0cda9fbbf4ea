// ResponseRecorder: puts each finished response into the Store, and when the store cannot take it
// (full disk, read-only file system, locked database) holds it in memory until it can, so an
// answer is never silently dropped.
//
//                    Record(): Append fails
//            +-------+ ---------------------> +---------+
//            | Clear |                        | Holding | --+ Record(): queued behind the others,
//            +-------+ <--------------------- +---------+ <-+ then the queue is retried
//                 RetryPending() (or Record()) wrote
//                 every held response
//
//   Clear    nothing is waiting; Record() appends straight to the store.
//   Holding  Pending_ holds responses the store refused, oldest first.
//
// Invariants:
//   * Responses reach the store in the order they were recorded, so their seqs ascend in that
//     order: a new response never overtakes a held one.
//   * A held response leaves memory only when the store committed it (or already has it: see
//     Record()), or when the store refused its content, which no retry can change; that case
//     is logged with the whole response.
//   * One error line per failure streak (Clear -> Holding), one info line when it ends.
//
// Threading: UI thread only, like the Store it wraps. No locking.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "core/base/clock.hpp"
#include "core/base/result.hpp"
#include "core/response/response.hpp"
#include "kiosk/store/store.hpp"

namespace doorstep {

struct RecordOutcome {
    bool Durable = false;  // committed to the store file (fsynced)
    int64_t Seq = 0;       // the response's sequence number when Durable, else 0
    // Not durable: true while held in memory for retry; false only when the store refused the
    // response's content (a bug upstream), which retrying cannot fix.
    bool Held = false;
};

class ResponseRecorder {
  public:
    explicit ResponseRecorder(Store& store) : Store_(store) {}

    // Records one response. An empty Uuid is filled in with a new UUIDv7.
    RecordOutcome Record(Response response);
    // Writes held responses in order, stopping at the first failure (the rest stay held).
    Status RetryPending();

    size_t PendingCount() const { return Pending_.size(); }
    int64_t FailedCommitCount() const { return FailedCommits_; }  // failed attempts, in total
    int64_t RefusedCount() const { return Refused_; }  // responses the store could never take
    // The latest failure, in plain words; empty while nothing is held.
    const std::string& LastError() const { return LastFailure_.Message; }

  private:
    // A response waiting for the store, with the clocks at Record(): a held answer keeps its
    // place on the boot clock however long the disk stays full.
    struct Waiting {
        Response Data;
        ClockStamp Recorded;
    };

    RecordOutcome Write(const Waiting& waiting);  // one attempt; Held means "try again"
    RecordOutcome Flush();                        // writes Pending_ oldest first

    Store& Store_;
    std::deque<Waiting> Pending_;
    int64_t FailedCommits_ = 0;
    int64_t Refused_ = 0;
    Error LastFailure_;  // Message is empty while Clear: it marks the failure streak
};

}  // namespace doorstep
