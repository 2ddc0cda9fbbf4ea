// doorstep-server outcomes import|list, store-groups set|list, linkage and drivers: each one call
// of linkage_api.hpp made in-process (RunLoopCall), so the command line checks and answers exactly
// as the API.
#include <memory>

#include "server/cli/loop_cli.hpp"

namespace doorstep::server {
namespace {

struct LinkageFlags {
    std::string From;
    std::string To;
    std::string Store;
    std::string Outcome;
    int Lag = 0;
    bool Csv = false;
};

// The report filter's flags, and --csv.
void AddReportFlags(CLI::App& command, LinkageFlags& flags) {
    command.add_option("--from", flags.From,
                       "First week's day, YYYY-MM-DD (default: 104 weeks back)");
    command.add_option("--to", flags.To, "Last day, YYYY-MM-DD (default: today)");
    command.add_option("--store", flags.Store, "Only this store");
    command.add_flag("--csv", flags.Csv, "CSV instead of JSON");
}

void ReportQuery(LoopCall& call, const LinkageFlags& flags) {
    for (const auto& [parameter, value] :
         {std::pair{"from", &flags.From}, {"to", &flags.To}, {"store", &flags.Store}}) {
        if (!value->empty()) {
            call.Query[parameter] = *value;
        }
    }
}

}  // namespace

void AddLinkageCommands(CLI::App& app, ServerCommandLine& parsed,
                        const std::function<void(CLI::App&)>& add_db) {
    auto flags = std::make_shared<LinkageFlags>();
    LoopCall& call = parsed.Loop;
    auto chosen = [&parsed](const char* method, std::string path) {
        parsed.Which = ServerCommand::Loop;
        parsed.Loop.Method = method;
        parsed.Loop.Path = std::move(path);
    };

    CLI::App* outcomes = app.add_subcommand(
        "outcomes", "Lagging figures per store and day (sales, footfall, ...): import, list");
    outcomes->require_subcommand(1);
    add_db(*outcomes);
    CLI::App* import = outcomes->add_subcommand(
        "import",
        "Import a CSV of store,date,<metric>...: all of it, or nothing and every problem");
    add_db(*import);
    import->add_option("FILE", call.BodyFile, "The CSV file")->required()->check(CLI::ExistingFile);
    import->add_option("--by", parsed.By, "Who imports, for the record (default: cli:$USER)");
    import->callback([=, &call] {
        chosen("POST", "/api/outcomes");
    call.ContentType = "text/csv";
});
CLI::App* list = outcomes->add_subcommand("list", "The metrics imported so far");
add_db(*list);
list->callback([=] { chosen("GET", "/api/outcomes"); });

CLI::App* groups = app.add_subcommand(
    "store-groups", "Head office's groups of stores (regions, formats) for the key drivers");
groups->require_subcommand(1);
add_db(*groups);
CLI::App* set_groups = groups->add_subcommand(
    "set",
    "Replace the grouping with a CSV of store,group: all of it, or nothing and every "
    "problem");
add_db(*set_groups);
set_groups->add_option("FILE", call.BodyFile, "The CSV file")->required()->check(CLI::ExistingFile);
set_groups->add_option("--by", parsed.By, "Who sets them, for the record (default: cli:$USER)");
set_groups->callback([=, &call] {
    chosen("PUT", "/api/store-groups");
    call.ContentType = "text/csv";
});
CLI::App* list_groups =
    groups->add_subcommand("list", "Each store's group, and the stores in none");
add_db(*list_groups);
list_groups->callback([=] { chosen("GET", "/api/store-groups"); });

CLI::App* linkage =
    app.add_subcommand("linkage", "Needs and intent against each outcome, at lags of 0-8 weeks");
add_db(*linkage);
AddReportFlags(*linkage, *flags);
linkage->callback([=, &call] {
    chosen("GET", flags->Csv ? "/api/linkage.csv" : "/api/reports/linkage");
    ReportQuery(call, *flags);
});

CLI::App* drivers = app.add_subcommand("drivers", "Which needs drive intent (or an outcome) most");
add_db(*drivers);
AddReportFlags(*drivers, *flags);
drivers->add_option("--outcome", flags->Outcome, "intent (default) or an outcome's name");
drivers->add_option("--lag", flags->Lag, "The outcome this many weeks later (0-8)")
    ->check(CLI::Range(0, 8));
drivers->callback([=, &call] {
    chosen("GET", flags->Csv ? "/api/drivers.csv" : "/api/reports/drivers");
    ReportQuery(call, *flags);
    if (!flags->Outcome.empty()) {
        call.Query["outcome"] = flags->Outcome;
    }
    call.Query["lag"] = std::to_string(flags->Lag);
});
}  // namespace doorstep::server

}  // namespace doorstep::server
