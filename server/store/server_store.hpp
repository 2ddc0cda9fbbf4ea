// What head office keeps: enrolled devices, one-time enrollment codes, every response exactly once,
// the nonces that stop replays, and each device's latest heartbeat.
//
// ServerStore is the one interface the HTTP handlers and the command-line tools talk to, so the
// storage behind it can change (SQLite or PostgreSQL) without touching them. Every method
// is safe to call from several threads at once, and every method that writes does so in one
// transaction: when it returns success the change is durable, when it fails nothing of it is
// visible.
//
// Times are passed in (`now_ms`) rather than read inside, so tests can move the clock.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "server/store/loop_records.hpp"
#include "server/store/records.hpp"

namespace doorstep::server {

class ServerStore {
  public:
    virtual ~ServerStore() = default;

    // --- enrollment and devices -------------------------------------------------------------
    virtual Status AddEnrollmentCode(const EnrollmentCodeRecord& code) = 0;
    // Uses up the code with this hash and creates the device, in one transaction. Nothing (and no
    // change) when the code is unknown, already used or expired at `now_ms`.
    virtual Result<std::optional<DeviceRecord>> RedeemEnrollmentCode(std::string_view code_hash,
                                                                     std::string_view device_id,
                                                                     std::string_view secret_hex,
                                                                     int64_t now_ms) = 0;
    virtual Result<std::optional<DeviceRecord>> FindDevice(std::string_view device_id) = 0;
    // false when no such device exists. Revoking twice keeps the first time.
    virtual Result<bool> RevokeDevice(std::string_view device_id, int64_t now_ms) = 0;

    // --- requests ---------------------------------------------------------------------------
    // Records a request nonce. false: this device already used it within kNonceMemoryMs (a
    // replay). Nonces older than that are forgotten on the way.
    virtual Result<bool> RememberNonce(std::string_view device_id, std::string_view nonce,
                                       int64_t now_ms) = 0;
    // Stores the new items of one batch in ONE transaction; returns only after COMMIT. Identical
    // re-sends are held without a second copy; other collisions are conflicts.
    virtual Result<BatchOutcome> StoreBatch(std::string_view device_id,
                                            const std::vector<IncomingResponse>& items,
                                            int64_t received_at_ms) = 0;
    // Keeps only the latest heartbeat per device.
    virtual Status SaveHeartbeat(const Heartbeat& heartbeat, int64_t received_at_ms) = 0;

    // --- accounts (accounts.hpp holds the rules) -------------------------------------------
    // false: a user of that name exists already (nothing changes).
    virtual Result<bool> AddUser(const UserRecord& user) = 0;
    virtual Result<std::optional<UserRecord>> FindUser(std::string_view name) = 0;
    virtual Status AddToken(const TokenRecord& token) = 0;
    virtual Result<std::optional<TokenRecord>> FindToken(std::string_view token_hash) = 0;
    // false when no such token exists. Revoking twice keeps the first time.
    virtual Result<bool> RevokeToken(std::string_view token_hash, int64_t now_ms) = 0;
    virtual Result<LoginThrottle> FindLoginThrottle(std::string_view name) = 0;
    // Keeps `throttle` for the name (and forgets names not tried for a day).
    virtual Status SaveLoginThrottle(std::string_view name, const LoginThrottle& throttle,
                                     int64_t now_ms) = 0;
    virtual Status ClearLoginThrottle(std::string_view name) = 0;

    // --- report sums (over the rollups; each call reads one snapshot) ---------------------
    virtual Result<std::vector<ScoreTotals>> SumScores(const ReportFilter& filter,
                                                       ReportGroup group) = 0;
    // The need filter does not apply: answers are not per need.
    virtual Result<std::vector<AnswerTotals>> SumAnswers(const ReportFilter& filter,
                                                         ReportGroup group) = 0;
    virtual Result<std::vector<LeastMetTotal>> SumLeastMet(const ReportFilter& filter) = 0;
    virtual Result<std::vector<HourTotals>> SumHours(const ReportFilter& filter) = 0;
    virtual Result<FilterChoices> ListFilterChoices() = 0;
    // Comments of the filter's answers (the need filter does not apply), searched with
    // filter.CommentSearch when set.
    virtual Result<CommentPage> ListComments(const ReportFilter& filter) = 0;

    // --- alerts (alerts.hpp) -----------------------------------------------------------------
    // Customers' non-suspect scores per device, need and local hour slot, over the days.
    virtual Result<std::vector<SlotTotals>> SumSlots(int64_t from_day, int64_t to_day) = 0;
    // Every device not revoked, with the UTC offset of its latest answer (0 before any).
    virtual Result<std::vector<DeviceClock>> ListDeviceClocks() = 0;
    // In one transaction: opens an alert for each new finding (its webhook pending when
    // `queue_webhook`), updates the open ones found again, resolves the open ones not found.
    // Returns the alerts opened now.
    Result<std::vector<AlertRecord>> ApplyAlertFindings(const std::vector<AlertFinding>& findings,
                                                        int64_t now_ms, bool queue_webhook) {
        return ApplyConditionFindings("trend", findings, now_ms, queue_webhook, false);
    }
    // The same for the condition alerts of `kind` (trend, below_goal): an alert holds while its
    // finding is found; one no longer found is cleared, and resolved by "rule" unless a person
    // resolved it first. New ones have their mail pending when `queue_mail`.
    virtual Result<std::vector<AlertRecord>> ApplyConditionFindings(
        std::string_view kind, const std::vector<AlertFinding>& findings, int64_t now_ms,
        bool queue_webhook, bool queue_mail) = 0;
    // Newest first; resolved ones too when `include_resolved`.
    Result<std::vector<AlertRecord>> ListAlerts(bool include_resolved, int limit) {
        AlertQuery query;
        query.State = include_resolved ? "all" : "open";
        query.Limit = limit;
        return ListAlerts(query);
    }
    virtual Result<std::vector<AlertRecord>> ListAlerts(const AlertQuery& query) = 0;
    // Takes one pending delivery due at `now_ms` and holds it for `lease_ms`, so another server
    // does not send it too. Nothing when none is due.
    virtual Result<std::optional<AlertRecord>> ClaimWebhookDelivery(int64_t now_ms,
                                                                    int64_t lease_ms) = 0;
    // After an attempt: delivered, or failed for now (tried again at `next_at_ms`) or for good
    // (no next_at_ms).
    virtual Status RecordWebhookAttempt(int64_t alert_id, bool delivered,
                                        std::optional<int64_t> next_at_ms,
                                        std::string_view error) = 0;

    // --- closing the loop: rules, the inbox, recipients, mail (loop_records.hpp) ----------
    virtual Result<AlertRule> AddAlertRule(const AlertRule& rule) = 0;  // returns it with its id
    // false when no such rule is in force.
    virtual Result<bool> RemoveAlertRule(int64_t id, int64_t now_ms) = 0;
    virtual Result<std::vector<AlertRule>> ListAlertRules(bool include_removed) = 0;
    // Customers' answers not suspect that arrived at `from_ms` or later, oldest first, with
    // where they were given.
    virtual Result<std::vector<ScannedAnswer>> ListAnswersReceivedSince(int64_t from_ms,
                                                                        int limit) = 0;
    // The needs a store's customers named least met most often among answers ended in
    // [from_ms, to_ms), most named first (ties by name), at most `count`.
    virtual Result<std::vector<PainPoint>> TopPainPoints(std::string_view store, int64_t from_ms,
                                                         int64_t to_ms, int count) = 0;
    // Opens the answers' alerts in one transaction, skipping any whose rule and answer have one
    // already (a second scan, another server, the terminal's own). Returns those opened now.
    // An alert's OpenedAtMs, when set, says when it opened (a terminal raised it earlier). Its
    // mail is pending when `queue_mail` and its rule mails (Finding.Mail).
    virtual Result<std::vector<AlertRecord>> OpenAnswerAlerts(
        const std::vector<AlertRecord>& alerts, int64_t now_ms, bool queue_webhook,
        bool queue_mail) = 0;
    virtual Result<std::optional<AlertRecord>> FindAlert(int64_t id) = 0;
    // The alert `rule_id` opened for the answer `response_uuid`, if any.
    virtual Result<std::optional<AlertRecord>> FindAnswerAlert(int64_t rule_id,
                                                               std::string_view response_uuid) = 0;
    // The alert afterwards; nothing when there is no such alert. Resolving a contact alert
    // deletes its contact in the same transaction. Acknowledging an acknowledged
    // or resolved alert, or resolving a resolved one, changes nothing and returns it as it is.
    virtual Result<std::optional<AlertRecord>> AcknowledgeAlert(int64_t id, std::string_view by,
                                                                std::string_view note,
                                                                int64_t now_ms) = 0;
    virtual Result<std::optional<AlertRecord>> ResolveAlert(int64_t id, std::string_view by,
                                                            std::string_view note,
                                                            int64_t now_ms) = 0;
    // Alerts whose mails are still to be queued, oldest first.
    virtual Result<std::vector<AlertRecord>> ListAlertsToMail(int limit) = 0;
    // In one transaction: queues `mails` (skipping dedupe keys already queued) and marks the
    // alert's mail queued.
    virtual Status QueueAlertMails(int64_t alert_id, const std::vector<OutgoingMail>& mails,
                                   int64_t now_ms) = 0;
    // false when a mail with its dedupe key is queued already.
    virtual Result<bool> QueueMail(const OutgoingMail& mail, int64_t now_ms) = 0;
    // Takes one pending mail due at `now_ms` for `lease_ms` under `claim_token`. Nothing when
    // none is due.
    virtual Result<std::optional<MailRecord>> ClaimMail(int64_t now_ms, int64_t lease_ms,
                                                        std::string_view claim_token) = 0;
    // Marks a claimed mail sent, only while the claim is still `claim_token`'s. false: it is not
    // (the lease ran out and another sender took it), so this sender must not finish sending.
    virtual Result<bool> MarkMailSent(int64_t id, std::string_view claim_token, int64_t now_ms) = 0;
    // After a failed attempt (also one the server refused after it was marked sent): tried again
    // at `next_at_ms`, or failed for good without one (and the refusal is kept on the
    // recipient's addresses too). Only under the claim that tried.
    virtual Status RecordMailFailure(int64_t id, std::string_view claim_token,
                                     std::optional<int64_t> next_at_ms, std::string_view error,
                                     int64_t now_ms) = 0;
    // Newest first; `state` "" for every state.
    virtual Result<std::vector<MailRecord>> ListMail(std::string_view state, int limit) = 0;
    // Adds a recipient, or changes the one with the same store and address.
    virtual Result<MailRecipient> SaveRecipient(const MailRecipient& recipient) = 0;
    virtual Result<bool> RemoveRecipient(int64_t id) = 0;
    virtual Result<std::vector<MailRecipient>> ListRecipients() = 0;  // by store, address

    // --- service recovery: contacts, head office's settings, accounts' stores --------------
    // In one transaction: opens each contact's alert (kind "contact", rule 0: once per answer,
    // as OpenAnswerAlerts does) and keeps the contact while its alert is not resolved and it
    // was left at `keep_from_ms` or later. A contact kept already stays as first kept. Returns
    // the alerts opened now. `contacts[i]` belongs to `alerts[i]`.
    virtual Result<std::vector<AlertRecord>> KeepContacts(
        const std::vector<ContactRecord>& contacts, const std::vector<AlertRecord>& alerts,
        int64_t keep_from_ms, int64_t now_ms, bool queue_webhook, bool queue_mail) = 0;
    virtual Result<std::optional<ContactRecord>> FindContact(std::string_view response_uuid) = 0;
    // Deletes the contacts left before `left_before_ms`; how many went.
    virtual Result<int64_t> DeleteContactsLeftBefore(int64_t left_before_ms) = 0;
    // A setting of head office's, if recorded.
    virtual Result<std::optional<std::string>> FindSetting(std::string_view name) = 0;
    // Records `value` unless the setting is recorded already; the value recorded afterwards
    // (the first server's, when two record it at once).
    virtual Result<std::string> SettleSetting(std::string_view name, std::string_view value) = 0;
    // Replaces the stores a user belongs to. false: no such user (nothing changes).
    virtual Result<bool> SetUserStores(std::string_view user,
                                       const std::vector<std::string>& stores) = 0;
    virtual Result<std::vector<std::string>> ListUserStores(std::string_view user) = 0;  // sorted

    // --- outcomes ----------------------------------------------------------------------------
    // In one transaction: each store-day in `values` loses the values it held of `metrics` (the
    // file's columns), then takes `values`' (a re-import of a day replaces those metrics of it;
    // other metrics of the day stay).
    virtual Result<OutcomeImportCounts> ImportOutcomes(const std::vector<OutcomeRecord>& values,
                                                       const std::vector<std::string>& metrics,
                                                       std::string_view by, int64_t now_ms) = 0;
    // One metric from `from_day` to `to_day` (both included), by store, then day.
    virtual Result<std::vector<OutcomeRecord>> ListOutcomes(std::string_view metric,
                                                            int64_t from_day, int64_t to_day) = 0;
    // One metric summed by store and week ((day + 3) / 7, Monday to Sunday) over the days from
    // `from_day` to `to_day`, by store, then week; of one store unless `store` is "".
    virtual Result<std::vector<OutcomeWeekTotals>> SumOutcomeWeeks(std::string_view metric,
                                                                   std::string_view store,
                                                                   int64_t from_day,
                                                                   int64_t to_day) = 0;
    // The metrics imported so far, sorted.
    virtual Result<std::vector<std::string>> ListOutcomeMetrics() = 0;

    // --- store groups ------------------------------------------------------------------------
    // In one transaction: the stores' groups become `groups` (a store not named has none).
    virtual Status ReplaceStoreGroups(const std::vector<StoreGroupRecord>& groups,
                                      std::string_view by, int64_t now_ms) = 0;
    virtual Result<std::vector<StoreGroupRecord>> ListStoreGroups() = 0;  // by store

    // --- retention (purge) -------------------------------------------------------------------
    // What Purge(before_day) would delete.
    virtual Result<PurgeCounts> CountPurge(int64_t before_day) = 0;
    // Deletes the answers whose local day is before `before_day`, with their scores and comment
    // index entries, and the rollup rows of those days. First the rollups and each device's
    // purge mark, in one transaction; then the answers, a few thousand per transaction, so
    // ingest waits only moments at a time. Restartable: run again after a failure.
    virtual Result<PurgeCounts> Purge(int64_t before_day) = 0;

    // --- survey configuration -------------------------------------------------------------
    // In one transaction: numbers the survey's next version (one more than its highest, and at
    // least `min_version`), asks
    // `render` for that version's definition text, stores it and assigns it to the scope.
    virtual Result<SurveyVersionRecord> PublishSurvey(std::string_view survey_id, int min_version,
                                                      const SurveyRenderer& render,
                                                      std::string_view store, std::string_view door,
                                                      std::string_view by, int64_t now_ms) = 0;
    // Assigns an already published version to a scope. False when there is no such version.
    virtual Result<bool> AssignSurvey(std::string_view store, std::string_view door,
                                      std::string_view survey_id, int version, std::string_view by,
                                      int64_t now_ms) = 0;
    // Every scope's assignments, newest first within a scope when `history`; otherwise only the
    // current one of each scope.
    virtual Result<std::vector<SurveyAssignment>> ListSurveyAssignments(bool history) = 0;
    virtual Result<std::vector<SurveyVersionRecord>> ListSurveyVersions() = 0;  // no definitions
    virtual Result<std::optional<SurveyVersionRecord>> FindSurveyVersion(std::string_view survey_id,
                                                                         int version) = 0;

    // --- reports ----------------------------------------------------------------------------
    virtual Result<Completeness> DeviceCompleteness(std::string_view device_id) = 0;
    virtual Result<std::vector<DeviceOverview>> ListDevices() = 0;  // ordered by store, door, id
    virtual Result<int64_t> CountResponses() = 0;
    virtual Status ExportResponses(const ExportFilter& filter, ExportSink& sink) = 0;
};

// SQLite's knobs; a PostgreSQL store has none (its lock wait is 5 s, pg_connection.cpp).
struct StoreOpenOptions {
    std::string SqliteVfs;     // empty: the default; tests pass a fault-injecting one
    int BusyTimeoutMs = 5000;  // the CLI and the server share the file
    // SQLite's page cache. Every batch touches index pages all over the file; keeping them in
    // memory saves reading them back for each batch.
    int PageCacheKiB = 64 * 1024;
};

}  // namespace doorstep::server
