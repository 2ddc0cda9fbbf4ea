// The columns of an alert as every statement of the generic store selects them, and their
// reader (sql_alert_inbox.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "server/store/records.hpp"
#include "server/store/sql_session.hpp"

namespace doorstep::server {

extern const char* const kAlertColumns;

AlertRecord ReadAlert(const SqlRows& rows, int row);

// Pain points as the alerts table keeps them: "support:4,trust:2".
std::string EncodePainPoints(const std::vector<PainPoint>& points);
std::vector<PainPoint> DecodePainPoints(const std::string& text);

// Inside a transaction: opens an answer's alert unless its rule and answer have one already
// (alerts_once_per_answer). The alert opened, or nothing.
Result<std::optional<AlertRecord>> InsertAnswerAlert(SqlSession& db, const AlertRecord& alert,
                                                     int64_t now_ms, bool queue_webhook,
                                                     bool queue_mail);

}  // namespace doorstep::server
