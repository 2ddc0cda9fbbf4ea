#include "server/store/retention_service.hpp"

#include "core/base/clock.hpp"
#include "core/base/log.hpp"
#include "server/store/report_filter.hpp"

namespace doorstep::server {

namespace {
constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
}

RetentionService::RetentionService(ServerStore& store, RetentionOptions options, Clock clock)
    : Store_(store), Options_(options), Clock_(clock ? std::move(clock) : Clock(WallClockMs)) {}

int64_t RetentionService::FirstKeptDay() const {
    return Clock_() / kDayMs - Options_.Days;
}

int64_t RetentionService::ContactsLeftBeforeMs() const {
    return Clock_() - Options_.ContactKeepDays() * kDayMs;
}

Result<int64_t> RetentionService::ExpireContacts() {
    Result<int64_t> deleted = Store_.DeleteContactsLeftBefore(ContactsLeftBeforeMs());
    if (!deleted.Ok()) {
        Log(LogLevel::Error, "retention", "deleting expired contacts failed; the next run does it",
            {{"error", deleted.Err().Message}});
    } else if (*deleted > 0) {
        Log(LogLevel::Info, "retention", "deleted expired contacts",
            {{"contacts", std::to_string(*deleted)}});
    }
    return deleted;
}

Result<PurgeCounts> RetentionService::PurgeExpired() {
    if (Options_.Days <= 0) {
        return PurgeCounts{};
    }
    int64_t first_kept = FirstKeptDay();
    Result<PurgeCounts> purged = Store_.Purge(first_kept);
    if (!purged.Ok()) {
        Log(LogLevel::Error, "retention", "purge failed; the next one finishes it",
            {{"before", DayToIsoDate(first_kept)}, {"error", purged.Err().Message}});
    } else if (purged->Answers > 0) {
        Log(LogLevel::Info, "retention", "purged expired answers",
            {{"before", DayToIsoDate(first_kept)},
             {"answers", std::to_string(purged->Answers)},
             {"comments", std::to_string(purged->Comments)},
             {"rollup_rows", std::to_string(purged->RollupRows)}});
    }
    return purged;
}

void RetentionService::Start() {
    Worker_.Start([this] {
        (void)ExpireContacts();  // each logs its own failure; the next run finishes the job
        (void)PurgeExpired();
        return Options_.IntervalMs;
    });
}

}  // namespace doorstep::server
