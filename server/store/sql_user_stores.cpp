// The generic store's accounts' stores: which stores' customers an account may contact
// (docs/server.md, "Head-office users and the API").
#include "server/store/sql_server_store.hpp"

namespace doorstep::server {

Result<bool> SqlServerStore::SetUserStores(std::string_view user,
                                           const std::vector<std::string>& stores) {
    return InSession<bool>([&](SqlSession& db) -> Result<bool> {
        Result<SqlTransaction> transaction = SqlTransaction::Begin(db, "set user's stores");
        if (!transaction.Ok()) {
            return transaction.Err();
        }
        Result<SqlRows> known =
            db.Exec("find user", "SELECT name FROM users WHERE name = $1", SqlParams().Text(user));
        if (!known.Ok()) {
            return known.Err();
        }
        if (known->Count() == 0) {
            return false;
        }
        Status cleared =
            db.Run("clear user's stores", "DELETE FROM user_stores WHERE user_name = $1",
                   SqlParams().Text(user));
        if (!cleared.Ok()) {
            return cleared.Err();
        }
        for (const std::string& store : stores) {
            Status added = db.Run("add user's store",
                                  "INSERT INTO user_stores (user_name, store_id) VALUES ($1, $2) "
                                  "ON CONFLICT DO NOTHING",
                                  SqlParams().Text(user).Text(store));
            if (!added.Ok()) {
                return added.Err();
            }
        }
        if (Status committed = transaction->Commit(); !committed.Ok()) {
            return committed.Err();
        }
        return true;
    });
}

Result<std::vector<std::string>> SqlServerStore::ListUserStores(std::string_view user) {
    return InSession<std::vector<std::string>>(
        [&](SqlSession& db) -> Result<std::vector<std::string>> {
            Result<SqlRows> rows = db.Exec("list user's stores",
                                           "SELECT store_id FROM user_stores WHERE user_name = $1 "
                                           "ORDER BY store_id" +
                                               std::string(db.BinaryCollation()),
                                           SqlParams().Text(user));
            if (!rows.Ok()) {
                return rows.Err();
            }
            return ReadSqlRows<std::string>(
                *rows, [](const SqlRows& found, int row) { return found.Text(row, 0); });
        });
}

}  // namespace doorstep::server
