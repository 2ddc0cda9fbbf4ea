// `doorstep-server survey publish | list | rollback` (survey_push.hpp).
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/base/clock.hpp"
#include "server/cli/commands.hpp"
#include "server/store/report_filter.hpp"
#include "server/surveys/survey_push.hpp"

namespace doorstep::server {
namespace {

std::string Who(const ServerCommandLine& command) {
    if (!command.By.empty()) {
        return command.By;
    }
    const char* user = std::getenv("USER");
    return user != nullptr && *user != '\0' ? std::string(user) : std::string("command line");
}

std::string When(int64_t ms) {
    return DayToIsoDate(ms / 86'400'000);
}

}  // namespace

int RunSurveyPublish(const ServerCommandLine& command) {
    std::ifstream in(command.SurveyPath, std::ios::binary);
    if (!in) {
        std::cerr << "doorstep-server survey publish: cannot read " << command.SurveyPath << "\n";
        return 1;
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::unique_ptr<ServerStore> store = OpenOrReport(command);
    if (!store) {
        return 1;
    }
    SurveyScope scope{command.Store, command.Door};
    auto published = PublishSurveyText(*store, text.str(), command.SurveyPath, scope, Who(command),
                                       WallClockMs());
    if (!published.Ok()) {
        std::cerr << "doorstep-server survey publish: " << published.Err().Message << "\n";
        return 1;
    }
    if (const SurveyProblems* problems = std::get_if<SurveyProblems>(&*published)) {
        std::cerr << "doorstep-server survey publish: not published; the definition has "
                  << problems->size() << " problem" << (problems->size() == 1 ? "" : "s") << ":\n";
        for (const SurveyProblem& problem : *problems) {
            std::cerr << "  " << problem.Describe() << "\n";
        }
        return 1;
    }
    const SurveyVersionRecord& record = std::get<SurveyVersionRecord>(*published);
    std::cout << "Published survey " << record.SurveyId << " version " << record.Version << " for "
              << ScopeText(scope) << ". Kiosks there take it at their next heartbeat "
              << "and show it from their next customer on.\n";
    return 0;
}

int RunSurveyList(const ServerCommandLine& command) {
    std::unique_ptr<ServerStore> store = OpenOrReport(command);
    if (!store) {
        return 1;
    }
    auto current = store->ListSurveyAssignments(false);
    if (!current.Ok()) {
        std::cerr << "doorstep-server survey list: " << current.Err().Message << "\n";
        return 1;
    }
    if (current->empty()) {
        std::cout << "No survey published: every kiosk runs the definition installed with it.\n";
        return 0;
    }
    for (const SurveyAssignment& a : *current) {
        std::cout << ScopeText({a.Store, a.Door}) << ": " << a.SurveyId << " version " << a.Version
                  << " (since " << When(a.AssignedAtMs) << ", by " << a.AssignedBy << ")\n";
    }
    return 0;
}

int RunSurveyRollback(const ServerCommandLine& command) {
    std::unique_ptr<ServerStore> store = OpenOrReport(command);
    if (!store) {
        return 1;
    }
    SurveyScope scope{command.Store, command.Door};
    auto rolled = RollBackSurvey(*store, scope, command.SurveyTo, Who(command), WallClockMs());
    if (!rolled.Ok()) {
        std::cerr << "doorstep-server survey rollback: " << rolled.Err().Message << "\n";
        return 1;
    }
    if (const std::string* why = std::get_if<std::string>(&*rolled)) {
        std::cerr << "doorstep-server survey rollback: " << *why << "\n";
        return 1;
    }
    const SurveyAssignment& now = std::get<SurveyAssignment>(*rolled);
    std::cout << ScopeText(scope) << " now runs " << now.SurveyId << " version " << now.Version
              << ". Kiosks there take it at their next heartbeat.\n";
    return 0;
}

}  // namespace doorstep::server
