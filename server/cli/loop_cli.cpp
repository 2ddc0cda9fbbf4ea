#include "server/cli/loop_cli.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server/api/linkage_api.hpp"
#include "server/api/loop_api.hpp"
#include "server/cli/commands.hpp"

namespace doorstep::server {
namespace {

// State shared by the callbacks: the options' values live here until the call is made.
struct LoopFlags {
    std::string Id;
    std::string State;
    std::string Store;
    std::string Door;
    std::string Kind;
    std::string Need;
    std::string Note;
    std::string Address;
    std::string Language;
    double Threshold = 0;
    int64_t Number = 0;  // older-than-hours, weeks, window-hours
    int64_t Second = 0;  // goal-minutes, min-answers, digest-hour
    bool NoMail = false;
    bool NoAlerts = false;
    bool Daily = false;
    bool Weekly = false;
};

// The subcommand `name` of `parent` that makes `method path` with the options it was given.
CLI::App* Call(CLI::App& parent, const char* name, const char* help,
               const std::function<void(CLI::App&)>& add_db) {
    CLI::App* command = parent.add_subcommand(name, help);
    add_db(*command);
    return command;
}

void AddQuery(LoopCall& call, const CLI::App& command, const char* flag, const char* parameter,
              const std::string& value) {
    if (command.count(flag) > 0) {
        call.Query[parameter] = value;
    }
}

}  // namespace

void AddMailFlags(CLI::App& serve, MailFlags& flags) {
    serve.add_option("--smtp-url", flags.SmtpUrl,
                     "Mail: send alerts and digests through this SMTP server, smtp://HOST:PORT "
                     "(STARTTLS when offered) or smtps://HOST:PORT");
    serve.add_option("--smtp-from", flags.From, "Mail: the sender's address");
    serve.add_option("--smtp-user", flags.User, "Mail: sign in to the SMTP server as this user");
    serve
        .add_option("--smtp-password-file", flags.PasswordFile,
                    "Mail: a file holding the SMTP password (one line)")
        ->check(CLI::ExistingFile);
    serve
        .add_option("--smtp-tls", flags.Tls,
                    "Mail over smtp://: 'try' STARTTLS, or 'required' (refuse to send in clear)")
        ->check(CLI::IsMember({"try", "required"}))
        ->capture_default_str();
    serve
        .add_option("--smtp-ca-file", flags.CaFile,
                    "Mail: trust this CA certificate (PEM) for the SMTP server")
        ->check(CLI::ExistingFile);
    serve
        .add_option("--mail-retry-seconds", flags.RetrySeconds,
                    "Mail: the first wait after a failed send; it doubles up to an hour")
        ->check(CLI::Range(int64_t{1}, int64_t{3600}))
        ->capture_default_str();
    serve.add_option("--dashboard-url", flags.DashboardUrl,
                     "The dashboard's address as recipients reach it, for the link in mails");
    serve
        .add_option("--alert-goal", flags.AlertGoalMinutes,
                    "Alerts: minutes within which an alert should be resolved")
        ->check(CLI::Range(int64_t{1}, int64_t{7 * 24 * 60}))
        ->capture_default_str();
    serve
        .add_option("--alert-scan", flags.ScanSeconds,
                    "Alerts: seconds between looks at new answers for the alert rules")
        ->check(CLI::Range(int64_t{1}, int64_t{3600}))
        ->capture_default_str();
}

std::optional<std::string> FinishMailFlags(const MailFlags& flags, ServeOptions& serve) {
    serve.AlertGoalMinutes = flags.AlertGoalMinutes;
    serve.Alerts.ScanMs = flags.ScanSeconds * 1000;
    if (flags.SmtpUrl.empty()) {
        for (const auto& [given, name] : {std::pair{&flags.From, "--smtp-from"},
                                          {&flags.User, "--smtp-user"},
                                          {&flags.PasswordFile, "--smtp-password-file"}}) {
            if (!given->empty()) {
                return std::string(name) + " needs --smtp-url";
            }
        }
        return std::nullopt;
    }
    MailOptions mail;
    mail.Smtp.Url = flags.SmtpUrl;
    mail.Smtp.From = flags.From;
    mail.Smtp.User = flags.User;
    mail.Smtp.Tls = flags.Tls == "required" ? SmtpTls::Required : SmtpTls::Try;
    mail.Smtp.CaFile = flags.CaFile;
    if (!flags.PasswordFile.empty()) {
        std::ifstream file(flags.PasswordFile);
        std::getline(file, mail.Smtp.Password);
        if (!file && mail.Smtp.Password.empty()) {
            return "--smtp-password-file " + flags.PasswordFile + " cannot be read";
        }
        if (mail.Smtp.Password.empty()) {
            return "--smtp-password-file " + flags.PasswordFile + " holds no password";
        }
    }
    if (flags.From.empty()) {
        SmtpSettings url_only = mail.Smtp;
        url_only.From = "doorstep@localhost";  // a problem with the URL is named first
        return SmtpSettingsProblem(url_only).value_or(
            "--smtp-url needs --smtp-from, the address mails are sent from");
    }
    if (std::optional<std::string> problem = SmtpSettingsProblem(mail.Smtp)) {
        return problem;
    }
    mail.Identity.From = flags.From;
    mail.Identity.DashboardUrl = flags.DashboardUrl;
    mail.FirstRetryMs = flags.RetrySeconds * 1000;
    serve.Mail = mail;
    return std::nullopt;
}

void AddLoopCommands(CLI::App& app, ServerCommandLine& parsed,
                     const std::function<void(CLI::App&)>& add_db) {
    auto flags = std::make_shared<LoopFlags>();
    LoopCall& call = parsed.Loop;
    auto chosen = [&parsed](const char* method, std::string path) {
        parsed.Which = ServerCommand::Loop;
        parsed.Loop.Method = method;
        parsed.Loop.Path = std::move(path);
    };
    std::string by_help = "Who acts, for the record (default: cli:$USER)";

    CLI::App* alerts = app.add_subcommand("alerts", "The alerts inbox: list, acknowledge, resolve");
    alerts->require_subcommand(1);
    add_db(*alerts);  // --db before the verb too
    CLI::App* list = Call(*alerts, "list", "List alerts, newest first", add_db);
    list->add_option("--state", flags->State,
                     "open (not resolved; default), unacknowledged, acknowledged, resolved, all");
    list->add_option("--store", flags->Store, "Only this store");
    list->add_option("--kind", flags->Kind, "Only this kind: trend, low_score, low_intent, ...");
    list->add_option("--older-than-hours", flags->Number, "Only alerts opened this long ago");
    list->callback([=, &call] {
        chosen("GET", "/api/alerts");
        AddQuery(call, *list, "--state", "state", flags->State);
        AddQuery(call, *list, "--store", "store", flags->Store);
        AddQuery(call, *list, "--kind", "kind", flags->Kind);
        AddQuery(call, *list, "--older-than-hours", "older_than_hours",
                 std::to_string(flags->Number));
    });
    CLI::App* times =
        Call(*alerts, "times", "Time to acknowledge and resolve, per store and week", add_db);
    times->add_option("--weeks", flags->Number, "How many weeks back (8)");
    times->add_option("--goal-minutes", flags->Second, "The goal time (the server's --alert-goal)");
    times->callback([=, &call] {
        chosen("GET", "/api/alerts/times");
        AddQuery(call, *times, "--weeks", "weeks", std::to_string(flags->Number));
        AddQuery(call, *times, "--goal-minutes", "goal_minutes", std::to_string(flags->Second));
    });
    CLI::App* show = Call(*alerts, "show", "Show one alert", add_db);
    show->add_option("ID", flags->Id, "The alert's id")->required();
    show->callback([=] { chosen("GET", "/api/alerts/" + flags->Id); });
    for (const char* act : {"ack", "resolve"}) {
        bool ack = std::string(act) == "ack";
        CLI::App* acting = Call(
            *alerts, act,
            ack ? "Acknowledge an alert: someone is on it" : "Resolve an alert: it is dealt with",
            add_db);
        acting->add_option("ID", flags->Id, "The alert's id")->required();
        acting->add_option("--note", flags->Note, "A short note: what was done");
        acting->add_option("--by", parsed.By, by_help);
        acting->callback([=, &call] {
            chosen("POST", "/api/alerts/" + flags->Id + (ack ? "/acknowledge" : "/resolve"));
            call.Body = nlohmann::json{{"note", flags->Note}}.dump();
        });
    }

    CLI::App* rules = app.add_subcommand("alert-rule", "Alert rules: add, list, remove");
    rules->require_subcommand(1);
    add_db(*rules);  // --db before the verb too
    CLI::App* add =
        Call(*rules, "add", "Add an alert rule (docs/server.md, \"Alert rules\")", add_db);
    add->add_option("--kind", flags->Kind, "low_score, low_intent, comment or below_goal")
        ->required();
    add->add_option("--store", flags->Store, "Only this store (default: every store)");
    add->add_option("--door", flags->Door, "Only this door (default: every door)");
    add->add_option("--need", flags->Need, "low_score, below_goal: only this need");
    add->add_option("--threshold", flags->Threshold,
                    "low_score: score at most (1-4); low_intent: intent at most (0-9); "
                    "below_goal: the goal (1-5)");
    add->add_option("--window-hours", flags->Number, "below_goal: the rolling window (1-168)");
    add->add_option("--min-answers", flags->Second, "below_goal: scores needed in the window");
    add->add_flag("--no-mail", flags->NoMail, "Do not mail this rule's alerts");
    add->add_option("--by", parsed.By, by_help);
    add->callback([=, &call] {
        chosen("POST", "/api/alert-rules");
        nlohmann::json body{{"kind", flags->Kind}};
        for (auto [flag, member, value] : {std::tuple{"--store", "store", &flags->Store},
                                           {"--door", "door", &flags->Door},
                                           {"--need", "need", &flags->Need}}) {
            if (add->count(flag) > 0) {
                body[member] = *value;
            }
        }
        if (add->count("--threshold") > 0) {
            body["threshold"] = flags->Threshold;
        }
        if (add->count("--window-hours") > 0) {
            body["window_hours"] = flags->Number;
        }
        if (add->count("--min-answers") > 0) {
            body["min_answers"] = flags->Second;
        }
        if (flags->NoMail) {
            body["mail"] = false;
        }
        call.Body = body.dump();
    });
    CLI::App* rule_list = Call(*rules, "list", "The rules in force", add_db);
    rule_list->callback([=] { chosen("GET", "/api/alert-rules"); });
    CLI::App* rule_remove = Call(*rules, "remove", "Remove a rule (its alerts stay)", add_db);
    rule_remove->add_option("ID", flags->Id, "The rule's id")->required();
    rule_remove->callback([=] { chosen("DELETE", "/api/alert-rules/" + flags->Id); });

    CLI::App* recipients = app.add_subcommand("recipient", "Who gets alert mails and digests");
    recipients->require_subcommand(1);
    add_db(*recipients);  // --db before the verb too
    CLI::App* add_recipient = Call(*recipients, "add", "Add a recipient, or change one", add_db);
    add_recipient->add_option("--address", flags->Address, "E-mail address")->required();
    add_recipient->add_option("--store", flags->Store, "Only this store (default: every store)");
    add_recipient->add_option("--language", flags->Language, "en, es, fr, de or el (en)");
    add_recipient->add_flag("--no-alerts", flags->NoAlerts, "No mail for each alert");
    add_recipient->add_flag("--daily", flags->Daily, "A digest every morning");
    add_recipient->add_flag("--weekly", flags->Weekly, "A digest every Monday");
    add_recipient->add_option("--digest-hour", flags->Second, "The store's local hour (7)");
    add_recipient->callback([=, &call] {
        chosen("POST", "/api/recipients");
        nlohmann::json body{{"address", flags->Address},
                            {"alerts", !flags->NoAlerts},
                            {"daily", flags->Daily},
                            {"weekly", flags->Weekly}};
        if (add_recipient->count("--store") > 0) {
            body["store"] = flags->Store;
        }
        if (add_recipient->count("--language") > 0) {
            body["language"] = flags->Language;
        }
        if (add_recipient->count("--digest-hour") > 0) {
            body["digest_hour"] = flags->Second;
        }
        call.Body = body.dump();
    });
    CLI::App* recipient_list = Call(*recipients, "list", "Every recipient", add_db);
    recipient_list->callback([=] { chosen("GET", "/api/recipients"); });
    CLI::App* recipient_remove = Call(*recipients, "remove", "Remove a recipient", add_db);
    recipient_remove->add_option("ID", flags->Id, "The recipient's id")->required();
    recipient_remove->callback([=] { chosen("DELETE", "/api/recipients/" + flags->Id); });

    CLI::App* mail = app.add_subcommand("mail", "The mail outbox");
    mail->require_subcommand(1);
    add_db(*mail);  // --db before the verb too
    CLI::App* mail_list = Call(*mail, "list", "Mails, newest first, with their state", add_db);
    mail_list->add_option("--state", flags->State, "Only pending, sent or failed");
    mail_list->callback([=, &call] {
        chosen("GET", "/api/mail");
        AddQuery(call, *mail_list, "--state", "state", flags->State);
    });
}

int RunLoopCall(const ServerCommandLine& command) {
    std::unique_ptr<ServerStore> store = OpenOrReport(command);
    if (!store) {
        return 1;
    }
    const LoopCall& call = command.Loop;
    std::string file_text;
    if (!call.BodyFile.empty()) {
        std::ifstream file(call.BodyFile, std::ios::binary);
        std::ostringstream text;
        text << file.rdbuf();
        if (!file) {
            std::cerr << "doorstep-server: " << call.BodyFile << " cannot be read\n";
            return 2;
        }
        file_text = text.str();
    }
    ApiRequest request;
    request.Method = call.Method;
    request.Path = call.Path;
    request.Query = call.Query;
    request.Body = call.BodyFile.empty() ? std::string_view(call.Body) : file_text;
    request.Headers["content-type"] = call.ContentType;
    const char* user = std::getenv("USER");
    std::string by = !command.By.empty() ? command.By : "cli:" + std::string(user ? user : "root");
    // No contact key: the command line never shows a customer's contact.
    LoopApi api(*store, kDefaultAlertGoalMinutes, WallClockMs, ContactKeyPair{});
    std::optional<ApiReply> reply = api.Handle(request, by);
    if (!reply) {
        reply = HandleLinkageApi(*store, request, by, WallClockMs());
    }
    if (!reply) {
        std::cerr << "doorstep-server: no such command\n";
        return 2;
    }
    if (reply->Status < 400 && !reply->ContentType.starts_with("application/json")) {
        std::cout << reply->Body;
        return 0;
    }
    nlohmann::json answer = nlohmann::json::parse(reply->Body, nullptr, false);
    if (reply->Status >= 400) {
        if (answer.is_object() && answer.contains("problems")) {
            const std::string message = answer.value("message", "");
            std::cerr << "doorstep-server: " << message.substr(0, message.find(": ")) << "; "
                      << call.BodyFile << " has these problems:\n";
            for (const nlohmann::json& problem : answer["problems"]) {
                std::cerr << "  line " << problem.value("line", 0) << ": "
                          << problem.value("reason", "") << "\n";
            }
            if (answer.value("more_problems", 0) > 0) {
                std::cerr << "  ... and " << answer.value("more_problems", 0) << " more\n";
            }
            return 2;
        }
        std::string message =
            answer.is_object() ? answer.value("message", reply->Body) : reply->Body;
        std::cerr << "doorstep-server: " << message << "\n";
        return reply->Status >= 500 ? 1 : 2;
    }
    std::cout << answer.dump(2) << "\n";
    return 0;
}

}  // namespace doorstep::server
