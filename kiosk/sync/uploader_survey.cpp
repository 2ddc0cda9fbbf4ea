// The uploader's survey step (docs/protocol.md, "Survey"). A heartbeat answer names the survey
// head office wants this terminal to run, by ETag. A new ETag is fetched once, checked exactly as
// an installed file is, and stored with its ETag in one transaction; only then is the UI told,
// and it switches at its next attract screen, never during a customer's answer.
//
//   heartbeat answer --ETag known or rejected--> nothing
//                    --new ETag--> POST /v1/survey --fails--> nothing (the next heartbeat retries)
//                                                  --definition fails the checks--> rejected: the
//                                                    terminal keeps what it runs, the log says why
//                                                  --checked, stored--> survey_arrived()
#include <nlohmann/json.hpp>

#include "core/base/log.hpp"
#include "core/survey/survey.hpp"
#include "core/wire/gzip.hpp"
#include "kiosk/sync/uploader.hpp"

namespace doorstep {

void Uploader::FollowSurvey(std::string_view heartbeat_answer) {
    nlohmann::json answer = nlohmann::json::parse(heartbeat_answer, nullptr, false);
    if (!answer.is_object() || !answer.contains("survey") || !answer["survey"].is_object()) {
        return;  // head office publishes nothing for this door: keep the installed survey
    }
    std::string offered = answer["survey"].value("etag", "");
    if (offered.empty() || offered == KnownSurveyEtag_ || offered == RejectedSurveyEtag_) {
        return;
    }
    nlohmann::json request{{"device_id", Config_.Identity.DeviceId}};
    Result<HttpReply> reply = PostSigned(protocol::kPathSurvey, GzipCompress(request.dump()));
    if (!reply.Ok() || reply->Status != 200) {
        Log(LogLevel::Warning, "survey", "could not fetch the new survey; trying again later",
            {{"error", reply.Ok() ? "HTTP " + std::to_string(reply->Status) + ": " +
                                        reply->Body.substr(0, 200)
                                  : reply.Err().Message}});
        return;
    }
    nlohmann::json fetched = nlohmann::json::parse(reply->Body, nullptr, false);
    if (!fetched.is_object() || !fetched.contains("definition") ||
        !fetched["definition"].is_object() || !fetched.contains("etag") ||
        !fetched["etag"].is_string()) {
        Log(LogLevel::Error, "survey", "head office sent a survey answer that is not usable");
        RejectedSurveyEtag_ = offered;
        return;
    }
    std::string etag = fetched["etag"].get<std::string>();
    std::string text = fetched["definition"].dump(2);
    SurveyParse parsed = ParseSurvey(text, "<survey from head office>");
    if (!parsed.Ok()) {
        for (const SurveyProblem& problem : parsed.Problems) {
            Log(LogLevel::Error, "survey", "refused the survey head office sent",
                {{"problem", problem.Describe()}});
        }
        RejectedSurveyEtag_ = etag;
        return;
    }
    if (Status saved =
            Store_->SavePushedSurvey(parsed.Definition.Id, parsed.Definition.Version, text, etag);
        !saved.Ok()) {
        Log(LogLevel::Error, "survey", "could not store the new survey; trying again later",
            {{"error", saved.Err().Message}});
        return;
    }
    KnownSurveyEtag_ = etag;
    Log(LogLevel::Info, "survey", "received a new survey from head office",
        {{"survey", parsed.Definition.Id}, {"version", std::to_string(parsed.Definition.Version)}});
    if (SurveyArrived_) {
        SurveyArrived_();
    }
}

}  // namespace doorstep
