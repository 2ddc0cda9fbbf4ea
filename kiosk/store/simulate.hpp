// Realistic synthetic responses for demos, load tests and benchmarks. They go through the same
// Store code as real ones and are marked Synthetic so reports can leave them out.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/response/response.hpp"
#include "core/survey/survey.hpp"

namespace doorstep {

struct SimulateOptions {
    std::string Door = "entrance";
    int Days = 28;               // spread over the last N days
    int64_t NowWallMs = 0;       // "now" for the spread; the caller passes the wall clock
    double AbandonShare = 0.12;  // share of responses left half way
    double CommentShare = 0.25;  // share of completed responses with a comment
    // Share of staff estimates among the responses. Staff tend to think customers feel a little
    // better than customers say, so the perception gap has something to show.
    double StaffShare = 0.0;
    std::vector<std::string> SampleComments;  // drawn from when a comment is written
};

// Sample comments shipped in assets/simulate/comments.json, for a language; empty if none.
std::vector<std::string> LoadSampleComments(const std::string& path, const std::string& language);

class ResponseSimulator {
  public:
    ResponseSimulator(const Survey& survey, SimulateOptions options, uint64_t seed);
    Response Next();  // Uuid is left empty: the caller assigns one
    // Draws the start times of the next `count` responses at once and hands them out in time
    // order, as a terminal records answers: seq order is then time order.
    void PlanInTimeOrder(int count);

  private:
    int64_t PickStartTime();
    int PickScore(size_t need_index, bool good_day);

    const Survey& Survey_;
    SimulateOptions Options_;
    std::mt19937_64 Random_;
    std::vector<std::string> NeedIds_;
    std::vector<double> NeedMeans_;       // each need has its own typical score
    std::vector<int64_t> PlannedStarts_;  // ascending; used before drawing new ones
    size_t NextPlanned_ = 0;
};

}  // namespace doorstep
