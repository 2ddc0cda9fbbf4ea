#include "server/store/rollup_delta.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kHourMs = 3600LL * 1000;

int64_t LocalMs(int64_t started_at_ms, int utc_offset_min) {
    return started_at_ms + static_cast<int64_t>(utc_offset_min) * 60'000;
}

}  // namespace

// Answers start after 1970, so plain division is the floor the SQL backfill computes too.
int64_t LocalDayOf(int64_t started_at_ms, int utc_offset_min) {
    return LocalMs(started_at_ms, utc_offset_min) / kDayMs;
}

int LocalHourOf(int64_t started_at_ms, int utc_offset_min) {
    return static_cast<int>(LocalMs(started_at_ms, utc_offset_min) % kDayMs / kHourMs);
}

int RollupDelta::Intern(std::string_view text) {
    for (size_t i = 0; i < Names.size(); ++i) {
        if (Names[i] == text) {
            return static_cast<int>(i);
        }
    }
    Names.emplace_back(text);
    return static_cast<int>(Names.size() - 1);
}

void RollupDelta::Add(const IncomingResponse& item) {
    const Response& data = item.Data;
    RollupKey key{LocalDayOf(data.StartedAtMs, item.UtcOffsetMin), Intern(ToString(data.Kind)),
                  Intern(data.Language), !item.Suspect.empty(), data.Synthetic};
    RollupKey week_key = key;
    week_key.Day = WeekStartOf(key.Day);
    for (AnswerCounts* answers : {&Answers[key], &WeekAnswers[week_key]}) {
        answers->Answers += 1;
        answers->Completed += data.Status == ResponseStatus::Completed ? 1 : 0;
        answers->Commented += data.Comment.empty() ? 0 : 1;
        if (data.Intent) {
            answers->IntentAnswers += 1;
            answers->Promoters += *data.Intent >= 9 ? 1 : 0;
            answers->Detractors += *data.Intent <= 6 ? 1 : 0;
        }
    }
    int hour = LocalHourOf(data.StartedAtMs, item.UtcOffsetMin);
    HourCounts& all_needs = Hours[{key, hour, 0}];
    all_needs.Answers += 1;
    for (const NeedScore& score : data.Scores) {
        int need_id = Intern(score.NeedId);
        Scores[{key, need_id}].at(static_cast<size_t>(score.Score - 1)) += 1;
        WeekScores[{week_key, need_id}].at(static_cast<size_t>(score.Score - 1)) += 1;
        HourCounts& need = Hours[{key, hour, need_id}];
        need.Answers += 1;
        need.Scores += 1;
        need.ScoreSum += score.Score;
        all_needs.Scores += 1;
        all_needs.ScoreSum += score.Score;
    }
    if (!data.LeastMet.empty()) {
        LeastMet[{key, Intern(data.LeastMet)}] += 1;
    }
}

}  // namespace doorstep::server
