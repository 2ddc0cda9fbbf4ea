#include "rollup_sql.hpp"

namespace doorstep::server {

std::string RollupUpsertSql(std::string_view table,
                            std::initializer_list<std::string_view> extra_keys,
                            std::initializer_list<std::string_view> counts, size_t rows,
                            Placeholders style) {
    std::string keys = kRollupKeyColumns;
    for (std::string_view key : extra_keys) {
        keys.append(", ").append(key);
    }
    std::string columns = keys;
    std::string update;
    for (std::string_view count : counts) {
        columns.append(", ").append(count);
        update.append(update.empty() ? "" : ", ");
        update.append(count).append(" = ").append(table).append(".").append(count);
        update.append(" + excluded.").append(count);
    }
    const char* mark = style == Placeholders::Sqlite ? "?" : "$";
    size_t per_row = kRollupKeyCount + extra_keys.size() + counts.size();
    std::string values;
    for (size_t row = 0; row < rows; ++row) {
        values.append(row == 0 ? "(" : ", (");
        for (size_t i = 1; i <= per_row; ++i) {
            values.append(i == 1 ? "" : ", ")
                .append(mark)
                .append(std::to_string(row * per_row + i));
        }
        values.append(")");
    }
    return "INSERT INTO " + std::string(table) + " (" + columns + ") VALUES " + values +
           " ON CONFLICT (" + keys + ") DO UPDATE SET " + update;
}

}  // namespace doorstep::server
