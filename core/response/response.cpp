#include "core/response/response.hpp"

#include <array>
#include <utility>

namespace doorstep {
namespace {

template <typename Enum, size_t N>
std::optional<Enum> Lookup(const std::array<std::pair<Enum, std::string_view>, N>& table,
                           std::string_view text) {
    for (const auto& [value, name] : table) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

template <typename Enum, size_t N>
std::string_view Name(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
    for (const auto& [candidate, name] : table) {
        if (candidate == value) {
            return name;
        }
    }
    return "unknown";
}

constexpr std::array<std::pair<ResponseStatus, std::string_view>, 2> kStatusNames{{
    {ResponseStatus::Completed, "completed"},
    {ResponseStatus::Abandoned, "abandoned"},
}};
constexpr std::array<std::pair<ResponseKind, std::string_view>, 2> kKindNames{{
    {ResponseKind::Customer, "customer"},
    {ResponseKind::Staff, "staff"},
}};
constexpr std::array<std::pair<SyncState, std::string_view>, 4> kSyncNames{{
    {SyncState::Pending, "pending"},
    {SyncState::Synced, "synced"},
    {SyncState::Conflict, "conflict"},
    {SyncState::Rejected, "rejected"},
}};

}  // namespace

std::string_view ToString(ResponseStatus status) {
    return Name(kStatusNames, status);
}
std::string_view ToString(ResponseKind kind) {
    return Name(kKindNames, kind);
}
std::string_view ToString(SyncState state) {
    return Name(kSyncNames, state);
}
std::optional<ResponseStatus> ParseResponseStatus(std::string_view text) {
    return Lookup(kStatusNames, text);
}
std::optional<ResponseKind> ParseResponseKind(std::string_view text) {
    return Lookup(kKindNames, text);
}
std::optional<SyncState> ParseSyncState(std::string_view text) {
    return Lookup(kSyncNames, text);
}

}  // namespace doorstep
