// SqliteServerStore::ListComments: the comments report's page, newest first. Without a search
// the page is read backwards along started_at; with one, backwards along the FTS5 word index
// (comment_search) in the order answers arrived, so neither sorts every match. The count of
// matches stops at kMaxCountedMatches; without a search the report counts from the rollups.
#include <sqlite3.h>

#include <mutex>

#include "core/sqlite/sqlite_db.hpp"
#include "server/store/sqlite/sqlite_report_filter.hpp"
#include "server/store/sqlite/sqlite_server_store.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kMaxOffsetMs = 18LL * 3600 * 1000;  // the widest UTC offset accepted

// ?1..?7 as BindReportFilter() binds them; ?8, ?9 the started_at range that holds those local days
// (an index range); ?10 the search.
constexpr const char* kColumns =
    "SELECT d.store, d.door, r.lang, r.kind, r.started_at_ms, r.utc_offset_min, r.comment, "
    "r.intent, r.least_met";
constexpr const char* kNarrowing =
    " AND r.started_at_ms >= ?8 AND r.started_at_ms < ?9 "
    "AND (r.started_at_ms + r.utc_offset_min * 60000) / 86400000 BETWEEN ?1 AND ?2 "
    "AND (?3 = '' OR d.store = ?3) AND (?4 = '' OR d.door = ?4) AND (?5 = '' OR r.lang = ?5) "
    "AND (?6 = '' OR r.kind = ?6) AND (?7 OR r.suspect_reason = '')";
constexpr const char* kAll =
    " FROM responses r JOIN devices d ON d.device_id = r.device_id WHERE r.comment != '' "
    "AND ?10 = ''";
constexpr const char* kFound =
    " FROM comment_search f JOIN responses r ON r.id = f.rowid "
    "JOIN devices d ON d.device_id = r.device_id WHERE comment_search MATCH ?10";

// Every word of the search, as a prefix ("slow" finds "slowly"), all of them required. Each is
// quoted, so FTS5 never reads the text as its query syntax (AND, OR, NEAR, *, quotes).
std::string WordPrefixQuery(const std::string& text) {
    std::string query;
    std::string word;
    auto flush = [&] {
        if (!word.empty()) {
            query += (query.empty() ? "\"" : " \"") + word + "\"*";
            word.clear();
        }
    };
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n') {
            flush();
        } else {
            word += c == '"' ? std::string("\"\"") : std::string(1, c);
        }
    }
    flush();
    return query;
}

void Bind(Statement& statement, const ReportFilter& filter) {
    BindReportFilter(statement, filter);
    statement.BindInt64(8, filter.FromDay * kDayMs - kMaxOffsetMs);
    statement.BindInt64(9, (filter.ToDay + 1) * kDayMs + kMaxOffsetMs);
    statement.BindText(10, WordPrefixQuery(filter.CommentSearch));
}

}  // namespace

Result<CommentPage> SqliteServerStore::ListComments(const ReportFilter& filter) {
    std::lock_guard lock(Mutex_);
    Result<Transaction> snapshot =
        Transaction::Begin(Db_, "list comments", TransactionMode::Deferred);
    if (!snapshot.Ok()) {
        return snapshot.Err();
    }
    bool search = !filter.CommentSearch.empty();
    Result<Statement> select = Statement::Prepare(
        Db_, "list comments",
        std::string(kColumns) + (search ? kFound : kAll) + kNarrowing +
            (search ? " ORDER BY f.rowid DESC" : " ORDER BY r.started_at_ms DESC, r.id DESC") +
            " LIMIT ?11 OFFSET ?12");
    Result<Statement> count =
        Statement::Prepare(Db_, "count comments",
                           std::string("SELECT count(*) FROM (SELECT 1") + kFound + kNarrowing +
                               " LIMIT " + std::to_string(kMaxCountedMatches) + ")");
    if (!select.Ok()) {
        return select.Err();
    }
    if (!count.Ok()) {
        return count.Err();
    }
    Bind(*select, filter);
    select->BindInt64(11, filter.Limit);
    select->BindInt64(12, filter.Offset);
    CommentPage page;
    for (;;) {
        Result<bool> row = select->Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        const Statement& r = *select;
        std::optional<int64_t> intent = r.ColumnOptionalInt64(7);
        page.Rows.push_back(
            CommentRow{r.ColumnText(0), r.ColumnText(1), r.ColumnText(2), r.ColumnText(3),
                       r.ColumnInt64(4), static_cast<int>(r.ColumnInt64(5)), r.ColumnText(6),
                       intent ? std::optional<int>(static_cast<int>(*intent)) : std::nullopt,
                       r.ColumnText(8)});
    }
    if (filter.CommentSearch.empty()) {
        return page;
    }
    Bind(*count, filter);
    Result<bool> counted = count->Step();
    if (!counted.Ok()) {
        return counted.Err();
    }
    page.Total = count->ColumnInt64(0);
    page.TotalCapped = page.Total >= kMaxCountedMatches;
    return page;
}

}  // namespace doorstep::server
