// Pieces the summary queries share (summary_*.cpp only; not part of the summary API).
#pragma once

#include <cstdint>
#include <string>

#include "core/sqlite/sqlite_db.hpp"
#include "kiosk/store/summary.hpp"

namespace doorstep::summary_internal {

// The condition every rollup query starts with. Binds ?1 first day, ?2 last day, ?3 include
// suspect, ?4 include synthetic (see BindScope); further parameters start at ?5.
inline constexpr const char* kRollupScope =
    "day BETWEEN ?1 AND ?2 AND (suspect = 0 OR ?3) AND (synthetic = 0 OR ?4)";

inline void BindScope(Statement& query, DayRange days, const SummaryFilter& filter) {
    query.BindInt64(1, days.First);
    query.BindInt64(2, days.Last);
    query.BindInt64(3, filter.IncludeSuspect ? 1 : 0);
    query.BindInt64(4, filter.IncludeSynthetic ? 1 : 0);
}

// total / group (a mean or a share), suppressed below kMinGroupSize answers.
inline Guarded GuardedRatio(double total, int64_t group) {
    return group >= kMinGroupSize ? Guarded{total / static_cast<double>(group)} : Guarded{};
}

inline Guarded Difference(const Guarded& minuend, const Guarded& subtrahend) {
    if (minuend.Suppressed() || subtrahend.Suppressed()) {
        return {};
    }
    return Guarded{*minuend.Value - *subtrahend.Value};
}

// Steps `query` to the end, calling `each(query)` for every row.
template <typename Each>
Status ForEachRow(Statement& query, Each each) {
    for (;;) {
        Result<bool> row = query.Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            return Success();
        }
        each(static_cast<const Statement&>(query));
    }
}

// Prepares `sql` and binds the scope; the caller binds ?5 and on, if any.
inline Result<Statement> PrepareRollup(sqlite3* db, const char* operation, const std::string& sql,
                                       DayRange days, const SummaryFilter& filter) {
    Result<Statement> query = Statement::Prepare(db, operation, sql);
    if (query.Ok()) {
        BindScope(*query, days, filter);
    }
    return query;
}

// Prepares `sql`, binds the scope, and calls `each` for every row.
template <typename Each>
Status QueryRollup(sqlite3* db, const char* operation, const std::string& sql, DayRange days,
                   const SummaryFilter& filter, Each each) {
    Result<Statement> query = PrepareRollup(db, operation, sql, days, filter);
    if (!query.Ok()) {
        return query.Err();
    }
    return ForEachRow(*query, each);
}

}  // namespace doorstep::summary_internal
