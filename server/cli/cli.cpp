#include "server/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>

#include "core/base/paths.hpp"
#include "core/service/json_config.hpp"
#include "server/cli/loop_cli.hpp"
#include "server/fleet/enrollment.hpp"
#include "server/reports/export_csv.hpp"
#include "server/store/open/open_store.hpp"

namespace doorstep::server {
namespace {

const CLI::Validator kDbUrl(
    [](std::string& value) -> std::string { return StoreUrlProblem(value).value_or(""); }, "URL");

const CLI::Validator kListen(
    [](std::string& value) -> std::string {
        if (!ParseListenAddress(value)) {
            return "expected HOST:PORT with a port from 0 to 65535, like 127.0.0.1:8470 or "
                   "[::1]:8470, got '" +
                   value + "'";
        }
        return {};
    },
    "HOST:PORT");

const CLI::Validator kDate(
    [](std::string& value) -> std::string {
        if (!ParseUtcDate(value)) {
            return "expected a date as YYYY-MM-DD (UTC), like 2026-11-24, got '" + value + "'";
        }
        return {};
    },
    "YYYY-MM-DD");

CLI::Validator NameValidator(const std::string& what) {
    return CLI::Validator(
        [what](std::string& value) -> std::string { return NameProblem(what, value).value_or(""); },
        "NAME");
}

void AddDbOption(CLI::App& command, std::string& db_url) {
    command.add_option("--db", db_url, "Database URL: sqlite:PATH")
        ->check(kDbUrl)
        ->capture_default_str();
}

}  // namespace

std::optional<ListenAddress> ParseListenAddress(std::string_view text) {
    std::string_view host;
    std::string_view port;
    if (text.starts_with('[')) {
        size_t close = text.find("]:");
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        size_t colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon) {
            return std::nullopt;  // no port, or an IPv6 address without brackets
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    int number = -1;
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (host.empty() || port.empty() || error != std::errc() || end != port.data() + port.size() ||
        number < 0 || number > 65535) {
        return std::nullopt;
    }
    return ListenAddress{std::string(host), number};
}

std::optional<ServerCommandLine> ParseServerCommandLine(int argc, char** argv, int& exit_code) {
    ServerCommandLine parsed;
    CLI::App app{"Doorstep head-office server: receives every kiosk answer exactly once.",
                 "doorstep-server"};
    app.set_version_flag("--version", DOORSTEP_VERSION);
    app.require_subcommand(1);
    app.fallthrough();  // `serve --config FILE` as well as `--config FILE serve`

    CLI::App* serve = app.add_subcommand("serve", "Answer kiosks over HTTP(S) until SIGTERM");
    std::string listen = std::string(kDefaultListen);
    AddDbOption(*serve, parsed.DbUrl);
    serve->add_option("--listen", listen, "Address to listen on, HOST:PORT (port 0: any free one)")
        ->check(kListen)
        ->capture_default_str();
    CLI::Option* cert = serve
                            ->add_option("--tls-cert", parsed.Serve.TlsCertPath,
                                         "TLS certificate chain (PEM); serve HTTPS")
                            ->check(CLI::ExistingFile);
    CLI::Option* key =
        serve->add_option("--tls-key", parsed.Serve.TlsKeyPath, "TLS private key (PEM)")
            ->check(CLI::ExistingFile);
    cert->needs(key);
    key->needs(cert);
    AlertOptions& alerts = parsed.Serve.Alerts;
    serve
        ->add_option("--alert-hours", alerts.Rules.WindowHours,
                     "Alerts: the recent window, in local hours")
        ->check(CLI::Range(1, 24))
        ->capture_default_str();
    serve
        ->add_option("--alert-drop", alerts.Rules.Drop,
                     "Alerts: how far below its 4-week baseline a mean score must fall (1-5 scale)")
        ->check(CLI::Range(0.1, 4.0))
        ->capture_default_str();
    serve
        ->add_option("--alert-min-answers", alerts.Rules.MinAnswers,
                     "Alerts: scores needed in the window and in the baseline")
        ->check(CLI::Range(int64_t{5}, int64_t{100000}))
        ->capture_default_str();
    int64_t alert_interval_s = alerts.IntervalMs / 1000;
    serve->add_option("--alert-interval", alert_interval_s, "Alerts: seconds between evaluations")
        ->check(CLI::Range(int64_t{1}, int64_t{86400}))
        ->capture_default_str();
    serve
        ->add_option("--alert-webhook", alerts.WebhookUrl,
                     "Alerts: POST each new alert as JSON to this http(s) URL")
        ->check([](const std::string& url) {
            return url.starts_with("http://") || url.starts_with("https://")
                       ? std::string()
                       : "--alert-webhook must be an http:// or https:// URL";
        });

    MailFlags mail_flags;
    AddMailFlags(*serve, mail_flags);

    serve
        ->add_option("--retention-days", parsed.Serve.Retention.Days,
                     "Delete answers older than this many days, every hour (0: keep them all)")
        ->check(CLI::Range(0, 36500))
        ->capture_default_str();
    serve
        ->add_option("--contact-key", parsed.Serve.ContactKeyPath,
                     "Head office's contact key file (0600; made at first start). Default: beside "
                     "the SQLite file, or in the data directory for PostgreSQL")
        ->check(CLI::NonexistentPath | CLI::ExistingFile);
    serve
        ->add_option("--contact-days", parsed.Serve.Retention.ContactDays,
                     "Delete customers' contacts this many days after they were left (1-365)")
        ->check(CLI::Range(1, 365))
        ->capture_default_str();

    CLI::App* enroll =
        app.add_subcommand("enroll", "Print a one-time code that enrolls one kiosk at a door");
    AddDbOption(*enroll, parsed.DbUrl);
    enroll->add_option("--store", parsed.Store, "Store name, e.g. lisbon-chiado")
        ->required()
        ->check(NameValidator("store"));
    enroll->add_option("--door", parsed.Door, "Door (touchpoint) name, e.g. checkout")
        ->required()
        ->check(NameValidator("door"));
    enroll->add_option("--expires", parsed.ExpiresHours, "Hours until the code expires")
        ->check(CLI::Range(int64_t{1}, int64_t{24 * 30}))
        ->capture_default_str();

    CLI::App* revoke = app.add_subcommand("revoke", "Refuse every further request from a device");
    AddDbOption(*revoke, parsed.DbUrl);
    revoke->add_option("--device", parsed.DeviceId, "Device id, e.g. dev_5f0c9a2e61b84d7e")
        ->required();

    CLI::App* devices = app.add_subcommand(
        "devices", "List devices with last contact, backlog and missing sequence numbers");
    AddDbOption(*devices, parsed.DbUrl);

    CLI::App* exporter = app.add_subcommand("export", "Write the stored responses as CSV");
    std::string from;
    std::string to;
    AddDbOption(*exporter, parsed.DbUrl);
    exporter->add_option("--out", parsed.OutPath, "CSV file to write")->required();
    exporter->add_option("--from", from, "First day (UTC) of started_at, inclusive")->check(kDate);
    exporter->add_option("--to", to, "Last day (UTC) of started_at, inclusive")->check(kDate);
    exporter->add_option("--store", parsed.Export.Store, "Only this store");

    CLI::App* add_user = app.add_subcommand(
        "add-user", "Create a head-office user; the password is read from standard input");
    AddDbOption(*add_user, parsed.DbUrl);
    add_user->add_option("--name", parsed.UserName, "User name, e.g. ana@example.com")->required();
    add_user
        ->add_option("--store", parsed.UserStores,
                     "A store whose customers' contacts the user may see (repeatable)")
        ->check(NameValidator("store"));

    CLI::App* user_stores = app.add_subcommand(
        "user-stores", "Show or set the stores whose customers' contacts a user may see");
    AddDbOption(*user_stores, parsed.DbUrl);
    user_stores->add_option("NAME", parsed.UserName, "The user")->required();
    CLI::Option* set_stores =
        user_stores->add_option("--store", parsed.UserStores, "The user's stores from now on")
            ->check(NameValidator("store"));
    user_stores->add_flag("--clear", parsed.ClearUserStores, "The user belongs to no store")
        ->excludes(set_stores);

    CLI::App* add_token =
        app.add_subcommand("add-token", "Print a new API token for a user's scripts (shown once)");
    AddDbOption(*add_token, parsed.DbUrl);
    add_token->add_option("--user", parsed.UserName, "The user the token acts as")->required();
    add_token->add_option("--label", parsed.TokenLabel, "What the token is for, e.g. nightly-bi")
        ->required();

    CLI::App* purge = app.add_subcommand(
        "purge", "Delete the answers from before a day (retention), with their rollups");
    std::string purge_before;
    AddDbOption(*purge, parsed.DbUrl);
    purge->add_option("--before", purge_before, "First day (the stores' local days) to keep")
        ->required()
        ->check(kDate);
    purge->add_flag("--yes", parsed.PurgeConfirmed,
                    "Really delete; without it, only say what would be deleted");

    CLI::App* survey =
        app.add_subcommand("survey", "Publish, list and roll back survey definitions");
    survey->require_subcommand(1);
    AddDbOption(*survey, parsed.DbUrl);  // before or after the action: `survey --db URL list`
    const char* by_help = "Who publishes, for the record (default: $USER)";
    CLI::App* publish = survey->add_subcommand(
        "publish", "Check a definition and publish it as the scope's next version");
    AddDbOption(*publish, parsed.DbUrl);
    publish->add_option("FILE", parsed.SurveyPath, "Survey definition (JSON)")->required();
    publish->add_option("--store", parsed.Store, "Only this store (default: every store)");
    publish->add_option("--door", parsed.Door, "Only this door (default: every door)");
    publish->add_option("--by", parsed.By, by_help);
    CLI::App* list = survey->add_subcommand("list", "Which survey version each scope runs");
    AddDbOption(*list, parsed.DbUrl);
    CLI::App* rollback = survey->add_subcommand(
        "rollback", "Put a scope back on the version it ran before (or on --to)");
    AddDbOption(*rollback, parsed.DbUrl);
    rollback->add_option("--store", parsed.Store, "The scope's store (default: every store)");
    rollback->add_option("--door", parsed.Door, "The scope's door (default: every door)");
    rollback->add_option("--to", parsed.SurveyTo, "This version instead of the previous one")
        ->check(CLI::PositiveNumber);
    rollback->add_option("--by", parsed.By, by_help);

    // server.json's keys are serve's flags; --db reaches every other command too.
    auto add_db = [&parsed](CLI::App& command) { AddDbOption(command, parsed.DbUrl); };
    AddLoopCommands(app, parsed, add_db);
    AddLinkageCommands(app, parsed, add_db);
    AddJsonConfig(app, *serve, DefaultConfigPath("server.json"));
    if (std::optional<int> exit_now = ParseArguments(app, argc, argv)) {
        exit_code = *exit_now;
        return std::nullopt;
    }
    if (!from.empty() && !to.empty() && *ParseUtcDate(from) > *ParseUtcDate(to)) {
        std::cerr << "--from " << from << " is after --to " << to
                  << "\nRun with --help for more information.\n";
        exit_code = 2;
        return std::nullopt;
    }

    if (parsed.Which == ServerCommand::Loop) {
        // set by the loop subcommand's callback (loop_cli.cpp)
    } else if (*serve) {
        parsed.Which = ServerCommand::Serve;
        if (std::optional<std::string> problem = FinishMailFlags(mail_flags, parsed.Serve)) {
            std::cerr << *problem << "\nRun with --help for more information.\n";
            exit_code = 2;
            return std::nullopt;
        }
        ListenAddress address = *ParseListenAddress(listen);
        parsed.Serve.Host = address.Host;
        parsed.Serve.Port = address.Port;
        parsed.Serve.Alerts.IntervalMs = alert_interval_s * 1000;
    } else if (*enroll) {
        parsed.Which = ServerCommand::Enroll;
    } else if (*revoke) {
        parsed.Which = ServerCommand::Revoke;
    } else if (*devices) {
        parsed.Which = ServerCommand::Devices;
    } else if (*add_user) {
        parsed.Which = ServerCommand::AddUser;
    } else if (*user_stores) {
        parsed.Which = ServerCommand::UserStores;
    } else if (*add_token) {
        parsed.Which = ServerCommand::AddToken;
    } else if (*publish) {
        parsed.Which = ServerCommand::SurveyPublish;
    } else if (*list) {
        parsed.Which = ServerCommand::SurveyList;
    } else if (*rollback) {
        parsed.Which = ServerCommand::SurveyRollback;
    } else if (*purge) {
        parsed.Which = ServerCommand::Purge;
        parsed.PurgeBeforeDay = *ParseUtcDate(purge_before) / 86'400'000;
    } else {
        parsed.Which = ServerCommand::Export;
        if (!from.empty()) {
            parsed.Export.StartedFromMs = *ParseUtcDate(from);
        }
        if (!to.empty()) {
            parsed.Export.StartedUntilMs = *ParseUtcDate(to) + 86'400'000;  // the whole last day
        }
    }
    exit_code = 0;
    return parsed;
}

}  // namespace doorstep::server
