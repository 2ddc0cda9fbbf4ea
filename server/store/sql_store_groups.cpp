// The generic store's store groups: head office's grouping of its stores (regions, formats),
// which the key drivers are reported by (server/linkage/store_groups.hpp).
#include "server/store/sql_server_store.hpp"

namespace doorstep::server {

Status SqlServerStore::ReplaceStoreGroups(const std::vector<StoreGroupRecord>& groups,
                                          std::string_view by, int64_t now_ms) {
    return WithSession([&](SqlSession& db) -> Status {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "replace store groups");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        if (Status cleared = db.Run("clear store groups", "DELETE FROM store_groups");
            !cleared.Ok()) {
            return cleared;
        }
        for (const StoreGroupRecord& group : groups) {
            Status added =
                db.Run("add store group",
                       "INSERT INTO store_groups (store, group_name, set_at_ms, "
                       "set_by) VALUES ($1, $2, $3, $4)",
                       SqlParams().Text(group.Store).Text(group.Group).Int(now_ms).Text(by));
            if (!added.Ok()) {
                return added;
            }
        }
        return transaction->Commit();
    });
}

Result<std::vector<StoreGroupRecord>> SqlServerStore::ListStoreGroups() {
    return InSession<std::vector<StoreGroupRecord>>(
        [&](SqlSession& db) -> Result<std::vector<StoreGroupRecord>> {
            Result<SqlRows> rows = db.Exec("list store groups",
                                           "SELECT store, group_name FROM store_groups ORDER BY "
                                           "store" +
                                               std::string(db.BinaryCollation()));
            if (!rows.Ok()) {
                return rows.Err();
            }
            return ReadSqlRows<StoreGroupRecord>(*rows, [](const SqlRows& found, int row) {
                return StoreGroupRecord{found.Text(row, 0), found.Text(row, 1)};
            });
        });
}

}  // namespace doorstep::server
