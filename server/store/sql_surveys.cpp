// The generic store's survey configuration: published versions and their assignments to scopes
// (the rules are in survey_push.cpp). Publishing and assigning hold SqlLock::Surveys for their
// transaction, so two servers never number the same version twice or interleave a scope's
// assignments.
#include <algorithm>
#include <tuple>

#include "server/store/sql_server_store.hpp"
#include "server/store/survey_sql.hpp"

namespace doorstep::server {
namespace {

SurveyAssignment ReadAssignment(const SqlRows& rows, int row) {
    return SurveyAssignment{rows.Int(row, 0),
                            rows.Text(row, 1),
                            rows.Text(row, 2),
                            rows.Text(row, 3),
                            static_cast<int>(rows.Int(row, 4)),
                            rows.Text(row, 5),
                            rows.Int(row, 6),
                            rows.Text(row, 7)};
}

Status InsertAssignment(SqlSession& db, std::string_view store, std::string_view door,
                        std::string_view survey_id, int version, std::string_view by,
                        int64_t now_ms) {
    return db.Run(
        "assign survey",
        "INSERT INTO survey_assignments (store, door, survey_id, version, "
        "assigned_at_ms, assigned_by) VALUES ($1, $2, $3, $4, $5, $6)",
        SqlParams().Text(store).Text(door).Text(survey_id).Int(version).Int(now_ms).Text(by));
}

}  // namespace

Result<SurveyVersionRecord> SqlServerStore::PublishSurvey(
    std::string_view survey_id, int min_version, const SurveyRenderer& render,
    std::string_view store, std::string_view door, std::string_view by, int64_t now_ms) {
    return InSession<SurveyVersionRecord>([&](SqlSession& db) -> Result<SurveyVersionRecord> {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "publish survey");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        if (Status locked = db.Lock(SqlLock::Surveys); !locked.Ok()) {
            return locked.Err();
        }
        Result<int64_t> last = db.QueryInt(
            "number survey version",
            "SELECT coalesce(max(version), 0) FROM survey_versions WHERE survey_id = $1",
            SqlParams().Text(survey_id));
        if (!last.Ok()) {
            return last.Err();
        }
        SurveyVersionRecord record;
        record.SurveyId = std::string(survey_id);
        record.Version = std::max(static_cast<int>(*last + 1), min_version);
        std::tie(record.Definition, record.Etag) = render(record.Version);
        record.PublishedAtMs = now_ms;
        record.PublishedBy = std::string(by);
        Status inserted = db.Run("store survey version",
                                 "INSERT INTO survey_versions (survey_id, version, definition, "
                                 "etag, published_at_ms, published_by) VALUES ($1, $2, $3, $4, "
                                 "$5, $6)",
                                 SqlParams()
                                     .Text(record.SurveyId)
                                     .Int(record.Version)
                                     .Text(record.Definition)
                                     .Text(record.Etag)
                                     .Int(now_ms)
                                     .Text(by));
        if (!inserted.Ok()) {
            return inserted.Err();
        }
        if (Status assigned =
                InsertAssignment(db, store, door, survey_id, record.Version, by, now_ms);
            !assigned.Ok()) {
            return assigned.Err();
        }
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
        return record;
    });
}

Result<bool> SqlServerStore::AssignSurvey(std::string_view store, std::string_view door,
                                          std::string_view survey_id, int version,
                                          std::string_view by, int64_t now_ms) {
    return InSession<bool>([&](SqlSession& db) -> Result<bool> {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "assign survey");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        if (Status locked = db.Lock(SqlLock::Surveys); !locked.Ok()) {
            return locked.Err();
        }
        Result<SqlRows> found =
            db.Exec("find survey version",
                    "SELECT 1 FROM survey_versions WHERE survey_id = $1 AND version = $2",
                    SqlParams().Text(survey_id).Int(version));
        if (!found.Ok()) {
            return found.Err();
        }
        if (found->Count() == 0) {
            return false;
        }
        if (Status assigned = InsertAssignment(db, store, door, survey_id, version, by, now_ms);
            !assigned.Ok()) {
            return assigned.Err();
        }
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
        return true;
    });
}

Result<std::vector<SurveyAssignment>> SqlServerStore::ListSurveyAssignments(bool history) {
    std::string sql = SurveyAssignmentsSql(history);
    return InSession<std::vector<SurveyAssignment>>(
        [&](SqlSession& db) -> Result<std::vector<SurveyAssignment>> {
            Result<SqlRows> rows = db.Exec("list survey assignments", sql);
            if (!rows.Ok()) {
                return rows.Err();
            }
            return ReadSqlRows<SurveyAssignment>(*rows, ReadAssignment);
        });
}

Result<std::vector<SurveyVersionRecord>> SqlServerStore::ListSurveyVersions() {
    return InSession<std::vector<SurveyVersionRecord>>(
        [&](SqlSession& db) -> Result<std::vector<SurveyVersionRecord>> {
            Result<SqlRows> rows =
                db.Exec("list survey versions",
                        "SELECT survey_id, version, etag, published_at_ms, published_by "
                        "FROM survey_versions ORDER BY survey_id, version DESC");
            if (!rows.Ok()) {
                return rows.Err();
            }
            return ReadSqlRows<SurveyVersionRecord>(*rows, [](const SqlRows& version, int row) {
                return SurveyVersionRecord{version.Text(row, 0),
                                           static_cast<int>(version.Int(row, 1)),
                                           "",
                                           version.Text(row, 2),
                                           version.Int(row, 3),
                                           version.Text(row, 4)};
            });
        });
}

Result<std::optional<SurveyVersionRecord>> SqlServerStore::FindSurveyVersion(
    std::string_view survey_id, int version) {
    return InSession<std::optional<SurveyVersionRecord>>(
        [&](SqlSession& db) -> Result<std::optional<SurveyVersionRecord>> {
            Result<SqlRows> rows = db.Exec(
                "find survey version",
                "SELECT survey_id, version, definition, etag, published_at_ms, published_by "
                "FROM survey_versions WHERE survey_id = $1 AND version = $2",
                SqlParams().Text(survey_id).Int(version));
            if (!rows.Ok()) {
                return rows.Err();
            }
            if (rows->Count() == 0) {
                return std::optional<SurveyVersionRecord>();
            }
            return std::optional<SurveyVersionRecord>(SurveyVersionRecord{
                rows->Text(0, 0), static_cast<int>(rows->Int(0, 1)), rows->Text(0, 2),
                rows->Text(0, 3), rows->Int(0, 4), rows->Text(0, 5)});
        });
}

}  // namespace doorstep::server
