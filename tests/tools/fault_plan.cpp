#include "fault_plan.hpp"

#include <charconv>

namespace doorstep::fault {

const char* const kPlanHelp =
    "pass, drop_response, reset, reset_mid_response, stall:MS, trickle:BYTES_PER_SEC, "
    "latency:MS[:JITTER_MS], bandwidth:BYTES_PER_SEC, close_after_up:N, close_after_down:N, "
    "status:CODE[:RETRY_AFTER_S], or random:A|B|C of those";

namespace {

std::vector<std::string_view> Split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (;;) {
        size_t at = text.find(separator);
        parts.push_back(text.substr(0, at));
        if (at == std::string_view::npos) {
            return parts;
        }
        text.remove_prefix(at + 1);
    }
}

bool ParseInt(std::string_view text, int64_t minimum, int64_t maximum, int64_t& value) {
    auto [end, code] = std::from_chars(text.data(), text.data() + text.size(), value);
    return code == std::errc() && end == text.data() + text.size() && value >= minimum &&
           value <= maximum;
}

struct Form {
    const char* Name;
    BehaviourKind Kind;
    size_t MinArgs;
    size_t MaxArgs;
    const char* Usage;
};

constexpr Form kForms[] = {
    {"pass", BehaviourKind::Pass, 0, 0, "pass"},
    {"drop_response", BehaviourKind::DropResponse, 0, 0, "drop_response"},
    {"reset", BehaviourKind::Reset, 0, 0, "reset"},
    {"reset_mid_response", BehaviourKind::ResetMidResponse, 0, 0, "reset_mid_response"},
    {"stall", BehaviourKind::Stall, 1, 1, "stall:MS"},
    {"trickle", BehaviourKind::Trickle, 1, 1, "trickle:BYTES_PER_SEC"},
    {"latency", BehaviourKind::Latency, 1, 2, "latency:MS[:JITTER_MS]"},
    {"bandwidth", BehaviourKind::Bandwidth, 1, 1, "bandwidth:BYTES_PER_SEC"},
    {"close_after_up", BehaviourKind::CloseAfterUp, 1, 1, "close_after_up:N"},
    {"close_after_down", BehaviourKind::CloseAfterDown, 1, 1, "close_after_down:N"},
    {"status", BehaviourKind::Status, 1, 2, "status:CODE[:RETRY_AFTER_S]"},
};

constexpr int64_t kMaxMillis = 24 * 3600 * 1000;  // a day: anything longer is a typo
constexpr int64_t kMaxRate = int64_t{1} << 40;

}  // namespace

std::optional<Behaviour> ParseBehaviour(std::string_view text, std::string& error) {
    std::vector<std::string_view> parts = Split(text, ':');
    const Form* form = nullptr;
    for (const Form& candidate : kForms) {
        if (parts[0] == candidate.Name) {
            form = &candidate;
        }
    }
    if (form == nullptr) {
        error = "unknown behaviour '" + std::string(text) + "': expected " + kPlanHelp;
        return std::nullopt;
    }
    const size_t args = parts.size() - 1;
    if (args < form->MinArgs || args > form->MaxArgs) {
        error = "'" + std::string(text) + "' is malformed: expected " + form->Usage;
        return std::nullopt;
    }
    Behaviour behaviour;
    behaviour.Kind = form->Kind;
    behaviour.Spec = std::string(text);
    // Every numeric argument is checked against its range; the message names the usage form.
    auto number = [&](size_t index, int64_t minimum, int64_t maximum, int64_t& value) {
        if (ParseInt(parts[index], minimum, maximum, value)) {
            return true;
        }
        error = "'" + std::string(text) + "': argument " + std::to_string(index) + " must be " +
                std::to_string(minimum) + ".." + std::to_string(maximum) + " (" + form->Usage + ")";
        return false;
    };
    bool ok = true;
    switch (form->Kind) {
        case BehaviourKind::Stall:
            ok = number(1, 0, kMaxMillis, behaviour.Millis);
            break;
        case BehaviourKind::Latency:
            ok = number(1, 0, kMaxMillis, behaviour.Millis) &&
                 (args < 2 || number(2, 0, kMaxMillis, behaviour.JitterMillis));
            break;
        case BehaviourKind::Trickle:
        case BehaviourKind::Bandwidth:
            ok = number(1, 1, kMaxRate, behaviour.BytesPerSecond);
            break;
        case BehaviourKind::CloseAfterUp:
        case BehaviourKind::CloseAfterDown:
            ok = number(1, 0, kMaxRate, behaviour.Bytes);
            break;
        case BehaviourKind::Status: {
            int64_t code = 0;
            ok = number(1, 200, 599, code) &&
                 (args < 2 || number(2, 0, kMaxMillis / 1000, behaviour.RetryAfterSeconds));
            behaviour.StatusCode = static_cast<int>(code);
            break;
        }
        default:
            break;
    }
    if (!ok) {
        return std::nullopt;
    }
    return behaviour;
}

std::optional<Plan> Plan::Parse(std::string_view text, std::string& error) {
    Plan plan;
    for (std::string_view entry_text : Split(text, ',')) {
        PlanEntry entry;
        std::string_view choices = entry_text;
        constexpr std::string_view kRandom = "random:";
        if (entry_text.substr(0, kRandom.size()) == kRandom) {
            entry.Random = true;
            choices.remove_prefix(kRandom.size());
        }
        for (std::string_view choice : Split(choices, '|')) {
            if (!entry.Random && choices.find('|') != std::string_view::npos) {
                error = "'" + std::string(entry_text) + "': use random:A|B to choose at random";
                return std::nullopt;
            }
            std::optional<Behaviour> behaviour = ParseBehaviour(choice, error);
            if (!behaviour) {
                return std::nullopt;
            }
            entry.Choices.push_back(std::move(*behaviour));
        }
        plan.Entries_.push_back(std::move(entry));
    }
    return plan;
}

const Behaviour& Plan::Next(std::mt19937_64& random) {
    const PlanEntry& entry = Entries_[NextEntry_];
    NextEntry_ = (NextEntry_ + 1) % Entries_.size();
    if (!entry.Random) {
        return entry.Choices.front();
    }
    // Plain modulo, not a std distribution: mt19937_64's output is fixed by the standard, so a
    // seed picks the same behaviours with any standard library. The bias is irrelevant here.
    return entry.Choices[random() % entry.Choices.size()];
}

}  // namespace doorstep::fault
