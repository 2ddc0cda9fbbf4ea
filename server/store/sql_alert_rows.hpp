// The columns of an alert as every statement of the generic store selects them, and their
// reader (sql_alert_inbox.cpp).
#pragma once

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

}  // namespace doorstep::server
