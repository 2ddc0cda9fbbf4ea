#include "export_csv.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <map>
#include <system_error>

#include "clock.hpp"
#include "csv.hpp"

namespace doorstep::server {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

std::string ErrnoText(int error_number) {
    return std::generic_category().message(error_number);
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day) {
    year -= month <= 2 ? 1 : 0;
    const int64_t era = (year >= 0 ? year : year - 399) / 400;
    const int64_t year_of_era = year - era * 400;
    const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

int DaysInMonth(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

// Writes the rows into a buffer and the buffer into the file a megabyte at a time.
class CsvFileSink final : public ExportSink {
  public:
    explicit CsvFileSink(int fd) : Fd_(fd) {}

    Status Begin(const std::vector<std::string>& need_ids) override {
        Needs_ = ScoreColumnNeeds(need_ids);
        CsvRecord header;
        for (const std::string& name : ExportHeader(Needs_)) {
            header.AddPlain(name);
        }
        Buffer_ += header.Finish();
        return Success();
    }

    Status Row(const ExportRow& row) override {
        const Response& data = row.Data;
        CsvRecord record;
        record.AddText(row.DeviceId);
        record.AddText(row.Store);
        record.AddText(data.Door);
        record.AddNumber(row.Seq);
        record.AddText(data.Uuid);
        record.AddPlain(ToString(data.Kind));
        record.AddPlain(ToString(data.Status));
        record.AddText(data.AbandonedAt);
        record.AddText(data.SurveyId);
        record.AddNumber(data.SurveyVersion);
        record.AddText(data.Language);
        record.AddPlain(FormatUtcIso8601(data.StartedAtMs));
        record.AddPlain(FormatUtcIso8601(data.EndedAtMs));
        record.AddNumber(data.DurationMs);
        std::map<std::string, int64_t> scores;
        for (const NeedScore& score : data.Scores) {
            scores[score.NeedId] = score.Score;
        }
        AddScoreCells(record, Needs_, scores);
        record.AddText(data.LeastMet);
        record.AddOptionalNumber(data.Intent ? std::optional<int64_t>(*data.Intent) : std::nullopt);
        record.AddText(data.Comment);
        record.AddPlain(data.Synthetic ? "true" : "false");
        record.AddPlain(FormatUtcIso8601(row.ReceivedAtMs));
        Buffer_ += record.Finish();
        ++Rows_;
        return Buffer_.size() >= kFlushBytes ? Flush() : Success();
    }

    Status Flush() {
        size_t written = 0;
        while (written < Buffer_.size()) {
            ssize_t n = ::write(Fd_, Buffer_.data() + written, Buffer_.size() - written);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                int error_number = errno;
                return Error{"write export: " + ErrnoText(error_number), error_number};
            }
            written += static_cast<size_t>(n);
        }
        Buffer_.clear();
        return Success();
    }

    int64_t Rows() const { return Rows_; }

  private:
    int Fd_;
    std::vector<std::string> Needs_;
    std::string Buffer_;
    int64_t Rows_ = 0;
};

}  // namespace

std::optional<int64_t> ParseUtcDate(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    int parts[3] = {0, 0, 0};
    const std::pair<size_t, size_t> spans[3] = {{0, 4}, {5, 2}, {8, 2}};
    for (int i = 0; i < 3; ++i) {
        std::string_view digits = text.substr(spans[i].first, spans[i].second);
        if (!std::all_of(digits.begin(), digits.end(),
                         [](char c) { return c >= '0' && c <= '9'; })) {
            return std::nullopt;
        }
        std::from_chars(digits.data(), digits.data() + digits.size(), parts[i]);
    }
    auto [year, month, day] = parts;
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
        return std::nullopt;
    }
    return DaysFromCivil(year, month, day) * 86'400'000;
}

std::vector<std::string> ExportHeader(const std::vector<std::string>& score_needs) {
    std::vector<std::string> header = {"device_id", "store",          "door",   "seq",
                                       "uuid",      "kind",           "status", "abandoned_at",
                                       "survey_id", "survey_version", "lang",   "started_at",
                                       "ended_at",  "duration_ms"};
    for (const std::string& need : score_needs) {
        header.push_back("score_" + need);
    }
    for (const char* name : {"least_met", "intent", "comment", "synthetic", "received_at"}) {
        header.emplace_back(name);
    }
    return header;
}

Result<int64_t> ExportCsvFile(ServerStore& store, const ExportFilter& filter,
                              const std::string& path) {
    std::string temporary = path + ".partial";
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        int error_number = errno;
        return Error{"create " + temporary + ": " + ErrnoText(error_number), error_number};
    }
    CsvFileSink sink(fd);
    Status exported = store.ExportResponses(filter, sink);
    if (exported.Ok()) {
        exported = sink.Flush();
    }
    if (exported.Ok() && ::fsync(fd) != 0) {
        int error_number = errno;
        exported = Error{"write " + temporary + ": " + ErrnoText(error_number), error_number};
    }
    if (::close(fd) != 0 && exported.Ok()) {
        int error_number = errno;
        exported = Error{"close " + temporary + ": " + ErrnoText(error_number), error_number};
    }
    if (exported.Ok() && std::rename(temporary.c_str(), path.c_str()) != 0) {
        int error_number = errno;
        exported = Error{"rename " + temporary + " to " + path + ": " + ErrnoText(error_number),
                         error_number};
    }
    if (!exported.Ok()) {
        ::unlink(temporary.c_str());
        return exported.Err();
    }
    return sink.Rows();
}

}  // namespace doorstep::server
