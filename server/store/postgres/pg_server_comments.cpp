// PgServerStore's comments page, as SqliteServerStore's (sqlite_server_comments.cpp): the answers
// with a comment that the filter keeps, newest first; with a word search, the matching ones
// newest to reach head office first, and how many match, counted up to kMaxCountedMatches.
//
// A GIN index has no order: a common word's matches taken from it (hundreds of thousands at
// 10,000,000 answers) are all fetched and sorted, which took seconds. SQLite's word index is read
// newest first and stops at the page. Here the same is done by walking the newest answers back
// along the primary key, testing each one's stored words (responses.comment_words), until the
// page and the count are found. The planner cannot make that choice itself: its estimate for a
// prefix query is far off for common words. So the search runs in up to two steps:
//
//   1. the walk: at most the newest answers (PgServerStore::SetSearchWalk), with bitmap scans
//   switched off (the
//      GIN index serves only those), stopping once it has the page and kMaxCountedMatches;
//   2. if the walk found the whole page, the page is answered from it; and the count too when it
//      reached kMaxCountedMatches or the walk saw every answer, or else the rest of the count is
//      taken from the index below the walk;
//      otherwise the word is rare near the top, and the page and count come from the GIN index,
//      which then holds few matches.
//
// Every step reads one snapshot, so the two steps agree.

#include <algorithm>

#include "server/store/postgres/pg_response_rows.hpp"
#include "server/store/postgres/pg_server_store.hpp"
#include "server/store/sql_report_filter.hpp"

namespace doorstep::server {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kMaxOffsetMs = 18LL * 3600 * 1000;  // the widest UTC offset accepted

constexpr const char* kCommentColumns =
    "SELECT d.store, d.door, r.lang, r.kind, r.started_at_ms, r.utc_offset_min, r.comment, "
    "r.intent, r.least_met";

// $1..$7 the filter; $8, $9 the started_at range that holds those local days (an index range);
// with a search, $10 the words as a tsquery. Without a search, "has a comment" is spelled so that
// it does not match the search index's partial predicate (comment <> ''): with a store filter the
// planner otherwise read that whole GIN index only to AND its bitmap with the store's rows
// (640 ms at 10,000,000 answers; 58 ms without).
std::string Where(bool search) {
    return std::string(" FROM responses r JOIN devices d ON d.device_id = r.device_id WHERE ") +
           (search ? "r.comment <> '' AND r.comment_words @@ $10::tsquery"
                   : "length(r.comment) > 0") +
           " AND r.started_at_ms >= $8 AND r.started_at_ms < $9 "
           "AND (r.started_at_ms + r.utc_offset_min * 60000) / 86400000 BETWEEN $1 AND $2 "
           "AND ($3 = '' OR d.store = $3) AND ($4 = '' OR d.door = $4) "
           "AND ($5 = '' OR r.lang = $5) AND ($6 = '' OR r.kind = $6) "
           "AND ($7 OR r.suspect_reason = '')";
}

// The search text as a prefix query over words: split into words exactly as comments are
// (to_tsvector), each becoming 'word':*, all required. No query syntax reaches to_tsquery: each
// word is quoted, quotes and backslashes escaped. '' when the text holds no word.
constexpr const char* kSearchQuery =
    "SELECT coalesce(string_agg('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || "
    "''':*', ' & '), '') FROM unnest(to_tsvector('simple', doorstep_search_text($1)))";

std::vector<CommentRow> ReadComments(const SqlRows& rows) {
    std::vector<CommentRow> comments;
    for (int row = 0; row < rows.Count(); ++row) {
        std::optional<int64_t> intent = rows.OptionalInt(row, 7);
        comments.push_back(
            CommentRow{rows.Text(row, 0), rows.Text(row, 1), rows.Text(row, 2), rows.Text(row, 3),
                       rows.Int(row, 4), static_cast<int>(rows.Int(row, 5)), rows.Text(row, 6),
                       intent ? std::optional<int>(static_cast<int>(*intent)) : std::nullopt,
                       rows.Text(row, 8)});
    }
    return comments;
}

// The page and count of a search, its words in `params` ($10), inside the caller's snapshot.
// The walk covers the newest `walk` answers (PgServerStore::kDefaultSearchWalk: a word in 1 of
// 50 answers still fills the count within it).
Result<CommentPage> Search(PgConnection& db, const ReportFilter& filter, const SqlParams& params,
                           int64_t walk) {
    const std::string where = Where(true);
    const int64_t wanted = std::max(filter.Offset + filter.Limit, kMaxCountedMatches);
    Result<int64_t> newest =
        db.QueryInt("find the newest answer", "SELECT coalesce(max(id), 0) FROM responses");
    if (!newest.Ok()) {
        return newest.Err();
    }
    const int64_t floor = *newest - walk;
    if (Status off = db.Run("walk the newest answers", "SET LOCAL enable_bitmapscan = off");
        !off.Ok()) {
        return off.Err();
    }
    SqlParams walk_params = params;
    walk_params.Int(floor).Int(wanted);
    Result<SqlRows> walked = db.Exec(
        "walk the newest answers",
        "SELECT r.id" + where + " AND r.id > $11 ORDER BY r.id DESC LIMIT $12", walk_params);
    if (!walked.Ok()) {
        return walked.Err();
    }
    if (Status on = db.Run("walk the newest answers", "SET LOCAL enable_bitmapscan = on");
        !on.Ok()) {
        return on.Err();
    }
    const int64_t found = walked->Count();
    const bool walked_every_answer = floor <= 0;
    CommentPage page;
    if (walked_every_answer || found >= filter.Offset + filter.Limit) {
        std::vector<std::string> ids;
        for (int64_t row = filter.Offset; row < std::min(found, filter.Offset + filter.Limit);
             ++row) {
            ids.push_back(walked->Text(static_cast<int>(row), 0));
        }
        Result<SqlRows> rows =
            db.Exec("list comments",
                    std::string(kCommentColumns) +
                        " FROM responses r JOIN devices d ON d.device_id = r.device_id "
                        "WHERE r.id = ANY($1::bigint[]) ORDER BY r.id DESC",
                    SqlParams().Text(PgTextArray(ids)));
        if (!rows.Ok()) {
            return rows.Err();
        }
        page.Rows = ReadComments(*rows);
        page.Total = std::min(found, kMaxCountedMatches);
        if (!walked_every_answer && page.Total < kMaxCountedMatches) {
            SqlParams older = params;
            older.Int(floor).Int(kMaxCountedMatches - page.Total);
            Result<int64_t> more = db.QueryInt(
                "count comments",
                "SELECT count(*) FROM (SELECT 1" + where + " AND r.id <= $11 LIMIT $12) AS c",
                older);
            if (!more.Ok()) {
                return more.Err();
            }
            page.Total += *more;
        }
    } else {
        SqlParams paged = params;
        paged.Int(filter.Limit).Int(filter.Offset);
        Result<SqlRows> rows =
            db.Exec("list comments",
                    kCommentColumns + where + " ORDER BY r.id DESC LIMIT $11 OFFSET $12", paged);
        if (!rows.Ok()) {
            return rows.Err();
        }
        page.Rows = ReadComments(*rows);
        SqlParams counted = params;
        counted.Int(kMaxCountedMatches);
        Result<int64_t> total =
            db.QueryInt("count comments",
                        "SELECT count(*) FROM (SELECT 1" + where + " LIMIT $11) AS c", counted);
        if (!total.Ok()) {
            return total.Err();
        }
        page.Total = *total;
    }
    page.TotalCapped = page.Total >= kMaxCountedMatches;
    return page;
}

}  // namespace

Result<CommentPage> PgServerStore::ListComments(const ReportFilter& filter) {
    SqlParams params = SqlReportFilterParams(filter)
                           .Int(filter.FromDay * kDayMs - kMaxOffsetMs)
                           .Int((filter.ToDay + 1) * kDayMs + kMaxOffsetMs);
    return WithConnection([&](PgConnection& db) -> Result<CommentPage> {
        Result<SqlTransaction> snapshot =
            SqlTransaction::Begin(db, "list comments", SqlIsolation::Snapshot);
        if (!snapshot.Ok()) {
            return snapshot.Err();
        }
        if (!filter.CommentSearch.empty()) {
            Result<SqlRows> words =
                db.Exec("read the search", kSearchQuery, SqlParams().Text(filter.CommentSearch));
            if (!words.Ok()) {
                return words.Err();
            }
            if (words->Text(0, 0).empty()) {
                return CommentPage{};  // no word to look for: nothing matches
            }
            SqlParams searched = params;
            searched.Text(words->Text(0, 0));
            return Search(db, filter, searched, SearchWalk_);
        }
        // As SQLite's: without a search, by when the answers were given.
        SqlParams paged = params;
        paged.Int(filter.Limit).Int(filter.Offset);
        Result<SqlRows> rows = db.Exec("list comments",
                                       kCommentColumns + Where(false) +
                                           " ORDER BY r.started_at_ms DESC, r.id DESC "
                                           "LIMIT $10 OFFSET $11",
                                       paged);
        if (!rows.Ok()) {
            return rows.Err();
        }
        CommentPage page;
        page.Rows = ReadComments(*rows);
        return page;
    });
}

}  // namespace doorstep::server
