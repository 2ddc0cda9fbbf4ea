// PgServerStore's survey configuration: published versions and their assignments to scopes (the
// rules are in survey_push.cpp). Publishing and assigning take kPgLockSurveys for their
// transaction, so two servers never number the same version twice or interleave a scope's
// assignments.
#include <algorithm>
#include <tuple>

#include "pg_server_store.hpp"
#include "survey_sql.hpp"

namespace doorstep::server {
namespace {

SurveyAssignment ReadAssignment(const PgRows& rows, int row) {
    return SurveyAssignment{rows.Int(row, 0),
                            rows.Text(row, 1),
                            rows.Text(row, 2),
                            rows.Text(row, 3),
                            static_cast<int>(rows.Int(row, 4)),
                            rows.Text(row, 5),
                            rows.Int(row, 6),
                            rows.Text(row, 7)};
}

Status LockSurveys(PgConnection& db) {
    return db.Run("lock the survey configuration", "SELECT pg_advisory_xact_lock($1, $2)",
                  PgParams().Int(kPgLockSpace).Int(kPgLockSurveys));
}

Status InsertAssignment(PgConnection& db, std::string_view store, std::string_view door,
                        std::string_view survey_id, int version, std::string_view by,
                        int64_t now_ms) {
    return db.Run(
        "assign survey",
        "INSERT INTO survey_assignments (store, door, survey_id, version, "
        "assigned_at_ms, assigned_by) VALUES ($1, $2, $3, $4, $5, $6)",
        PgParams().Text(store).Text(door).Text(survey_id).Int(version).Int(now_ms).Text(by));
}

}  // namespace

Result<SurveyVersionRecord> PgServerStore::PublishSurvey(
    std::string_view survey_id, int min_version, const SurveyRenderer& render,
    std::string_view store, std::string_view door, std::string_view by, int64_t now_ms) {
    return WithConnection([&](PgConnection& db) -> Result<SurveyVersionRecord> {
        Result<PgTransaction> transaction = PgTransaction::Begin(db, "publish survey");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        if (Status locked = LockSurveys(db); !locked.Ok()) {
            return locked.Err();
        }
        Result<int64_t> last = db.QueryInt(
            "number survey version",
            "SELECT coalesce(max(version), 0) FROM survey_versions WHERE survey_id = $1",
            PgParams().Text(survey_id));
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
                                 PgParams()
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

Result<bool> PgServerStore::AssignSurvey(std::string_view store, std::string_view door,
                                         std::string_view survey_id, int version,
                                         std::string_view by, int64_t now_ms) {
    return WithConnection([&](PgConnection& db) -> Result<bool> {
        Result<PgTransaction> transaction = PgTransaction::Begin(db, "assign survey");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        if (Status locked = LockSurveys(db); !locked.Ok()) {
            return locked.Err();
        }
        Result<PgRows> found =
            db.Exec("find survey version",
                    "SELECT 1 FROM survey_versions WHERE survey_id = $1 AND version = $2",
                    PgParams().Text(survey_id).Int(version));
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

Result<std::vector<SurveyAssignment>> PgServerStore::ListSurveyAssignments(bool history) {
    std::string sql = SurveyAssignmentsSql(history);
    return WithConnection([&](PgConnection& db) -> Result<std::vector<SurveyAssignment>> {
        Result<PgRows> rows = db.Exec("list survey assignments", sql);
        if (!rows.Ok()) {
            return rows.Err();
        }
        return ReadPgRows<SurveyAssignment>(*rows, ReadAssignment);
    });
}

Result<std::vector<SurveyVersionRecord>> PgServerStore::ListSurveyVersions() {
    return WithConnection([&](PgConnection& db) -> Result<std::vector<SurveyVersionRecord>> {
        Result<PgRows> rows =
            db.Exec("list survey versions",
                    "SELECT survey_id, version, etag, published_at_ms, published_by "
                    "FROM survey_versions ORDER BY survey_id, version DESC");
        if (!rows.Ok()) {
            return rows.Err();
        }
        return ReadPgRows<SurveyVersionRecord>(*rows, [](const PgRows& version, int row) {
            return SurveyVersionRecord{version.Text(row, 0),
                                       static_cast<int>(version.Int(row, 1)),
                                       "",
                                       version.Text(row, 2),
                                       version.Int(row, 3),
                                       version.Text(row, 4)};
        });
    });
}

Result<std::optional<SurveyVersionRecord>> PgServerStore::FindSurveyVersion(
    std::string_view survey_id, int version) {
    return WithConnection([&](PgConnection& db) -> Result<std::optional<SurveyVersionRecord>> {
        Result<PgRows> rows =
            db.Exec("find survey version",
                    "SELECT survey_id, version, definition, etag, published_at_ms, published_by "
                    "FROM survey_versions WHERE survey_id = $1 AND version = $2",
                    PgParams().Text(survey_id).Int(version));
        if (!rows.Ok()) {
            return rows.Err();
        }
        if (rows->Count() == 0) {
            return std::optional<SurveyVersionRecord>();
        }
        return std::optional<SurveyVersionRecord>(SurveyVersionRecord{
            rows->Text(0, 0), static_cast<int>(rows->Int(0, 1)), rows->Text(0, 2), rows->Text(0, 3),
            rows->Int(0, 4), rows->Text(0, 5)});
    });
}

}  // namespace doorstep::server
