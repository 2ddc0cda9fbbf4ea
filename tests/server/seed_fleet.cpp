// doorstep-test-seed-fleet: fills a running doorstep-server with the planted fleet
// (tests/support/planted_fleet.hpp) for the dashboard's linkage test (tests/web/linkage.test.mjs).
// Each store gets a terminal at its entrance, enrolled with a code from `SERVER enroll`, which
// sends all the store's answers as one signed batch; the fleet's outcomes CSV is written to a
// file for the browser to upload. The fleet's last outcomes fall in last week.
// Usage: doorstep-test-seed-fleet SERVER_BIN DB_URL PORT OUTCOMES_CSV
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "core/base/clock.hpp"
#include "planted_fleet.hpp"
#include "sync_client.hpp"

namespace {

using doorstep::testing::Credentials;
using doorstep::testing::Outgoing;
using doorstep::testing::Reply;
using doorstep::testing::SyncClient;

constexpr int64_t kDayMs = 86'400'000;

std::string Quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

// An enrollment code from the server's command line; empty when it failed.
std::string MakeCode(const std::string& server, const std::string& db, const std::string& store) {
    const std::string command = Quoted(server) + " enroll --db " + Quoted(db) + " --store " +
                                Quoted(store) + " --door entrance";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return "";
    }
    std::string output;
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
        output += buffer;
    }
    if (pclose(pipe) != 0) {
        return "";
    }
    return output.substr(0, output.find('\n'));
}

bool Seed(const std::string& server, const std::string& db, int port, const std::string& csv) {
    doorstep::testing::PlantedFleet fleet;
    fleet.Stores = 12;
    const int64_t today = doorstep::WallClockMs() / kDayMs;
    const int64_t monday = today - (today + 3) % 7;  // 1970-01-01 was a Thursday
    fleet.FirstMonday = monday - 7 * (fleet.Weeks + doorstep::testing::kSalesLagWeeks + 1);
    const doorstep::testing::FleetData data = doorstep::testing::MakePlantedFleet(fleet);
    const SyncClient client(port);
    for (const auto& [store, answers] : data.Answers) {
        const std::string code = MakeCode(server, db, store);
        if (code.empty()) {
            std::cerr << "seed-fleet: no enrollment code for " << store << "\n";
            return false;
        }
        Outgoing enroll{.Path = "/v1/enroll", .Body = doorstep::testing::EnrollBody(code)};
        const Reply enrolled = client.SendUnsigned(enroll);
        if (enrolled.Status != 200) {
            std::cerr << "seed-fleet: enroll " << store << ": " << enrolled.Body << "\n";
            return false;
        }
        const Credentials kiosk{enrolled.Json["device_id"].get<std::string>(),
                                enrolled.Json["device_secret"].get<std::string>()};
        Outgoing batch{.Body = doorstep::testing::BatchBody(kiosk.DeviceId, answers, 1)};
        const Reply sent = client.Send(batch, kiosk);
        if (sent.Status != 200) {
            std::cerr << "seed-fleet: answers of " << store << ": " << sent.Body << "\n";
            return false;
        }
    }
    std::ofstream file(csv);
    file << data.OutcomesCsv;
    file.close();
    if (!file) {
        std::cerr << "seed-fleet: cannot write " << csv << "\n";
        return false;
    }
    std::cout << data.Answers.size() << " stores seeded; outcomes in " << csv << "\n";
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: doorstep-test-seed-fleet SERVER_BIN DB_URL PORT OUTCOMES_CSV\n";
        return 2;
    }
    return Seed(argv[1], argv[2], std::stoi(argv[3]), argv[4]) ? 0 : 1;
}
