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

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alerts.hpp"
#include "report_filter.hpp"
#include "response.hpp"
#include "result.hpp"
#include "wire.hpp"

namespace doorstep::server {

// Error::Code of a store failure that only means "busy, try again soon" (a lock held too long).
// It is SQLite's SQLITE_BUSY; other backends map their lock timeouts to it.
inline constexpr int kStoreBusyCode = 5;

using SeqRanges = std::vector<std::pair<int64_t, int64_t>>;  // inclusive, ascending

struct DeviceRecord {
    std::string DeviceId;
    std::string Store;
    std::string Door;
    std::string SecretHex;  // 64 hex digits; the HMAC key, so the database file is private (0600)
    int64_t EnrolledAtMs = 0;
    std::optional<int64_t> RevokedAtMs;
};

// A one-time code as the server keeps it: only the SHA-256 of the code, never the code itself.
struct EnrollmentCodeRecord {
    std::string CodeHash;
    std::string Store;
    std::string Door;
    int64_t CreatedAtMs = 0;
    int64_t ExpiresAtMs = 0;
};

// One valid item of a batch, as decoded and validated by DecodeBatch().
struct IncomingResponse {
    size_t Index = 0;  // position in the request's "responses" array, for field names
    int64_t Seq = 0;
    Response Data;
    std::string Suspect;   // the kiosk's suspect codes; empty when not suspect
    int UtcOffsetMin = 0;  // the terminal's UTC offset when the answer started
    // Added to the terminal's started/ended stamps to give Data's (answer_dating.hpp); kept so
    // that a resent answer is compared with what the terminal sent, not with the dated times.
    int64_t ClockShiftMs = 0;
};

struct BatchOutcome {
    std::vector<int64_t> Held;         // seqs of this batch the server now holds: new or identical
    int64_t NewlyStored = 0;           // how many of Held were written by this call
    std::vector<ItemIssue> Conflicts;  // 409: uuid or seq already held with other content
    std::vector<ItemIssue> Rejected;   // 400: the database refused the item (a CHECK it failed)
};

struct HeartbeatRecord {
    Heartbeat Data;
    int64_t ReceivedAtMs = 0;
};

// How far a device's answers have reached head office.
struct Completeness {
    int64_t HighestStoredSeq = 0;  // 0 when nothing is stored
    int64_t StoredCount = 0;
    std::optional<int64_t> LastReceivedAtMs;  // when the newest stored response arrived
    // Sequence numbers not stored between 1 and the higher of HighestStoredSeq and the highest
    // seq the device last reported in a heartbeat (so unsent backlog shows up as missing too).
    SeqRanges Missing;
};

struct DeviceOverview {
    DeviceRecord Device;  // SecretHex is left empty: overviews are for printing
    std::optional<HeartbeatRecord> LastHeartbeat;
    Completeness Stored;

    // When head office last heard from the device: its latest heartbeat or answer, if any.
    std::optional<int64_t> LastSeenMs() const {
        std::optional<int64_t> last = Stored.LastReceivedAtMs;
        if (LastHeartbeat && (!last || LastHeartbeat->ReceivedAtMs > *last)) {
            last = LastHeartbeat->ReceivedAtMs;
        }
        return last;
    }
};

struct ExportFilter {
    std::optional<int64_t> StartedFromMs;   // inclusive, on started_at
    std::optional<int64_t> StartedUntilMs;  // exclusive
    std::string Store;                      // empty: every store
    // The dashboard's download: the rows its reports count for this filter (local days, store,
    // door, language, kind, suspect; `Need` and the comment search do not narrow rows).
    std::optional<ReportFilter> Report;
};

struct ExportRow {
    std::string DeviceId;
    std::string Store;
    int64_t Seq = 0;
    Response Data;
    int64_t ReceivedAtMs = 0;
    std::string SuspectReason;  // the kiosk's suspect codes; empty when not suspect
    int UtcOffsetMin = 0;       // the kiosk's UTC offset when the answer started
    int64_t ClockShiftMs = 0;   // what dating added to the kiosk's stamps (answer_dating.hpp)
};

// Receives an export: first the need ids that occur in it, then every row in (store, device, seq)
// order.
// Both come from one snapshot, so no row carries a need that Begin() did not announce.
class ExportSink {
  public:
    virtual ~ExportSink() = default;
    virtual Status Begin(const std::vector<std::string>& need_ids) = 0;  // sorted
    virtual Status Row(const ExportRow& row) = 0;
};

// A head-office account: someone who reads reports on the dashboard or through the API.
struct UserRecord {
    std::string Name;
    std::string PasswordHash;  // libsodium crypto_pwhash_str: Argon2id with its own salt
    int64_t CreatedAtMs = 0;
    std::optional<int64_t> DisabledAtMs;
};

enum class TokenKind { Session, Api };

// Wrong passwords in a row for one user name, and until when sign-in is refused.
struct LoginThrottle {
    int64_t Failures = 0;
    int64_t LockedUntilMs = 0;
};

// A bearer token as the server keeps it: only the SHA-256 of the token, never the token.
struct TokenRecord {
    std::string TokenHash;
    TokenKind Kind = TokenKind::Session;
    std::string UserName;
    std::string Label;  // "dashboard login" or what the API token is for
    int64_t CreatedAtMs = 0;
    std::optional<int64_t> ExpiresAtMs;  // sessions expire; API tokens last until revoked
    std::optional<int64_t> RevokedAtMs;
};

// --- sums over the report rollups (reports.hpp shapes them into answers) --------------------
enum class ReportGroup { None, Day, Store, Kind };

// Group: "" (None), the day number in decimal (Day), the store name (Store) or "customer" /
// "staff" (Kind).
struct ScoreTotals {
    std::string Group;
    std::string Need;
    std::array<int64_t, 5> Counts{};  // answers that gave 1, 2, 3, 4 and 5
};

struct AnswerTotals {
    std::string Group;
    int64_t Answers = 0;
    int64_t Completed = 0;
    int64_t IntentAnswers = 0;
    int64_t Promoters = 0;   // intent 9-10
    int64_t Detractors = 0;  // intent 0-6
    int64_t Commented = 0;
};

struct LeastMetTotal {
    std::string Need;
    int64_t Answers = 0;
};

struct HourTotals {
    int Weekday = 0;  // 0 = Sunday
    int Hour = 0;     // local, 0-23
    int64_t Answers = 0;
    int64_t Scores = 0;
    int64_t ScoreSum = 0;
};

// One local day's hour, as both stores sum the hour rollups (in their key order, so neither sorts).
struct DayHourTotals {
    int64_t Day = 0;  // local days since 1970-01-01
    int Hour = 0;
    int64_t Answers = 0;
    int64_t Scores = 0;
    int64_t ScoreSum = 0;
};

// The days folded into weekday x hour cells, ordered by weekday, then hour.
std::vector<HourTotals> FoldIntoWeekdays(const std::vector<DayHourTotals>& days);

// One comment as the comments report lists it.
struct CommentRow {
    std::string Store;
    std::string Door;
    std::string Language;
    std::string Kind;
    int64_t StartedAtMs = 0;
    int UtcOffsetMin = 0;
    std::string Text;
    std::optional<int> Intent;
    std::string LeastMet;
};

// A search counts its matches up to this many: past it, "more than" is all a reader needs, and
// counting a common word over millions of comments would take seconds.
inline constexpr int64_t kMaxCountedMatches = 1000;

struct CommentPage {
    // With a search, the matches, at most kMaxCountedMatches (then TotalCapped); without one 0
    // (the rollups hold the count).
    int64_t Total = 0;
    bool TotalCapped = false;
    // Newest first, from filter.Offset, at most filter.Limit: by when they were given, or with a
    // search by when they reached head office (the word index's order, so a page is read
    // without sorting every match).
    std::vector<CommentRow> Rows;
};

// What the report filters can choose from: every store and door enrolled, and the needs and
// languages that occur in the answers.
struct FilterChoices {
    std::vector<std::pair<std::string, std::string>> StoreDoors;  // sorted
    std::vector<std::string> Needs;
    std::vector<std::string> Languages;
};

// An alert as kept: the finding that opened it (numbers updated while it stays open), and its
// webhook delivery.
struct AlertRecord {
    int64_t Id = 0;
    AlertFinding Finding;
    int64_t OpenedAtMs = 0;
    int64_t UpdatedAtMs = 0;
    std::optional<int64_t> ResolvedAtMs;
    std::string WebhookState = "none";  // none | pending | delivered | failed
    int WebhookAttempts = 0;
    std::string WebhookError;
};

struct PurgeCounts {
    int64_t Answers = 0;
    int64_t Comments = 0;
    int64_t RollupRows = 0;
};

// One published survey definition (survey_push.hpp).
struct SurveyVersionRecord {
    std::string SurveyId;
    int Version = 0;
    std::string Definition;  // JSON text, its "version" member set to Version
    std::string Etag;        // quoted, as the heartbeat answer and the fetch carry it
    int64_t PublishedAtMs = 0;
    std::string PublishedBy;
};

// Which version a scope runs: Store and Door '' mean every store / every door.
struct SurveyAssignment {
    int64_t Id = 0;  // higher is newer
    std::string Store;
    std::string Door;
    std::string SurveyId;
    int Version = 0;
    std::string Etag;
    int64_t AssignedAtMs = 0;
    std::string AssignedBy;
};

// A version's definition text and its ETag, made once its number is known.
using SurveyRenderer = std::function<std::pair<std::string, std::string>(int version)>;

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
    virtual Result<std::vector<AlertRecord>> ApplyAlertFindings(
        const std::vector<AlertFinding>& findings, int64_t now_ms, bool queue_webhook) = 0;
    // Newest first; resolved ones too when `include_resolved`.
    virtual Result<std::vector<AlertRecord>> ListAlerts(bool include_resolved, int limit) = 0;
    // Takes one pending delivery due at `now_ms` and holds it for `lease_ms`, so another server
    // does not send it too. Nothing when none is due.
    virtual Result<std::optional<AlertRecord>> ClaimWebhookDelivery(int64_t now_ms,
                                                                    int64_t lease_ms) = 0;
    // After an attempt: delivered, or failed for now (tried again at `next_at_ms`) or for good
    // (no next_at_ms).
    virtual Status RecordWebhookAttempt(int64_t alert_id, bool delivered,
                                        std::optional<int64_t> next_at_ms,
                                        std::string_view error) = 0;

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

// Why a `--db` URL cannot be opened by this build (in words for the operator), or nothing when it
// names a supported store. Checks the form only; the file or the database server is opened by
// OpenServerStore(). Never repeats a password.
std::optional<std::string> StoreUrlProblem(std::string_view url);

// Opens the store a `--db` URL names. Supported: "sqlite:PATH" and "postgresql://..." (or
// "postgres://...", libpq's URI). Anything else is an error that says what is supported.
Result<std::unique_ptr<ServerStore>> OpenServerStore(std::string_view url,
                                                     const StoreOpenOptions& options = {});

}  // namespace doorstep::server
