// The records head office keeps and the sums it reads, as every store returns them: the words
// that ServerStore (server_store.hpp) and the rooms above it speak.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/result.hpp"
#include "core/response/response.hpp"
#include "core/wire/wire.hpp"
#include "server/store/report_filter.hpp"

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

// The most scores one stored response holds; a response with more is refused (as a conflict).
inline constexpr size_t kMaxScoresPerResponse = 8;

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
// StoreWeek: by store and week, from the weekly rollups; the filter's days then pick the weeks
// whose Monday they hold.
enum class ReportGroup { None, Day, Store, Kind, StoreWeek };

// Group: "" (None), the day number in decimal (Day), the store name (Store, StoreWeek) or
// "customer" / "staff" (Kind).
struct ScoreTotals {
    std::string Group;
    int64_t Week = 0;  // StoreWeek: the week's Monday (WeekStartOf); otherwise 0
    std::string Need;
    std::array<int64_t, 5> Counts{};  // answers that gave 1, 2, 3, 4 and 5
};

struct AnswerTotals {
    std::string Group;
    int64_t Week = 0;  // as ScoreTotals::Week
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
// A lagging figure head office imported (server/linkage/outcome_csv.hpp): one metric of one
// store on one day.
struct OutcomeRecord {
    std::string Store;
    int64_t Day = 0;  // days since 1970-01-01
    std::string Metric;
    double Value = 0;
};

// A store's group as head office names it (a region, a format): the key drivers are reported
// for each group as well as for all stores together.
struct StoreGroupRecord {
    std::string Store;
    std::string Group;
};

// One metric's values of a store in one week (weeks numbered as WeekNumber(), store_weeks.hpp).
struct OutcomeWeekTotals {
    std::string Store;
    int64_t Week = 0;
    double Total = 0;
    int64_t Days = 0;  // days with a value
};

struct OutcomeImportCounts {
    int64_t StoreDays = 0;  // store-days the import set
    int64_t Values = 0;     // values written
    int64_t Replaced = 0;   // values those store-days held before, now gone
};

struct FilterChoices {
    std::vector<std::pair<std::string, std::string>> StoreDoors;  // sorted
    std::vector<std::string> Needs;
    std::vector<std::string> Languages;
};

// Rollup sums of one device, need and local hour slot (day * 24 + hour).
struct SlotTotals {
    std::string DeviceId;
    std::string Need;
    int64_t Slot = 0;
    int64_t Scores = 0;
    int64_t ScoreSum = 0;
};

// Where a device is and what its local time is now.
struct DeviceClock {
    std::string DeviceId;
    std::string Store;
    std::string Door;
    int UtcOffsetMin = 0;  // of its latest answer
};

// One need as a pain point: how often customers named it least met in the last hours.
struct PainPoint {
    std::string Need;
    int64_t Answers = 0;
    bool operator==(const PainPoint&) const = default;
};

// What an alert is about. A trend or goal alert holds while its condition does; an answer's alert
// (low score, low intent, comment) is about one customer's answer.
struct AlertFinding {
    std::string Store;
    std::string Door;
    std::string Need;           // trend, below_goal, low_score: the need; otherwise ""
    int64_t WindowEndSlot = 0;  // the local hour slot the recent window ends with (included)
    int64_t RecentAnswers = 0;
    double RecentMean = 0;
    int64_t BaselineAnswers = 0;
    double BaselineMean = 0;     // below_goal: the goal
    std::string Kind = "trend";  // alert_rules.hpp: trend | below_goal | low_score | ...
    std::optional<int64_t> RuleId = std::nullopt;  // the alert_rules row; none for the trend rule
    std::vector<PainPoint> PainPoints = {};        // the store's top three when it opened
    bool Mail = true;                              // its rule mails (when mail is set up at all)
};

// The answer an answer's alert is about.
struct AlertAnswer {
    std::string Uuid;
    int64_t EndedAtMs = 0;
    int UtcOffsetMin = 0;
    std::string LeastMet;
    std::string LowNeeds;  // the needs scored at the rule's threshold or below, comma-separated
    std::optional<int> Intent;
    std::string Comment;
};

// An alert as kept: what it is about (numbers updated while a condition alert holds), who
// acknowledged and resolved it, its pain points, and its deliveries.
struct AlertRecord {
    int64_t Id = 0;
    AlertFinding Finding;
    AlertAnswer Answer;             // answers' alerts only
    std::string Source = "server";  // server | kiosk (raised on the terminal)
    int64_t OpenedAtMs = 0;
    int64_t UpdatedAtMs = 0;
    std::optional<int64_t> AcknowledgedAtMs;
    std::string AcknowledgedBy;
    std::string AcknowledgeNote;
    std::optional<int64_t> ResolvedAtMs;
    std::string ResolvedBy;  // "rule" when its condition stopped holding
    std::string ResolveNote;
    std::optional<int64_t> ClearedAtMs;  // condition alerts: when the condition stopped holding
    std::string WebhookState = "none";   // none | pending | delivered | failed
    int WebhookAttempts = 0;
    std::string WebhookError;
    std::string MailState = "none";  // none | pending (mails to queue) | queued
    bool ContactHeld = false;        // kind "contact": head office holds the customer's contact

    // open | acknowledged | resolved
    std::string_view State() const {
        return ResolvedAtMs ? "resolved" : (AcknowledgedAtMs ? "acknowledged" : "open");
    }
};

// A contact a customer left after a low answer (core/alerts/contact.hpp), as head office keeps
// it: still sealed to its contact key, apart from the answer.
struct ContactRecord {
    std::string ResponseUuid;
    std::string Store;
    std::string Door;
    std::string SealedHex;  // crypto_box_seal as the terminal sent it, in hex
    int64_t LeftAtMs = 0;   // when the customer left it, on the terminal's clock
    int64_t ReceivedAtMs = 0;
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

}  // namespace doorstep::server
