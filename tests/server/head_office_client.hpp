// Head office's API as a signed-in script calls it, and the answers the loop's tests upload.
#pragma once

#include <doctest/doctest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "core/base/clock.hpp"
#include "core/base/uuid.hpp"
#include "core/response/response.hpp"

namespace doorstep::testing {

// Head office's API as a signed-in script calls it.
class HeadOffice {
  public:
    HeadOffice(int port, std::string token)
        : Client_("127.0.0.1", port), Token_(std::move(token)) {}

    std::pair<int, nlohmann::json> Get(const std::string& path) {
        auto reply = Client_.Get(path, Headers());
        REQUIRE(reply);
        return {reply->status, nlohmann::json::parse(reply->body, nullptr, false)};
    }
    std::pair<int, nlohmann::json> Post(const std::string& path, const nlohmann::json& body) {
        auto reply = Client_.Post(path, Headers(), body.dump(), "application/json");
        REQUIRE(reply);
        return {reply->status, nlohmann::json::parse(reply->body, nullptr, false)};
    }

  private:
    httplib::Headers Headers() const { return {{"Authorization", "Bearer " + Token_}}; }
    httplib::Client Client_;
    std::string Token_;
};

// An answer ended `minutes_ago` minutes before now at the door.
inline Response Answer(int minutes_ago, const std::string& least_met, int intent, int support,
                       const std::string& comment = "") {
    Response answer;
    int64_t now = WallClockMs();
    answer.Uuid = NewUuidV7(now);
    answer.SurveyId = "default";
    answer.SurveyVersion = 1;
    answer.Door = "checkout";
    answer.Language = "es";
    answer.EndedAtMs = now - int64_t{minutes_ago} * 60'000;
    answer.StartedAtMs = answer.EndedAtMs - 30'000;
    answer.DurationMs = 30'000;
    answer.Scores = {{"trust", 4}, {"control", 5}, {"support", support}};
    answer.LeastMet = least_met;
    answer.Intent = intent;
    answer.Comment = comment;
    return answer;
}

}  // namespace doorstep::testing
