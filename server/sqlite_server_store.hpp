// ServerStore on one SQLite file: WAL, synchronous=FULL, versioned migrations, mode 0600.
// (States, transitions and invariants: see the header comment of sqlite_server_store.cpp.)
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "server_store.hpp"

struct sqlite3;

namespace doorstep::server {

struct BatchStatements;  // sqlite_batch_statements.hpp

// One connection, used by one thread at a time under Mutex_: SQLite runs one writer at a time
// anyway, and a batch is a handful of milliseconds. Other processes (the command-line tools) open
// their own connection; WAL lets them read while the server writes, and busy_timeout makes
// writers queue instead of failing.
class SqliteServerStore final : public ServerStore {
  public:
    // Creates the file (and a missing parent directory, 0700) when needed, makes it 0600, applies
    // the pragmas and every pending migration.
    static Result<std::unique_ptr<SqliteServerStore>> Open(const std::string& path,
                                                           const StoreOpenOptions& options = {});
    ~SqliteServerStore() override;
    SqliteServerStore(const SqliteServerStore&) = delete;
    SqliteServerStore& operator=(const SqliteServerStore&) = delete;

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

    // "ok" when `PRAGMA integrity_check` passes, otherwise its report.
    Result<std::string> IntegrityCheck();
    int SchemaVersion() const { return SchemaVersion_; }
    const std::string& Path() const { return Path_; }

  private:
    SqliteServerStore(sqlite3* db, std::string path);
    // The *Locked helpers expect Mutex_ held (and, where it matters, a transaction open).
    Result<std::optional<DeviceRecord>> FindDeviceLocked(std::string_view device_id);
    Result<std::optional<HeartbeatRecord>> LastHeartbeatLocked(std::string_view device_id);
    Result<Completeness> CompletenessLocked(std::string_view device_id);

    std::mutex Mutex_;
    sqlite3* Db_;
    std::unique_ptr<BatchStatements> Batch_;  // StoreBatch's statements, kept once prepared
    std::string Path_;
    int SchemaVersion_ = 0;
};

}  // namespace doorstep::server
