#include "core/base/log.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "core/base/clock.hpp"

namespace doorstep {
namespace {

std::atomic<LogLevel> g_minimum_level{LogLevel::Info};
std::mutex g_log_mutex;  // one line at a time from the UI and uploader threads

std::string_view LevelName(LogLevel level) {
    switch (level) {
        case LogLevel::Debug:
            return "debug";
        case LogLevel::Info:
            return "info";
        case LogLevel::Warning:
            return "warning";
        case LogLevel::Error:
            return "error";
    }
    return "info";
}

int SyslogPriority(LogLevel level) {
    switch (level) {
        case LogLevel::Debug:
            return 7;
        case LogLevel::Info:
            return 6;
        case LogLevel::Warning:
            return 4;
        case LogLevel::Error:
            return 3;
    }
    return 6;
}

// Quotes a value when it holds spaces, quotes or equals signs, so lines stay machine-readable.
void AppendValue(std::string& line, std::string_view value) {
    bool needs_quotes = value.empty() || value.find_first_of(" \"=\t\n") != std::string_view::npos;
    if (!needs_quotes) {
        line.append(value);
        return;
    }
    line.push_back('"');
    for (char c : value) {
        if (c == '"' || c == '\\') {
            line.push_back('\\');
            line.push_back(c);
        } else if (c == '\n') {
            line.append("\\n");
        } else {
            line.push_back(c);
        }
    }
    line.push_back('"');
}

}  // namespace

void SetMinimumLogLevel(LogLevel level) {
    g_minimum_level = level;
}

void Log(LogLevel level, std::string_view component, std::string_view message,
         std::initializer_list<LogField> fields) {
    if (level < g_minimum_level.load()) {
        return;
    }
    std::string line;
    const char* prefix = std::getenv("DOORSTEP_LOG_PREFIX");
    if (prefix != nullptr && prefix[0] == '1') {
        line += "<" + std::to_string(SyslogPriority(level)) + ">";
    }
    line += "ts=" + FormatUtcIso8601(WallClockMs());
    line += " level=";
    line += LevelName(level);
    line += " component=";
    line += component;
    line += " msg=";
    AppendValue(line, message);
    for (const auto& [key, value] : fields) {
        line.push_back(' ');
        line.append(key);
        line.push_back('=');
        AppendValue(line, value);
    }
    line.push_back('\n');
    std::lock_guard lock(g_log_mutex);
    std::fputs(line.c_str(), stderr);
}

}  // namespace doorstep
