// Structured log lines on stderr: `ts=... level=error component=store msg="..." key=value`.
// journald keeps the level from the `<N>` prefix when DOORSTEP_LOG_PREFIX=1 (set in the unit).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace doorstep {

enum class LogLevel { Debug, Info, Warning, Error };

using LogField = std::pair<std::string_view, std::string>;

void Log(LogLevel level, std::string_view component, std::string_view message,
         std::initializer_list<LogField> fields = {});
void SetMinimumLogLevel(LogLevel level);

}  // namespace doorstep
