#include "kiosk/store/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

namespace doorstep {
namespace {

constexpr int64_t kHourMs = 3600LL * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

}  // namespace

std::vector<std::string> LoadSampleComments(const std::string& path, const std::string& language) {
    std::ifstream in(path);
    if (!in) {
        return {};
    }
    nlohmann::json document = nlohmann::json::parse(in, nullptr, false);
    if (document.is_discarded() || !document.contains(language) || !document[language].is_array()) {
        return {};
    }
    std::vector<std::string> comments;
    for (const auto& item : document[language]) {
        if (item.is_string()) {
            comments.push_back(item.get<std::string>());
        }
    }
    return comments;
}

ResponseSimulator::ResponseSimulator(const Survey& survey, SimulateOptions options, uint64_t seed)
    : Survey_(survey), Options_(std::move(options)), Random_(seed) {
    std::uniform_real_distribution<double> mean(2.9, 4.3);
    for (const Need* need : Survey_.EnabledNeeds()) {
        NeedIds_.push_back(need->Id);
        NeedMeans_.push_back(mean(Random_));
    }
}

// Opening hours 8:00-21:00 UTC, busier at lunch and late afternoon, busier at weekends.
int64_t ResponseSimulator::PickStartTime() {
    std::uniform_int_distribution<int> day(0, std::max(0, Options_.Days - 1));
    std::discrete_distribution<int> hour(
        {0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 4, 5, 8, 8, 5, 4, 5, 7, 8, 6, 3, 1, 0, 0});
    std::uniform_int_distribution<int64_t> within_hour(0, kHourMs - 1);
    int64_t today_start = Options_.NowWallMs - Options_.NowWallMs % kDayMs;
    for (;;) {
        int64_t day_start = today_start - day(Random_) * kDayMs;
        int weekday = static_cast<int>(((day_start / kDayMs) + 4) % 7);  // 0 = Sunday
        bool weekend = weekday == 0 || weekday == 6;
        // Thin out weekdays so weekends carry more traffic, as in most retail.
        if (!weekend && std::uniform_real_distribution<double>(0, 1)(Random_) > 0.7) {
            continue;
        }
        int64_t start = day_start + hour(Random_) * kHourMs + within_hour(Random_);
        if (start < Options_.NowWallMs) {
            return start;
        }
    }
}

void ResponseSimulator::PlanInTimeOrder(int count) {
    PlannedStarts_.clear();
    NextPlanned_ = 0;
    for (int i = 0; i < count; ++i) {
        PlannedStarts_.push_back(PickStartTime());
    }
    std::sort(PlannedStarts_.begin(), PlannedStarts_.end());
}

int ResponseSimulator::PickScore(size_t need_index, bool good_day) {
    double mean = NeedMeans_[need_index] + (good_day ? 0.3 : -0.4);
    std::normal_distribution<double> score(mean, 0.9);
    return static_cast<int>(std::clamp(std::lround(score(Random_)), 1L, 5L));
}

Response ResponseSimulator::Next() {
    std::uniform_real_distribution<double> unit(0, 1);
    Response response;
    response.SurveyId = Survey_.Id;
    response.SurveyVersion = Survey_.Version;
    response.Door = Options_.Door;
    size_t languages = Survey_.Languages.size();
    response.Language =
        unit(Random_) < 0.8
            ? Survey_.DefaultLanguage
            : Survey_.Languages[std::uniform_int_distribution<size_t>(0, languages - 1)(Random_)]
                  .Code;
    response.Synthetic = true;
    response.StartedAtMs =
        NextPlanned_ < PlannedStarts_.size() ? PlannedStarts_[NextPlanned_++] : PickStartTime();
    bool good_day = unit(Random_) < 0.6;
    // Drawn only when asked for, so a seed's customer answers stay what they always were.
    if (Options_.StaffShare > 0 && unit(Random_) < Options_.StaffShare) {
        // A staff estimate, as manager mode records it: every need, nothing else.
        response.Kind = ResponseKind::Staff;
        response.Language = Survey_.DefaultLanguage;
        for (size_t i = 0; i < NeedIds_.size(); ++i) {
            response.Scores.push_back({NeedIds_[i], PickScore(i, true)});
        }
        response.DurationMs = std::uniform_int_distribution<int64_t>(8000, 20000)(Random_);
        response.EndedAtMs = response.StartedAtMs + response.DurationMs;
        return response;
    }
    bool abandon = unit(Random_) < Options_.AbandonShare;
    size_t answered = NeedIds_.size();
    if (abandon) {
        answered = static_cast<size_t>(unit(Random_) * static_cast<double>(NeedIds_.size() + 1));
        answered = std::clamp<size_t>(answered, 1, NeedIds_.size());
    }
    int64_t duration = 0;
    for (size_t i = 0; i < answered; ++i) {
        response.Scores.push_back({NeedIds_[i], PickScore(i, good_day)});
        duration += std::uniform_int_distribution<int64_t>(1500, 4500)(Random_);
    }
    if (abandon) {
        response.Status = ResponseStatus::Abandoned;
        response.AbandonedAt =
            answered < NeedIds_.size() ? "need:" + NeedIds_[answered] : std::string("least_met");
        duration += 20000;  // the idle timeout ran out
    } else {
        auto lowest = std::min_element(
            response.Scores.begin(), response.Scores.end(),
            [](const NeedScore& a, const NeedScore& b) { return a.Score < b.Score; });
        response.LeastMet = lowest->NeedId;
        double mean_score = 0;
        for (const NeedScore& score : response.Scores) {
            mean_score += score.Score;
        }
        mean_score /= static_cast<double>(response.Scores.size());
        std::normal_distribution<double> intent(mean_score * 2.2 - 0.5, 1.6);
        response.Intent = static_cast<int>(std::clamp(std::lround(intent(Random_)), 0L, 10L));
        if (!Options_.SampleComments.empty() && unit(Random_) < Options_.CommentShare) {
            response.Comment = Options_.SampleComments[static_cast<size_t>(
                unit(Random_) * static_cast<double>(Options_.SampleComments.size()))];
            duration += std::uniform_int_distribution<int64_t>(15000, 45000)(Random_);
        }
        duration += std::uniform_int_distribution<int64_t>(3000, 8000)(Random_);
    }
    response.DurationMs = duration;
    response.EndedAtMs = response.StartedAtMs + duration;
    return response;
}

}  // namespace doorstep
