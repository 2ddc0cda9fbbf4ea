// SqliteServerStore's survey configuration: published versions and their assignments to scopes
// (the rules are in survey_push.cpp).
#include <sqlite3.h>

#include <algorithm>
#include <mutex>

#include "sqlite_db.hpp"
#include "sqlite_server_store.hpp"
#include "survey_sql.hpp"

namespace doorstep::server {
namespace {

SurveyAssignment ReadAssignment(const Statement& row) {
    return SurveyAssignment{row.ColumnInt64(0),
                            row.ColumnText(1),
                            row.ColumnText(2),
                            row.ColumnText(3),
                            static_cast<int>(row.ColumnInt64(4)),
                            row.ColumnText(5),
                            row.ColumnInt64(6),
                            row.ColumnText(7)};
}

Status InsertAssignment(sqlite3* db, std::string_view store, std::string_view door,
                        std::string_view survey_id, int version, std::string_view by,
                        int64_t now_ms) {
    Result<Statement> insert = Statement::Prepare(
        db, "assign survey",
        "INSERT INTO survey_assignments (store, door, survey_id, version, assigned_at_ms, "
        "assigned_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert.Ok()) {
        return insert.Err();
    }
    insert->BindText(1, store);
    insert->BindText(2, door);
    insert->BindText(3, survey_id);
    insert->BindInt64(4, version);
    insert->BindInt64(5, now_ms);
    insert->BindText(6, by);
    return insert->Run();
}

}  // namespace

Result<SurveyVersionRecord> SqliteServerStore::PublishSurvey(
    std::string_view survey_id, int min_version, const SurveyRenderer& render,
    std::string_view store, std::string_view door, std::string_view by, int64_t now_ms) {
    std::lock_guard lock(Mutex_);
    Result<Transaction> transaction = Transaction::Begin(Db_, "publish survey");
    if (!transaction.Ok()) {
        return transaction.Err();
    }
    Result<Statement> highest = Statement::Prepare(
        Db_, "number survey version",
        "SELECT coalesce(max(version), 0) FROM survey_versions WHERE survey_id = ?1");
    if (!highest.Ok()) {
        return highest.Err();
    }
    highest->BindText(1, survey_id);
    Result<std::optional<int64_t>> last =
        ReadOptionalRow<int64_t>(*highest, [](const Statement& row) { return row.ColumnInt64(0); });
    if (!last.Ok()) {
        return last.Err();
    }
    SurveyVersionRecord record;
    record.SurveyId = std::string(survey_id);
    record.Version = std::max(static_cast<int>(last->value_or(0) + 1), min_version);
    std::tie(record.Definition, record.Etag) = render(record.Version);
    record.PublishedAtMs = now_ms;
    record.PublishedBy = std::string(by);
    Result<Statement> insert = Statement::Prepare(
        Db_, "store survey version",
        "INSERT INTO survey_versions (survey_id, version, definition, etag, published_at_ms, "
        "published_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert.Ok()) {
        return insert.Err();
    }
    insert->BindText(1, record.SurveyId);
    insert->BindInt64(2, record.Version);
    insert->BindText(3, record.Definition);
    insert->BindText(4, record.Etag);
    insert->BindInt64(5, now_ms);
    insert->BindText(6, by);
    if (Status inserted = insert->Run(); !inserted.Ok()) {
        return inserted.Err();
    }
    if (Status assigned = InsertAssignment(Db_, store, door, survey_id, record.Version, by, now_ms);
        !assigned.Ok()) {
        return assigned.Err();
    }
    if (Status committed = transaction->Commit(); !committed.Ok()) {
        return committed.Err();
    }
    return record;
}

Result<bool> SqliteServerStore::AssignSurvey(std::string_view store, std::string_view door,
                                             std::string_view survey_id, int version,
                                             std::string_view by, int64_t now_ms) {
    std::lock_guard lock(Mutex_);
    Result<Transaction> transaction = Transaction::Begin(Db_, "assign survey");
    if (!transaction.Ok()) {
        return transaction.Err();
    }
    Result<Statement> exists =
        Statement::Prepare(Db_, "find survey version",
                           "SELECT 1 FROM survey_versions WHERE survey_id = ?1 AND version = ?2");
    if (!exists.Ok()) {
        return exists.Err();
    }
    exists->BindText(1, survey_id);
    exists->BindInt64(2, version);
    Result<bool> found = exists->Step();
    if (!found.Ok()) {
        return found.Err();
    }
    if (!*found) {
        return false;
    }
    if (Status assigned = InsertAssignment(Db_, store, door, survey_id, version, by, now_ms);
        !assigned.Ok()) {
        return assigned.Err();
    }
    if (Status committed = transaction->Commit(); !committed.Ok()) {
        return committed.Err();
    }
    return true;
}

Result<std::vector<SurveyAssignment>> SqliteServerStore::ListSurveyAssignments(bool history) {
    std::lock_guard lock(Mutex_);
    std::string sql = SurveyAssignmentsSql(history);
    Result<Statement> select = Statement::Prepare(Db_, "list survey assignments", sql);
    if (!select.Ok()) {
        return select.Err();
    }
    return ReadAllRows<SurveyAssignment>(*select, ReadAssignment);
}

Result<std::vector<SurveyVersionRecord>> SqliteServerStore::ListSurveyVersions() {
    std::lock_guard lock(Mutex_);
    Result<Statement> select = Statement::Prepare(
        Db_, "list survey versions",
        "SELECT survey_id, version, etag, published_at_ms, published_by FROM survey_versions "
        "ORDER BY survey_id, version DESC");
    if (!select.Ok()) {
        return select.Err();
    }
    return ReadAllRows<SurveyVersionRecord>(*select, [](const Statement& row) {
        return SurveyVersionRecord{row.ColumnText(0),
                                   static_cast<int>(row.ColumnInt64(1)),
                                   "",
                                   row.ColumnText(2),
                                   row.ColumnInt64(3),
                                   row.ColumnText(4)};
    });
}

Result<std::optional<SurveyVersionRecord>> SqliteServerStore::FindSurveyVersion(
    std::string_view survey_id, int version) {
    std::lock_guard lock(Mutex_);
    Result<Statement> select = Statement::Prepare(
        Db_, "find survey version",
        "SELECT survey_id, version, definition, etag, published_at_ms, published_by "
        "FROM survey_versions WHERE survey_id = ?1 AND version = ?2");
    if (!select.Ok()) {
        return select.Err();
    }
    select->BindText(1, survey_id);
    select->BindInt64(2, version);
    return ReadOptionalRow<SurveyVersionRecord>(*select, [](const Statement& row) {
        return SurveyVersionRecord{row.ColumnText(0),  static_cast<int>(row.ColumnInt64(1)),
                                   row.ColumnText(2),  row.ColumnText(3),
                                   row.ColumnInt64(4), row.ColumnText(5)};
    });
}

}  // namespace doorstep::server
