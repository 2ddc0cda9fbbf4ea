#include "server/reports/export_csv.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <map>
#include <system_error>

#include "core/base/clock.hpp"
#include "core/base/csv.hpp"
#include "server/store/report_filter.hpp"

namespace doorstep::server {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

std::string ErrnoText(int error_number) {
    return std::generic_category().message(error_number);
}

// Writes the rows into a buffer and hands the buffer on a megabyte at a time.
class CsvSink final : public ExportSink {
  public:
    explicit CsvSink(const CsvChunkWriter& write) : Write_(write) {}

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
        record.AddText(row.SuspectReason);
        record.AddNumber(row.UtcOffsetMin);
        record.AddPlain(FormatUtcIso8601(row.ReceivedAtMs));
        Buffer_ += record.Finish();
        ++Rows_;
        return Buffer_.size() >= kFlushBytes ? Flush() : Success();
    }

    Status Flush() {
        if (Buffer_.empty()) {
            return Success();
        }
        Status written = Write_(Buffer_);
        Buffer_.clear();
        return written;
    }

    int64_t Rows() const { return Rows_; }

  private:
    const CsvChunkWriter& Write_;
    std::vector<std::string> Needs_;
    std::string Buffer_;
    int64_t Rows_ = 0;
};

}  // namespace

std::optional<int64_t> ParseUtcDate(std::string_view text) {
    std::optional<int64_t> day = IsoDateToDay(text);
    if (!day || *day < 0) {
        return std::nullopt;  // not a date, or before 1970
    }
    return *day * 86'400'000;
}

std::vector<std::string> ExportHeader(const std::vector<std::string>& score_needs) {
    std::vector<std::string> header = {"device_id", "store",          "door",   "seq",
                                       "uuid",      "kind",           "status", "abandoned_at",
                                       "survey_id", "survey_version", "lang",   "started_at",
                                       "ended_at",  "duration_ms"};
    for (const std::string& need : score_needs) {
        header.push_back("score_" + need);
    }
    for (const char* name : {"least_met", "intent", "comment", "synthetic", "suspect_reason",
                             "utc_offset_min", "received_at"}) {
        header.emplace_back(name);
    }
    return header;
}

Result<int64_t> ExportCsv(ServerStore& store, const ExportFilter& filter,
                          const CsvChunkWriter& write) {
    CsvSink sink(write);
    Status exported = store.ExportResponses(filter, sink);
    if (exported.Ok()) {
        exported = sink.Flush();
    }
    if (!exported.Ok()) {
        return exported.Err();
    }
    return sink.Rows();
}

Result<int64_t> ExportCsvFile(ServerStore& store, const ExportFilter& filter,
                              const std::string& path) {
    std::string temporary = path + ".partial";
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        int error_number = errno;
        return Error{"create " + temporary + ": " + ErrnoText(error_number), error_number};
    }
    auto write_file = [fd](std::string_view chunk) -> Status {
        size_t written = 0;
        while (written < chunk.size()) {
            ssize_t n = ::write(fd, chunk.data() + written, chunk.size() - written);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                int error_number = errno;
                return Error{"write export: " + ErrnoText(error_number), error_number};
            }
            written += static_cast<size_t>(n);
        }
        return Success();
    };
    Result<int64_t> rows = ExportCsv(store, filter, write_file);
    Status exported = rows.Ok() ? Success() : Status(rows.Err());
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
    return *rows;
}

}  // namespace doorstep::server
