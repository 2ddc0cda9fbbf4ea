// The generic SQL store: every part of ServerStore whose statements both databases run alike,
// written once against SqlSession (sql_session.hpp), in the manner of a generic SQL backend. A
// dialect (SqliteServerStore, PgServerStore) supplies the sessions and what differs: the schema
// and its migrations, a batch's inserts and rollups, the comment search, the export and the
// purge.
//
// THE STATES OF WHAT IT KEEPS
//
//   enrollment code   (absent) --AddEnrollmentCode()--> unused --RedeemEnrollmentCode()--> used
//                                                         |
//                                      expires_at_ms passes: expired (no write; Redeem refuses it)
//   device            (absent) --RedeemEnrollmentCode()--> active --RevokeDevice()--> revoked
//   response          (absent) --StoreBatch(), uuid and seq both new for the device--> stored
//                     stored --StoreBatch(), same uuid, same content--> stored (acked again)
//                     stored --StoreBatch(), same uuid or seq, other content--> stored (conflict)
//   nonce             (absent) --RememberNonce()--> remembered --kNonceMemoryMs later--> (pruned)
//   heartbeat         (absent) --SaveHeartbeat()--> latest --SaveHeartbeat()--> latest (replaced)
//   user              (absent) --AddUser()--> active
//   token             (absent) --AddToken()--> valid --RevokeToken()--> revoked
//                     valid --expires_at_ms passes--> expired (kept; refused by accounts.cpp)
//   alert             (absent) --ApplyConditionFindings() / OpenAnswerAlerts()--> open
//                     open --AcknowledgeAlert()--> acknowledged --ResolveAlert()--> resolved
//                     open --ResolveAlert(), or its condition cleared--> resolved
//   contact           (absent) --KeepContacts(), its alert not resolved--> held (sealed)
//                     held --ResolveAlert() of its alert, DeleteContactsLeftBefore()--> (deleted)
//   alert delivery    pending --ClaimWebhookDelivery()--> leased (next_at = now + lease)
//                     leased --RecordWebhookAttempt()--> delivered | pending (later) | failed
//   alert's mail      pending --QueueAlertMails()--> queued (one outbox row per recipient)
//   mail              pending --ClaimMail()--> claimed (next_at = now + lease, claim token)
//                     claimed --MarkMailSent() with its token--> sent
//                     claimed --RecordMailFailure()--> pending (later) | failed
//
// INVARIANTS (each dialect's header comment says what keeps them with several writers)
//   * A code enrolls at most one device: finding it (ForUpdate), creating the device and marking
//     the code used are one writing transaction.
//   * A nonce is accepted once: INSERT ... ON CONFLICT DO NOTHING, and the caller hears "replay"
//     when it touched no row.
//   * At most one holding condition alert per kind, rule, store, door and need:
//     ApplyConditionFindings holds SqlLock::Alerts (and alerts_holding_once says so too).
//   * At most one alert per rule and answer: alerts_once_per_answer, ON CONFLICT DO NOTHING.
//   * No contact outlives its alert's resolution: KeepContacts keeps one only while the alert
//     is unresolved, and ResolveAlert deletes it in the resolving transaction.
//   * A mail is queued once per dedupe key, and marked sent only under the claim that sends it.
//   * A survey version is numbered once: PublishSurvey and AssignSurvey hold SqlLock::Surveys.
//   * Reports of several statements read one snapshot (SqlIsolation::Snapshot).
#pragma once

#include <functional>
#include <optional>
#include <utility>

#include "server/store/server_store.hpp"
#include "server/store/sql_session.hpp"

namespace doorstep::server {

class SqlServerStore : public ServerStore {
  public:
    Status AddEnrollmentCode(const EnrollmentCodeRecord& code) override;
    Result<std::optional<DeviceRecord>> RedeemEnrollmentCode(std::string_view code_hash,
                                                             std::string_view device_id,
                                                             std::string_view secret_hex,
                                                             int64_t now_ms) override;
    Result<std::optional<DeviceRecord>> FindDevice(std::string_view device_id) override;
    Result<bool> RevokeDevice(std::string_view device_id, int64_t now_ms) override;

    Result<bool> RememberNonce(std::string_view device_id, std::string_view nonce,
                               int64_t now_ms) override;
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

    Result<std::vector<SlotTotals>> SumSlots(int64_t from_day, int64_t to_day) override;
    Result<std::vector<DeviceClock>> ListDeviceClocks() override;
    Result<std::vector<AlertRecord>> ApplyConditionFindings(
        std::string_view kind, const std::vector<AlertFinding>& findings, int64_t now_ms,
        bool queue_webhook, bool queue_mail) override;
    using ServerStore::ListAlerts;
    Result<std::vector<AlertRecord>> ListAlerts(const AlertQuery& query) override;
    Result<std::optional<AlertRecord>> ClaimWebhookDelivery(int64_t now_ms,
                                                            int64_t lease_ms) override;
    Status RecordWebhookAttempt(int64_t alert_id, bool delivered, std::optional<int64_t> next_at_ms,
                                std::string_view error) override;

    Result<AlertRule> AddAlertRule(const AlertRule& rule) override;
    Result<bool> RemoveAlertRule(int64_t id, int64_t now_ms) override;
    Result<std::vector<AlertRule>> ListAlertRules(bool include_removed) override;
    Result<std::vector<ScannedAnswer>> ListAnswersReceivedSince(int64_t from_ms,
                                                                int limit) override;
    Result<std::vector<PainPoint>> TopPainPoints(std::string_view store, int64_t from_ms,
                                                 int64_t to_ms, int count) override;
    Result<std::vector<AlertRecord>> OpenAnswerAlerts(const std::vector<AlertRecord>& alerts,
                                                      int64_t now_ms, bool queue_webhook,
                                                      bool queue_mail) override;
    Result<std::optional<AlertRecord>> FindAlert(int64_t id) override;
    Result<std::optional<AlertRecord>> FindAnswerAlert(int64_t rule_id,
                                                       std::string_view response_uuid) override;
    Result<std::optional<AlertRecord>> AcknowledgeAlert(int64_t id, std::string_view by,
                                                        std::string_view note,
                                                        int64_t now_ms) override;
    Result<std::optional<AlertRecord>> ResolveAlert(int64_t id, std::string_view by,
                                                    std::string_view note, int64_t now_ms) override;
    Result<std::vector<AlertRecord>> ListAlertsToMail(int limit) override;
    Status QueueAlertMails(int64_t alert_id, const std::vector<OutgoingMail>& mails,
                           int64_t now_ms) override;
    Result<bool> QueueMail(const OutgoingMail& mail, int64_t now_ms) override;
    Result<std::optional<MailRecord>> ClaimMail(int64_t now_ms, int64_t lease_ms,
                                                std::string_view claim_token) override;
    Result<bool> MarkMailSent(int64_t id, std::string_view claim_token, int64_t now_ms) override;
    Status RecordMailFailure(int64_t id, std::string_view claim_token,
                             std::optional<int64_t> next_at_ms, std::string_view error,
                             int64_t now_ms) override;
    Result<std::vector<MailRecord>> ListMail(std::string_view state, int limit) override;
    Result<MailRecipient> SaveRecipient(const MailRecipient& recipient) override;
    Result<bool> RemoveRecipient(int64_t id) override;
    Result<std::vector<MailRecipient>> ListRecipients() override;

    Result<std::vector<AlertRecord>> KeepContacts(const std::vector<ContactRecord>& contacts,
                                                  const std::vector<AlertRecord>& alerts,
                                                  int64_t keep_from_ms, int64_t now_ms,
                                                  bool queue_webhook, bool queue_mail) override;
    Result<std::optional<ContactRecord>> FindContact(std::string_view response_uuid) override;
    Result<int64_t> DeleteContactsLeftBefore(int64_t left_before_ms) override;
    Result<std::optional<std::string>> FindSetting(std::string_view name) override;
    Result<std::string> SettleSetting(std::string_view name, std::string_view value) override;
    Result<bool> SetUserStores(std::string_view user,
                               const std::vector<std::string>& stores) override;
    Result<std::vector<std::string>> ListUserStores(std::string_view user) override;

    Result<OutcomeImportCounts> ImportOutcomes(const std::vector<OutcomeRecord>& values,
                                               const std::vector<std::string>& metrics,
                                               std::string_view by, int64_t now_ms) override;
    Result<std::vector<OutcomeWeekTotals>> SumOutcomeWeeks(std::string_view metric,
                                                           std::string_view store, int64_t from_day,
                                                           int64_t to_day) override;
    Result<std::vector<OutcomeRecord>> ListOutcomes(std::string_view metric, int64_t from_day,
                                                    int64_t to_day) override;
    Result<std::vector<std::string>> ListOutcomeMetrics() override;
    Status ReplaceStoreGroups(const std::vector<StoreGroupRecord>& groups, std::string_view by,
                              int64_t now_ms) override;
    Result<std::vector<StoreGroupRecord>> ListStoreGroups() override;

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

  protected:
    using SessionWork = std::function<Status(SqlSession&)>;
    // Runs `work` on a session of this thread's own. The dialect decides how: SQLite under its
    // one connection's mutex, PostgreSQL on a pooled connection, run again whole after a
    // deadlock or serialization failure (so `work` must start from scratch each time).
    virtual Status WithSession(const SessionWork& work) = 0;

    // WithSession for work with an answer.
    template <typename T, typename Work>
    Result<T> InSession(Work work) {
        std::optional<T> answer;
        Status done = WithSession([&](SqlSession& db) -> Status {
            Result<T> result = work(db);
            if (!result.Ok()) {
                return result.Err();
            }
            answer = std::move(*result);
            return Success();
        });
        if (!done.Ok()) {
            return done.Err();
        }
        return std::move(*answer);
    }
};

}  // namespace doorstep::server
