#include "kiosk/store/suspect.hpp"

#include <algorithm>

namespace doorstep {
namespace {

// The three statements share the partial index responses_completed_by_end (migration 3); their
// WHERE clauses repeat its condition word for word so that SQLite uses it.
constexpr const char* kCountRecentSql =
    "SELECT count(*) FROM (SELECT 1 FROM responses "
    "WHERE status = 'completed' AND kind = 'customer' AND synthetic = ?1 "
    "AND ended_at_ms BETWEEN ?2 AND ?3 LIMIT ?4)";
constexpr const char* kPreviousSql =
    "SELECT seq, ended_at_ms, least_met, intent FROM responses "
    "WHERE status = 'completed' AND kind = 'customer' AND synthetic = ?1 AND ended_at_ms <= ?2 "
    "ORDER BY ended_at_ms DESC, seq DESC LIMIT 1";
constexpr const char* kPreviousScoresSql = "SELECT need, score FROM response_scores WHERE seq = ?1";

std::vector<NeedScore> Sorted(std::vector<NeedScore> scores) {
    std::sort(scores.begin(), scores.end(),
              [](const NeedScore& a, const NeedScore& b) { return a.NeedId < b.NeedId; });
    return scores;
}

}  // namespace

bool IsJudged(const Response& response) {
    return response.Status == ResponseStatus::Completed && response.Kind == ResponseKind::Customer;
}

bool IsTooFast(const Response& response) {
    int64_t answers = static_cast<int64_t>(response.Scores.size()) +
                      (response.LeastMet.empty() ? 0 : 1) + (response.Intent.has_value() ? 1 : 0);
    return response.DurationMs < kMinMsPerAnswer * answers;
}

std::vector<std::string_view> SplitSuspectReason(std::string_view reason) {
    std::vector<std::string_view> codes;
    while (!reason.empty()) {
        size_t comma = reason.find(',');
        std::string_view code = reason.substr(0, comma);
        if (!code.empty()) {
            codes.push_back(code);
        }
        reason = comma == std::string_view::npos ? std::string_view() : reason.substr(comma + 1);
    }
    return codes;
}

Result<SuspectRules> SuspectRules::Prepare(sqlite3* db) {
    SuspectRules rules;
    struct Wanted {
        Statement* Into;
        const char* Operation;
        const char* Sql;
    };
    const Wanted wanted[] = {
        {&rules.CountRecent_, "check suspect burst", kCountRecentSql},
        {&rules.Previous_, "check suspect repeat", kPreviousSql},
        {&rules.PreviousScores_, "check suspect repeat scores", kPreviousScoresSql},
    };
    for (const Wanted& statement : wanted) {
        Result<Statement> ready = Statement::Prepare(db, statement.Operation, statement.Sql);
        if (!ready.Ok()) {
            return ready.Err();
        }
        *statement.Into = std::move(*ready);
    }
    return rules;
}

Result<bool> SuspectRules::IsBurst(const Response& response) {
    ResetOnExit reset(CountRecent_);
    CountRecent_.BindInt64(1, response.Synthetic ? 1 : 0);
    CountRecent_.BindInt64(2, response.EndedAtMs - kBurstWindowMs);
    CountRecent_.BindInt64(3, response.EndedAtMs);
    CountRecent_.BindInt64(4, kBurstCount - 1);  // no need to count further
    Result<bool> row = CountRecent_.Step();
    if (!row.Ok()) {
        return row.Err();
    }
    return *row && CountRecent_.ColumnInt64(0) >= kBurstCount - 1;
}

Result<bool> SuspectRules::IsRepeat(const Response& response) {
    ResetOnExit reset(Previous_);
    Previous_.BindInt64(1, response.Synthetic ? 1 : 0);
    Previous_.BindInt64(2, response.EndedAtMs);
    Result<bool> found = Previous_.Step();
    if (!found.Ok()) {
        return found.Err();
    }
    if (!*found || response.EndedAtMs - Previous_.ColumnInt64(1) > kRepeatWindowMs ||
        Previous_.ColumnText(2) != response.LeastMet) {
        return false;
    }
    std::optional<int64_t> intent = Previous_.ColumnOptionalInt64(3);
    std::optional<int64_t> wanted_intent;
    if (response.Intent.has_value()) {
        wanted_intent = *response.Intent;
    }
    if (intent != wanted_intent) {
        return false;
    }
    ResetOnExit reset_scores(PreviousScores_);
    PreviousScores_.BindInt64(1, Previous_.ColumnInt64(0));
    std::vector<NeedScore> previous_scores;
    for (;;) {
        Result<bool> row = PreviousScores_.Step();
        if (!row.Ok()) {
            return row.Err();
        }
        if (!*row) {
            break;
        }
        previous_scores.push_back(
            {PreviousScores_.ColumnText(0), static_cast<int>(PreviousScores_.ColumnInt64(1))});
    }
    return Sorted(std::move(previous_scores)) == Sorted(response.Scores);
}

Result<std::string> SuspectRules::Check(const Response& response) {
    if (!IsJudged(response)) {
        return std::string();
    }
    Result<bool> burst = IsBurst(response);
    if (!burst.Ok()) {
        return burst.Err();
    }
    Result<bool> repeat = IsRepeat(response);
    if (!repeat.Ok()) {
        return repeat.Err();
    }
    std::string reason;
    auto add = [&reason](std::string_view code) {
        reason += reason.empty() ? "" : ",";
        reason += code;
    };
    if (*burst) {
        add(kSuspectBurst);
    }
    if (IsTooFast(response)) {
        add(kSuspectTooFast);
    }
    if (*repeat) {
        add(kSuspectRepeat);
    }
    return reason;
}

}  // namespace doorstep
