// The terminal's local store: one SQLite file that holds every answer until head office has it.
// (State diagram and invariants: see the header comment of store.cpp.)
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/alerts/alert_rules.hpp"
#include "core/base/clock.hpp"
#include "core/base/result.hpp"
#include "core/response/response.hpp"
#include "kiosk/store/kiosk_alerts.hpp"

struct sqlite3;

namespace doorstep {

class Statement;

struct StoreOptions {
    std::string Vfs;          // SQLite VFS name; empty = default. Tests pass a fault-injecting one.
    int BusyTimeoutMs = 250;  // short: the UI thread must never wait long on a lock
};

struct SyncOutcome {
    std::vector<int64_t> Synced;
    std::vector<std::pair<int64_t, std::string>> Conflicts;  // seq, the server's message
    std::vector<std::pair<int64_t, std::string>> Rejected;   // seq, the server's message
};

struct SyncCounts {
    int64_t Pending = 0;
    int64_t Synced = 0;
    int64_t Conflict = 0;
    int64_t Rejected = 0;
    std::optional<int64_t> OldestPendingEndedAtMs;  // wall clock of the oldest unsent answer
    int64_t HighestSeq = 0;
};

// The connection's durability settings as SQLite reports them, for diagnostics and tests.
struct StoreSettings {
    std::string JournalMode;  // "wal"
    int Synchronous = 0;      // 2 = FULL
    bool ForeignKeys = false;
};

// One Store (one connection, with its cached statements) is used from one thread at a time. Another
// thread that needs the file (the uploader) opens its own Store: WAL lets it read while the UI
// thread writes.
class Store {
  public:
    // Opens or creates the store (file mode 0600), applies WAL + synchronous=FULL and migrations.
    static Result<std::unique_ptr<Store>> Open(const std::string& path,
                                               const StoreOptions& options = {});
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // Appends one response in one transaction and returns its sequence number. When this returns
    // success the response is durable (fsynced through the WAL). `stamped`: the clocks when the
    // answer was recorded, if that was earlier than now (it waited in memory); they place its end
    // on the boot clock.
    Result<int64_t> Append(const Response& response, std::optional<ClockStamp> stamped = {});
    // Appends many responses in one transaction (simulate, tests). All or nothing.
    Result<std::vector<int64_t>> AppendBatch(const std::vector<Response>& responses);

    Result<int64_t> CountResponses() const;
    Result<int64_t> CountResponses(ResponseStatus status) const;
    // Responses with Seq > after_seq in sequence order, at most `limit`.
    Result<std::vector<StoredResponse>> ReadFrom(int64_t after_seq, int limit) const;
    Result<std::optional<StoredResponse>> FindByUuid(const std::string& uuid) const;

    // --- The uploader's view (store_sync.cpp) ---
    // The oldest `limit` rows head office does not have yet (after `after_seq`), in sequence
    // order.
    Result<std::vector<StoredResponse>> ReadPending(int limit, int64_t after_seq = 0) const;
    // Applies what head office answered for one batch, in one transaction: acknowledged rows
    // become synced (with the time), conflicts and rejections are marked and kept with the
    // server's words. Only pending rows change.
    Status ApplySyncOutcome(const SyncOutcome& outcome, int64_t now_ms);
    // Deletes synced rows acknowledged before `synced_before_ms`; returns how many went.
    Result<int64_t> PruneSynced(int64_t synced_before_ms);
    Result<SyncCounts> CountSync() const;
    // Small persistent settings (the uploader's clock offset, ...).
    Result<std::optional<std::string>> ReadMeta(const std::string& key) const;
    Status WriteMeta(const std::string& key, const std::string& value);

    // Keeps a validated survey definition so a later invalid file cannot stop the terminal.
    Status SaveSurvey(const std::string& survey_id, int version, const std::string& json_text);
    // The most recently saved definition's JSON text, if any.
    Result<std::optional<std::string>> LatestSurveyJson() const;
    // A definition head office pushed (checked by the caller) and its ETag, in one transaction.
    // From then on the terminal runs the pushed definitions, not its installed file.
    Status SavePushedSurvey(const std::string& survey_id, int version, const std::string& json_text,
                            const std::string& etag);
    // The ETag of the last definition head office pushed; nothing while it never pushed one.
    Result<std::optional<std::string>> PushedSurveyEtag() const;

    // --- Alerts (store_alerts.cpp, kiosk_alerts.hpp) ---
    // Head office's rules for this terminal, as last synced (none before the first sync).
    Result<std::vector<AlertRule>> CachedAlertRules() const;
    // The store's alerts as the manager sees them: unresolved first, newest first within each.
    Result<std::vector<KioskAlert>> ListAlerts() const;
    // The manager acknowledges or resolves `alert` here ("acknowledge" | "resolve").
    Status RecordAlertAct(const KioskAlert& alert, std::string_view act, std::string_view note,
                          int64_t now_ms);
    // What head office has not heard yet: the alerts raised here and the manager's acts.
    Result<AlertSyncWork> PendingAlertSync() const;
    // After head office took `work` and answered `reply_json` (its rules and alerts for this
    // terminal), in one transaction.
    Status FinishAlertSync(const AlertSyncWork& work, const std::string& reply_json);

    // --- Service recovery (store_contacts.cpp, core/alerts/contact.hpp) ---
    // Seals `contact` to head office's contact key and keeps it apart from the answer
    // `response_uuid`, in one transaction; leaving a second one for the same answer keeps the
    // first. An error when head office's key has not come yet or the answer is not here.
    Status KeepContact(const std::string& response_uuid, const std::string& contact,
                       int64_t now_ms);
    // Whether head office's contact key is here: without it nothing can be sealed, so the
    // terminal does not offer to take a contact.
    Result<bool> HasContactKey() const;
    Result<int64_t> CountContacts() const;

    // "ok" when `PRAGMA integrity_check` passes, otherwise its report.
    Result<std::string> IntegrityCheck() const;
    int SchemaVersion() const;
    Result<StoreSettings> Settings() const;
    const std::string& Path() const { return Path_; }

    // The connection, for the read-only queries that live outside Store (summary.hpp), on the
    // thread that uses this Store. Never write through it: writes go through Store so that each
    // response's suspect flag and rollup counts are written in its own transaction.
    sqlite3* Handle() const { return Db_; }

  private:
    struct Statements;  // the cached prepared statements; defined in store.cpp

    Store(sqlite3* db, std::string path);
    Result<std::vector<int64_t>> AppendAll(std::span<const Response> responses,
                                           const char* operation, const ClockStamp& stamped);
    Result<int64_t> InsertOne(const Response& response, const ClockStamp& stamped,
                              const std::vector<AlertRule>& rules);
    // In the answer's transaction: the alerts `rules` (head office's) raise for it.
    Status RaiseAlerts(const Response& response, const std::vector<AlertRule>& rules,
                       int utc_offset_min, int64_t now_ms);
    Result<std::vector<StoredResponse>> ReadRows(Statement& select) const;
    // In the alert sync's transaction: the contacts of the request (store_contacts.cpp).
    Status ReadPendingContacts(AlertSyncWork& work) const;
    // In FinishAlertSync's transaction: keep head office's key, forget what it received.
    Status FinishContactSync(const nlohmann::json& reply);

    sqlite3* Db_;
    std::string Path_;
    std::unique_ptr<Statements> Cached_;
    int SchemaVersion_ = 0;
    std::string BootId_;  // CurrentBootId() at Open()
};

}  // namespace doorstep
