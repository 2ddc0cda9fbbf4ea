// PgServerStore::StoreBatch: the one place responses enter head office's PostgreSQL database,
// with the outcomes of SqliteServerStore::StoreBatch (sqlite_server_batch.cpp), item for item.
//
// Inside ONE transaction for the whole batch, holding the device's batch lock:
//
//   SAVEPOINT; INSERT every item in one statement (unnested arrays) ... ON CONFLICT DO NOTHING
//     | then INSERT the new rows' scores in one statement --> each new item: held (new)
//     | the database refuses a row or a score (CHECK, range)
//     |   +--> ROLLBACK TO SAVEPOINT, then item by item, each under its own savepoint:
//     |          refused --> rolled back to its savepoint --> rejected 400 (that item only)
//     | an item a UNIQUE key already holds (nothing returned for it), read back afterwards:
//     |   uuid held, same seq and same content --> held (acked again, not stored twice)
//     |   uuid held otherwise, or seq held by another uuid --> conflict 409
//
// Rows are inserted in the batch's order, so a uuid or seq twice in one batch meets the first
// one's row, as in SQLite. A row that a LATER item of the batch inserted is not "already held"
// for an earlier item: the earlier one is judged on what was held when its turn came.
//
// Before anything, items PostgreSQL cannot hold as sent are rejected, as SQLite's schema would
// reject what it cannot hold: text with a NUL character (libpq sends text NUL-terminated; SQLite
// keeps such text), and more scores than kMaxScoresPerResponse (records.hpp).
//
// The new answers' counts go into the rollups (pg_rollups.cpp) and the device's stored_count,
// highest_seq and last_received_at_ms in the same transaction. The
// comment search needs no write: its GIN index follows the rows. Any other failure rolls the
// whole transaction back: nothing of the batch is stored or acked, and the kiosk sends it again.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/wire/wire.hpp"
#include "server/store/answer_dating.hpp"
#include "server/store/postgres/pg_response_rows.hpp"
#include "server/store/postgres/pg_rollups.hpp"
#include "server/store/postgres/pg_server_store.hpp"

namespace doorstep::server {
namespace {

// The rows go in as one array per column, unnested: a statement of 20 parameters whatever the
// batch's size. A multi-row VALUES list of one parameter per field (10,000 for a batch's scores)
// cost PostgreSQL more to parse and plan than to insert.
constexpr const char* kInsertResponses =
    "INSERT INTO responses (device_id, received_at_ms, seq, uuid, survey_id, survey_version, "
    "door, lang, kind, status, abandoned_at, started_at_ms, ended_at_ms, duration_ms, least_met, "
    "intent, comment, synthetic, suspect_reason, utc_offset_min, clock_shift_ms) "
    "SELECT $1, $2, given.* FROM unnest($3::bigint[], $4::text[], $5::text[], $6::bigint[], "
    "$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::bigint[], "
    "$14::bigint[], $15::text[], $16::bigint[], $17::text[], $18::smallint[], $19::text[], "
    "$20::integer[], $21::bigint[]) AS given ON CONFLICT DO NOTHING RETURNING id, uuid, seq";
constexpr const char* kInsertScores =
    "INSERT INTO response_scores (response_id, need, score, ordinal) "
    "SELECT * FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::integer[])";

std::string ItemField(const IncomingResponse& item) {
    return "responses[" + std::to_string(item.Index) + "]";
}

ItemIssue Conflict(const IncomingResponse& item, std::string message) {
    return ItemIssue{item.Seq, item.Data.Uuid, 409, ItemField(item), std::move(message)};
}

ItemIssue Refused(const IncomingResponse& item, const std::string& why) {
    return ItemIssue{item.Seq, item.Data.Uuid, 400, ItemField(item),
                     "the database refused the response: " + why};
}

// An integer array literal in which a missing value is NULL.
std::string PgOptionalIntArray(const std::vector<std::optional<int64_t>>& values) {
    std::string array = "{";
    for (const std::optional<int64_t>& value : values) {
        array += array.size() == 1 ? "" : ",";
        array += value ? std::to_string(*value) : "NULL";
    }
    return array + "}";
}

// Why PostgreSQL cannot hold this item as sent, or nothing.
std::optional<std::string> PgRefusal(const IncomingResponse& item) {
    const Response& data = item.Data;
    if (data.Scores.size() > kMaxScoresPerResponse) {
        return "insert response scores: " + std::to_string(data.Scores.size()) +
               " scores, at most " + std::to_string(kMaxScoresPerResponse);
    }
    std::vector<std::string_view> texts = {data.Uuid,     data.SurveyId,    data.Door,
                                           data.Language, data.AbandonedAt, data.LeastMet,
                                           data.Comment,  item.Suspect};
    for (const NeedScore& score : data.Scores) {
        texts.emplace_back(score.NeedId);
    }
    for (std::string_view text : texts) {
        if (text.find('\0') != std::string_view::npos) {
            return "a text holds a NUL character, which PostgreSQL cannot store";
        }
    }
    return std::nullopt;
}

// The columns of kInsertResponses from $3 on, one array each.
SqlParams ResponseColumns(std::string_view device_id, int64_t received_at_ms,
                          const std::vector<const IncomingResponse*>& items) {
    std::vector<int64_t> seqs, versions, started, ended, durations, synthetic, offsets, shifts;
    std::vector<std::string> uuids, surveys, doors, languages, kinds, statuses, abandoned_at,
        least_met, comments, suspect;
    std::vector<std::optional<int64_t>> intents;
    for (const IncomingResponse* item : items) {
        const Response& data = item->Data;
        seqs.push_back(item->Seq);
        uuids.push_back(data.Uuid);
        surveys.push_back(data.SurveyId);
        versions.push_back(data.SurveyVersion);
        doors.push_back(data.Door);
        languages.push_back(data.Language);
        kinds.emplace_back(ToString(data.Kind));
        statuses.emplace_back(ToString(data.Status));
        abandoned_at.push_back(data.AbandonedAt);
        started.push_back(data.StartedAtMs);
        ended.push_back(data.EndedAtMs);
        durations.push_back(data.DurationMs);
        least_met.push_back(data.LeastMet);
        intents.push_back(data.Intent ? std::optional<int64_t>(*data.Intent) : std::nullopt);
        comments.push_back(data.Comment);  // verbatim: a parameter, never spliced into SQL
        synthetic.push_back(data.Synthetic ? 1 : 0);
        suspect.push_back(item->Suspect);
        offsets.push_back(item->UtcOffsetMin);
        shifts.push_back(item->ClockShiftMs);
    }
    SqlParams params;
    params.Text(device_id).Int(received_at_ms);
    params.Text(PgIntArray(seqs))
        .Text(PgTextArray(uuids))
        .Text(PgTextArray(surveys))
        .Text(PgIntArray(versions))
        .Text(PgTextArray(doors))
        .Text(PgTextArray(languages))
        .Text(PgTextArray(kinds))
        .Text(PgTextArray(statuses))
        .Text(PgTextArray(abandoned_at))
        .Text(PgIntArray(started))
        .Text(PgIntArray(ended))
        .Text(PgIntArray(durations))
        .Text(PgTextArray(least_met))
        .Text(PgOptionalIntArray(intents))
        .Text(PgTextArray(comments))
        .Text(PgIntArray(synthetic))
        .Text(PgTextArray(suspect))
        .Text(PgIntArray(offsets))
        .Text(PgIntArray(shifts));
    return params;
}

// Inserts `items` and their scores. For each item: the new row's id, or nothing when a UNIQUE key
// already holds it. Error code kPgRefusedCode: the database refused one of them (which one is
// not known; the caller rolls back and tries them one at a time).
Result<std::vector<std::optional<int64_t>>> InsertItems(
    PgConnection& db, std::string_view device_id, const std::vector<const IncomingResponse*>& items,
    int64_t received_at_ms) {
    std::vector<std::optional<int64_t>> ids(items.size());
    if (items.empty()) {
        return ids;
    }
    std::map<std::pair<std::string, int64_t>, size_t> by_key;  // (uuid, seq): first item
    for (size_t i = 0; i < items.size(); ++i) {
        by_key.emplace(std::make_pair(items[i]->Data.Uuid, items[i]->Seq), i);
    }
    Result<SqlRows> inserted = db.Exec("insert responses", kInsertResponses,
                                       ResponseColumns(device_id, received_at_ms, items));
    if (!inserted.Ok()) {
        return inserted.Err();
    }
    // Of several items with one (uuid, seq) only the first can have gone in.
    for (int row = 0; row < inserted->Count(); ++row) {
        ids.at(by_key.at({inserted->Text(row, 1), inserted->Int(row, 2)})) = inserted->Int(row, 0);
    }
    std::vector<int64_t> response_ids, scores, ordinals;
    std::vector<std::string> needs;
    for (size_t i = 0; i < items.size(); ++i) {
        if (!ids[i]) {
            continue;
        }
        const std::vector<NeedScore>& given = items[i]->Data.Scores;
        for (size_t ordinal = 0; ordinal < given.size(); ++ordinal) {
            response_ids.push_back(*ids[i]);
            needs.push_back(given[ordinal].NeedId);
            scores.push_back(given[ordinal].Score);
            ordinals.push_back(static_cast<int64_t>(ordinal));
        }
    }
    if (!response_ids.empty()) {
        Status scored = db.Run("insert response scores", kInsertScores,
                               SqlParams()
                                   .Text(PgIntArray(response_ids))
                                   .Text(PgTextArray(needs))
                                   .Text(PgIntArray(scores))
                                   .Text(PgIntArray(ordinals)));
        if (!scored.Ok()) {
            return scored.Err();
        }
    }
    return ids;
}

// The device's stored responses that hold any of these uuids or seqs, with their scores.
Result<std::vector<ExportRow>> FindHeld(PgConnection& db, std::string_view device_id,
                                        const std::vector<std::string>& uuids,
                                        const std::vector<int64_t>& seqs,
                                        std::vector<int64_t>& ids) {
    Result<SqlRows> rows = db.Exec(
        "find held responses",
        "SELECT " + PgResponseRowColumns() +
            " FROM responses r JOIN devices d ON d.device_id = r.device_id WHERE r.device_id = $1 "
            "AND (r.uuid = ANY($2::text[]) OR r.seq = ANY($3::bigint[]))",
        SqlParams().Text(device_id).Text(PgTextArray(uuids)).Text(PgIntArray(seqs)));
    if (!rows.Ok()) {
        return rows.Err();
    }
    std::vector<ExportRow> held;
    for (int row = 0; row < rows->Count(); ++row) {
        Result<ExportRow> read = ReadPgResponseRow(*rows, row);
        if (!read.Ok()) {
            return read.Err();
        }
        held.push_back(std::move(*read));
        ids.push_back(rows->Int(row, 0));
    }
    if (Status scored = ReadPgScores(db, ids, held); !scored.Ok()) {
        return scored.Err();
    }
    return held;
}

// Inserts every item not refused before, in the batch's order: all in one go, or, when the
// database refuses one of them, one at a time under savepoints. Sets ids[i] for each item stored
// now and refusals[i] for each item refused.
Status InsertNew(PgConnection& db, std::string_view device_id,
                 const std::vector<IncomingResponse>& items, int64_t received_at_ms,
                 std::vector<std::optional<int64_t>>& ids,
                 std::vector<std::optional<std::string>>& refusals) {
    std::vector<const IncomingResponse*> storable;
    std::vector<size_t> storable_index;
    for (size_t i = 0; i < items.size(); ++i) {
        refusals[i] = PgRefusal(items[i]);
        if (!refusals[i]) {
            storable.push_back(&items[i]);
            storable_index.push_back(i);
        }
    }

    if (Status saved = db.Run("store batch", "SAVEPOINT whole_batch"); !saved.Ok()) {
        return saved;
    }
    Result<std::vector<std::optional<int64_t>>> all =
        InsertItems(db, device_id, storable, received_at_ms);
    if (!all.Ok() && all.Err().Code != kPgRefusedCode) {
        return all.Err();  // I/O, connection, busy: the whole batch rolls back
    }
    if (all.Ok()) {
        for (size_t k = 0; k < storable.size(); ++k) {
            ids[storable_index[k]] = (*all)[k];
        }
    } else {
        // DecodeBatch() validates every field first; this is the schema's last line of
        // defence, and it must reject the item, not block the kiosk's queue with a 500.
        if (Status undone = db.Run("store batch", "ROLLBACK TO SAVEPOINT whole_batch");
            !undone.Ok()) {
            return undone;
        }
        for (size_t k = 0; k < storable.size(); ++k) {
            if (Status saved = db.Run("store batch", "SAVEPOINT one_item"); !saved.Ok()) {
                return saved;
            }
            Result<std::vector<std::optional<int64_t>>> one =
                InsertItems(db, device_id, {storable[k]}, received_at_ms);
            const char* end = "RELEASE SAVEPOINT one_item";
            if (one.Ok()) {
                ids[storable_index[k]] = one->front();
            } else if (one.Err().Code == kPgRefusedCode) {
                refusals[storable_index[k]] = one.Err().Message;
                end = "ROLLBACK TO SAVEPOINT one_item";
            } else {
                return one.Err();
            }
            if (Status ended = db.Run("store batch", end); !ended.Ok()) {
                return ended;
            }
        }
    }
    return Success();
}

}  // namespace

Result<BatchOutcome> PgServerStore::StoreBatch(std::string_view device_id,
                                               const std::vector<IncomingResponse>& items,
                                               int64_t received_at_ms) {
    return WithConnection([&](PgConnection& db) -> Result<BatchOutcome> {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "store batch");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        Status locked =
            db.Run("lock the device's batches", "SELECT pg_advisory_xact_lock($1, hashtext($2))",
                   SqlParams().Int(kPgLockDeviceSpace).Text(device_id));
        if (!locked.Ok()) {
            return locked.Err();
        }
        std::vector<std::optional<std::string>> refusals(items.size());
        std::vector<std::optional<int64_t>> ids(items.size());
        Status inserted = InsertNew(db, device_id, items, received_at_ms, ids, refusals);
        if (!inserted.Ok()) {
            return inserted.Err();
        }

        // The repeats: read what holds their uuid or seq, once for the whole batch.
        std::vector<std::string> uuids;
        std::vector<int64_t> seqs;
        std::unordered_map<int64_t, size_t> inserted_by;  // row id: the item that inserted it
        for (size_t i = 0; i < items.size(); ++i) {
            if (ids[i]) {
                inserted_by.emplace(*ids[i], i);
            } else if (!refusals[i]) {
                uuids.push_back(items[i].Data.Uuid);
                seqs.push_back(items[i].Seq);
            }
        }
        std::vector<ExportRow> held;
        std::vector<int64_t> held_ids;
        if (!uuids.empty()) {
            Result<std::vector<ExportRow>> found = FindHeld(db, device_id, uuids, seqs, held_ids);
            if (!found.Ok()) {
                return found.Err();
            }
            held = std::move(*found);
        }
        // A device holds one row per uuid and one per seq. Held before item i: stored earlier, or
        // inserted by an item before it.
        std::unordered_map<std::string, size_t> held_by_uuid;
        std::unordered_map<int64_t, size_t> held_by_seq;
        for (size_t row = 0; row < held.size(); ++row) {
            held_by_uuid.emplace(held[row].Data.Uuid, row);
            held_by_seq.emplace(held[row].Seq, row);
        }
        auto find = [&](const auto& index, const auto& key, size_t i) -> const ExportRow* {
            auto found = index.find(key);
            if (found == index.end()) {
                return nullptr;
            }
            auto by = inserted_by.find(held_ids[found->second]);
            return by == inserted_by.end() || by->second < i ? &held[found->second] : nullptr;
        };

        BatchOutcome outcome;
        RollupDelta rollups;  // what the newly stored answers add to the report rollups
        for (size_t i = 0; i < items.size(); ++i) {
            const IncomingResponse& item = items[i];
            if (refusals[i]) {
                outcome.Rejected.push_back(Refused(item, *refusals[i]));
                continue;
            }
            if (ids[i]) {
                rollups.Add(item);
                outcome.Held.push_back(item.Seq);
                ++outcome.NewlyStored;
                continue;
            }
            const ExportRow* by_uuid = find(held_by_uuid, item.Data.Uuid, i);
            const ExportRow* by_seq = find(held_by_seq, item.Seq, i);
            if (by_uuid != nullptr) {
                if (IsSameAnswer(*by_uuid, item)) {
                    outcome.Held.push_back(item.Seq);
                } else {
                    outcome.Conflicts.push_back(Conflict(
                        item, "uuid " + item.Data.Uuid + " is already stored (as seq " +
                                  std::to_string(by_uuid->Seq) + ") with different content"));
                }
                continue;
            }
            std::string holder = by_seq != nullptr ? by_seq->Data.Uuid : std::string("unknown");
            outcome.Conflicts.push_back(Conflict(
                item, "seq " + std::to_string(item.Seq) +
                          " is already stored for another response (uuid " + holder + ")"));
        }
        if (Status counted = WritePgRollups(db, device_id, rollups); !counted.Ok()) {
            return counted.Err();
        }
        if (outcome.NewlyStored > 0) {
            int64_t highest_new_seq = 0;
            for (size_t i = 0; i < items.size(); ++i) {
                highest_new_seq =
                    ids[i] ? std::max(highest_new_seq, items[i].Seq) : highest_new_seq;
            }
            Status stored =
                db.Run("count stored answers",
                       "UPDATE devices SET stored_count = stored_count + $2, "
                       "highest_seq = greatest(highest_seq, $3), last_received_at_ms = $4 "
                       "WHERE device_id = $1",
                       SqlParams()
                           .Text(device_id)
                           .Int(outcome.NewlyStored)
                           .Int(highest_new_seq)
                           .Int(received_at_ms));
            if (!stored.Ok()) {
                return stored.Err();
            }
        }
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
        return outcome;
    });
}

}  // namespace doorstep::server
