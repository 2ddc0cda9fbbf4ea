#include "kiosk/manager/manager_data.hpp"

namespace doorstep {
namespace {

Period ToPeriod(SummaryPeriod period) {
    switch (period) {
        case SummaryPeriod::Today:
            return Period::Today;
        case SummaryPeriod::Last7Days:
            return Period::Last7Days;
        case SummaryPeriod::Last28Days:
            return Period::Last28Days;
    }
    return Period::Today;
}

constexpr int kCommentsPerPage = 4;  // few and large: read at arm's length

}  // namespace

std::string ManagerDataKey(const FlowState& state) {
    return std::to_string(static_cast<int>(state.Tab)) + "/" +
           std::to_string(static_cast<int>(state.Period)) + "/" +
           std::to_string(state.IncludeSuspect) + "/" + std::to_string(state.NegativeOnly) + "/" +
           std::to_string(state.CommentsPage) + "/" + std::to_string(state.HeatMapNeedIndex) + "/" +
           std::to_string(state.AlertIndex);
}

ManagerData LoadManagerData(sqlite3* db, const FlowConfig& config, const FlowState& state,
                            int64_t now_wall_ms) {
    ManagerData data;
    SummaryFilter filter;
    filter.Span = ToPeriod(state.Period);
    filter.IncludeSuspect = state.IncludeSuspect;
    auto keep = [&](auto result, auto& into) {
        if (result.Ok()) {
            into = std::move(*result);
        } else if (data.Error.empty()) {
            data.Error = result.Err().Message;
        }
    };
    switch (state.Tab) {
        case ManagerTab::Summary:
            keep(SummarizeNeeds(db, config.NeedIds, filter, now_wall_ms), data.Needs);
            keep(RankLeastMet(db, config.NeedIds, filter, now_wall_ms), data.LeastMet);
            keep(SummarizeIntent(db, filter, now_wall_ms), data.Intent);
            keep(SummarizeCompletion(db, filter, now_wall_ms), data.Completion);
            keep(SummarizeSuspects(db, filter, now_wall_ms), data.Suspects);
            break;
        case ManagerTab::HeatMap:
            if (!config.NeedIds.empty()) {
                size_t need = static_cast<size_t>(state.HeatMapNeedIndex) % config.NeedIds.size();
                keep(SummarizeHeatMap(db, config.NeedIds[need], filter, now_wall_ms), data.Heat);
            }
            break;
        case ManagerTab::Comments: {
            CommentQuery query;
            query.NegativeOnly = state.NegativeOnly;
            query.Limit = kCommentsPerPage;
            query.Offset = state.CommentsPage * kCommentsPerPage;
            keep(ListComments(db, filter, now_wall_ms, query), data.Comments);
            break;
        }
        case ManagerTab::Staff:
            keep(SummarizeStaffGap(db, config.NeedIds, filter, now_wall_ms), data.Gap);
            break;
        case ManagerTab::Sync:
        case ManagerTab::Alerts:
            break;  // the uploader's status is pushed; the alerts come from the Store
    }
    return data;
}

}  // namespace doorstep
