// What one batch adds to the report rollups (server_schema.hpp, step 5), counted in memory first:
// a batch of 500 answers from one device touches a few dozen rollup rows, so StoreBatch writes
// each of those once instead of a dozen rows per answer.
//
// Every answer counts in the store's local time: its local day and hour are those of
// started_at_ms + utc_offset_min. Scores count in every answer, abandoned ones too (an answer
// given is an opinion); intent splits into promoters (9-10) and detractors (0-6).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "server/store/server_store.hpp"

namespace doorstep::server {

// The columns every rollup table is keyed by, beyond the device. Texts (kind, language, need)
// are held as indexes into RollupDelta::Names: a batch has only a handful of distinct ones, and
// small integer keys keep the per-answer counting cheap.
struct RollupKey {
    int64_t Day = 0;  // local days since 1970-01-01
    int Kind = 0;     // index into Names
    int Lang = 0;     // index into Names
    bool Suspect = false;
    bool Synthetic = false;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const RollupKey&) const = default;
};

struct AnswerCounts {
    int64_t Answers = 0;
    int64_t Completed = 0;
    int64_t IntentAnswers = 0;
    int64_t Promoters = 0;
    int64_t Detractors = 0;
    int64_t Commented = 0;
};

struct HourCounts {
    int64_t Answers = 0;
    int64_t Scores = 0;
    int64_t ScoreSum = 0;
};

struct RollupDelta {
    std::map<RollupKey, AnswerCounts> Answers;
    std::map<std::pair<RollupKey, int>, std::array<int64_t, 5>> Scores;  // by need (Names index)
    std::map<std::pair<RollupKey, int>, int64_t> LeastMet;               // by need (Names index)
    // By local hour and need (Names index); need "" counts every answer and every score.
    std::map<std::tuple<RollupKey, int, int>, HourCounts> Hours;
    // Answers and Scores again by week (RollupKey::Day holding the week's Monday, WeekStartOf),
    // for the linkage of needs to outcomes, which reads years of store-weeks.
    std::map<RollupKey, AnswerCounts> WeekAnswers;
    std::map<std::pair<RollupKey, int>, std::array<int64_t, 5>> WeekScores;
    std::vector<std::string> Names;  // Names[0] is ""

    RollupDelta() : Names{std::string()} {}
    void Add(const IncomingResponse& item);
    bool Empty() const { return Answers.empty(); }
    const std::string& Name(int index) const { return Names.at(static_cast<size_t>(index)); }
    // The index of `text` in Names, added when new.
    int Intern(std::string_view text);
};

// The local day and hour (0-23) of an answer that started at `started_at_ms` (UTC) where the
// clock was `utc_offset_min` ahead of UTC.
int64_t LocalDayOf(int64_t started_at_ms, int utc_offset_min);
int LocalHourOf(int64_t started_at_ms, int utc_offset_min);
// The Monday that starts the week of `day` (1970-01-01, day 0, was a Thursday): the SQL
// backfill computes the same as day - (day + 3) % 7.
inline int64_t WeekStartOf(int64_t day) {
    return day - (day + 3) % 7;
}

}  // namespace doorstep::server
