// ServerStore on PostgreSQL through libpq: every piece of state in the database, so several
// doorstep-server processes can serve behind a load balancer against one database.
// (States, transitions, invariants and what guards each against other servers: see the header
// comment of pg_server_store.cpp.)
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "pg_connection.hpp"
#include "server_store.hpp"

namespace doorstep::server {

// A pool of connections, one per thread in a call at a time; each call runs in its own
// transaction on the connection it takes. Other processes hold their own pools.
class PgServerStore final : public ServerStore {
  public:
    // Connects, then applies every pending migration under an advisory lock. `url` is a libpq
    // connection URI (postgresql://USER:PASSWORD@HOST:PORT/DATABASE?...).
    static Result<std::unique_ptr<PgServerStore>> Open(const std::string& url);

    // How many of the newest answers a word search walks before it asks the word index
    // (pg_server_comments.cpp). Tests make it small to reach every path; set it before use.
    static constexpr int64_t kDefaultSearchWalk = 50'000;
    void SetSearchWalk(int64_t answers) { SearchWalk_ = answers; }

    Status AddEnrollmentCode(const EnrollmentCodeRecord& code) override;
    Result<std::optional<DeviceRecord>> RedeemEnrollmentCode(std::string_view code_hash,
                                                             std::string_view device_id,
                                                             std::string_view secret_hex,
                                                             int64_t now_ms) override;
    Result<std::optional<DeviceRecord>> FindDevice(std::string_view device_id) override;
    Result<bool> RevokeDevice(std::string_view device_id, int64_t now_ms) override;

    Result<bool> RememberNonce(std::string_view device_id, std::string_view nonce,
                               int64_t now_ms) override;
    Result<BatchOutcome> StoreBatch(std::string_view device_id,
                                    const std::vector<IncomingResponse>& items,
                                    int64_t received_at_ms) override;
    Status SaveHeartbeat(const Heartbeat& heartbeat, int64_t received_at_ms) override;

    Result<bool> AddUser(const UserRecord& user) override;
    Result<std::optional<UserRecord>> FindUser(std::string_view name) override;
    Status AddToken(const TokenRecord& token) override;
    Result<std::optional<TokenRecord>> FindToken(std::string_view token_hash) override;
    Result<bool> RevokeToken(std::string_view token_hash, int64_t now_ms) override;
    Result<LoginThrottle> FindLoginThrottle(std::string_view name) override;
    Status SaveLoginThrottle(std::string_view name, const LoginThrottle& throttle,
                             int64_t now_ms) override;
    Status ClearLoginThrottle(std::string_view name) override;

    Result<std::vector<ScoreTotals>> SumScores(const ReportFilter& filter,
                                               ReportGroup group) override;
    Result<std::vector<AnswerTotals>> SumAnswers(const ReportFilter& filter,
                                                 ReportGroup group) override;
    Result<std::vector<LeastMetTotal>> SumLeastMet(const ReportFilter& filter) override;
    Result<std::vector<HourTotals>> SumHours(const ReportFilter& filter) override;
    Result<FilterChoices> ListFilterChoices() override;
    Result<CommentPage> ListComments(const ReportFilter& filter) override;

    Result<std::vector<SlotTotals>> SumSlots(int64_t from_day, int64_t to_day) override;
    Result<std::vector<DeviceClock>> ListDeviceClocks() override;
    Result<std::vector<AlertRecord>> ApplyAlertFindings(const std::vector<AlertFinding>& findings,
                                                        int64_t now_ms,
                                                        bool queue_webhook) override;
    Result<std::vector<AlertRecord>> ListAlerts(bool include_resolved, int limit) override;
    Result<std::optional<AlertRecord>> ClaimWebhookDelivery(int64_t now_ms,
                                                            int64_t lease_ms) override;
    Status RecordWebhookAttempt(int64_t alert_id, bool delivered, std::optional<int64_t> next_at_ms,
                                std::string_view error) override;

    Result<PurgeCounts> CountPurge(int64_t before_day) override;
    Result<PurgeCounts> Purge(int64_t before_day) override;

    Result<SurveyVersionRecord> PublishSurvey(std::string_view survey_id, int min_version,
                                              const SurveyRenderer& render, std::string_view store,
                                              std::string_view door, std::string_view by,
                                              int64_t now_ms) override;
    Result<bool> AssignSurvey(std::string_view store, std::string_view door,
                              std::string_view survey_id, int version, std::string_view by,
                              int64_t now_ms) override;
    Result<std::vector<SurveyAssignment>> ListSurveyAssignments(bool history) override;
    Result<std::vector<SurveyVersionRecord>> ListSurveyVersions() override;
    Result<std::optional<SurveyVersionRecord>> FindSurveyVersion(std::string_view survey_id,
                                                                 int version) override;

    Result<Completeness> DeviceCompleteness(std::string_view device_id) override;
    Result<std::vector<DeviceOverview>> ListDevices() override;
    Result<int64_t> CountResponses() override;
    Status ExportResponses(const ExportFilter& filter, ExportSink& sink) override;

    int SchemaVersion() const { return SchemaVersion_; }

  private:
    explicit PgServerStore(const std::string& url) : Pool_(url) {}

    // Runs `work(PgConnection&)` on a pooled connection. A deadlock or serialization failure
    // rolled the work's transaction back whole, so it runs again, a few times at most.
    template <typename Work>
    auto WithConnection(Work work) -> decltype(work(std::declval<PgConnection&>())) {
        constexpr int kAttempts = 4;
        for (int attempt = 1;; ++attempt) {
            Result<PgPool::Lease> lease = Pool_.Acquire();
            if (!lease.Ok()) {
                return lease.Err();
            }
            auto result = work(**lease);
            if (result.Ok() || result.Err().Code != kPgRetryCode || attempt == kAttempts) {
                return result;
            }
        }
    }

    PgPool Pool_;
    int64_t SearchWalk_ = kDefaultSearchWalk;
    int SchemaVersion_ = 0;
};

// Advisory lock keys (the two-int form, first key kPgLockSpace), so other applications sharing
// the database do not collide with ours.
inline constexpr int kPgLockSpace = 0x0d005e9;  // "doorstep"
inline constexpr int kPgLockMigrations = 1;
inline constexpr int kPgLockAlerts = 2;
inline constexpr int kPgLockSurveys = 3;
inline constexpr int kPgLockDeviceSpace = kPgLockSpace + 1;  // second key: hashtext(device_id)

}  // namespace doorstep::server
