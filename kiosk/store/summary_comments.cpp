// The manager's comment list: read from the responses themselves (a comment is one person's
// words, there is nothing to roll up), newest first, through the partial index
// responses_commented_by_end (migration 3).
#include <algorithm>

#include "core/base/local_time.hpp"
#include "kiosk/store/summary.hpp"
#include "kiosk/store/summary_sql.hpp"

namespace doorstep {
namespace {

// ?1, ?2: the period as wall-clock instants [start, end); ?3 include suspect; ?4 include
// synthetic; ?5 negative only; ?6 limit; ?7 offset. `comment IS NOT NULL` selects the index.
// "Negative" as the manager's screen means it: any score of 1 or 2, or an intent of 0..6; the
// test is written twice, once to report it and once to filter by it.
constexpr const char* kCommentsSql = R"sql(
SELECT r.seq, r.ended_at_ms, r.lang, r.comment, r.least_met, r.intent, r.suspect_reason,
       (SELECT sum(s.score) FROM response_scores s WHERE s.seq = r.seq),
       (SELECT count(*) FROM response_scores s WHERE s.seq = r.seq),
       (r.intent <= 6 OR EXISTS (SELECT 1 FROM response_scores s
                                 WHERE s.seq = r.seq AND s.score <= 2))
FROM responses r
WHERE r.comment IS NOT NULL AND r.ended_at_ms >= ?1 AND r.ended_at_ms < ?2
  AND r.kind = 'customer' AND (r.suspect_reason IS NULL OR ?3) AND (r.synthetic = 0 OR ?4)
  AND (NOT ?5 OR r.intent <= 6 OR EXISTS (SELECT 1 FROM response_scores s
                                          WHERE s.seq = r.seq AND s.score <= 2))
ORDER BY r.ended_at_ms DESC, r.seq DESC
LIMIT ?6 OFFSET ?7
)sql";

}  // namespace

Result<CommentPage> ListComments(sqlite3* db, const SummaryFilter& filter, int64_t now_wall_ms,
                                 const CommentQuery& query) {
    CommentPage page;
    if (query.Limit <= 0) {
        return page;
    }
    DayRange days = PeriodDays(filter.Span, now_wall_ms);
    Result<Statement> select = Statement::Prepare(db, "list comments", kCommentsSql);
    if (!select.Ok()) {
        return select.Err();
    }
    select->BindInt64(1, LocalDayStartMs(days.First));
    select->BindInt64(2, LocalDayStartMs(days.Last + 1));
    select->BindInt64(3, filter.IncludeSuspect ? 1 : 0);
    select->BindInt64(4, filter.IncludeSynthetic ? 1 : 0);
    select->BindInt64(5, query.NegativeOnly ? 1 : 0);
    select->BindInt64(6, static_cast<int64_t>(query.Limit) + 1);  // one more: is there a next page?
    select->BindInt64(7, std::max(0, query.Offset));
    Status read = summary_internal::ForEachRow(*select, [&](const Statement& row) {
        CommentItem item;
        item.Seq = row.ColumnInt64(0);
        item.EndedAtMs = row.ColumnInt64(1);
        item.Language = row.ColumnText(2);
        item.Text = row.ColumnText(3);
        item.LeastMet = row.ColumnText(4);
        if (std::optional<int64_t> intent = row.ColumnOptionalInt64(5)) {
            item.Intent = static_cast<int>(*intent);
        }
        item.SuspectReason = row.ColumnText(6);
        if (int64_t scores = row.ColumnInt64(8); scores > 0) {
            item.MeanScore = static_cast<double>(row.ColumnInt64(7)) / static_cast<double>(scores);
        }
        item.Negative = row.ColumnInt64(9) != 0;
        page.Items.push_back(std::move(item));
    });
    if (!read.Ok()) {
        return read.Err();
    }
    if (page.Items.size() > static_cast<size_t>(query.Limit)) {
        page.Items.pop_back();
        page.More = true;
    }
    return page;
}

}  // namespace doorstep
