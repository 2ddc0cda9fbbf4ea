#include "server/http/turn_away_queue.hpp"

#include <utility>

namespace doorstep::server {
namespace {

thread_local bool t_turning_away = false;

}  // namespace

void TurnAwayQueue::enqueue(std::function<void()> connection) {
    if (Waiting_.load() >= MaxWaiting_) {
        TurnAway_.enqueue([connection = std::move(connection)] {
            t_turning_away = true;
            connection();
            t_turning_away = false;
        });
        return;
    }
    ++Waiting_;
    Workers_.enqueue([this, connection = std::move(connection)] {
        --Waiting_;
        connection();
    });
}

void TurnAwayQueue::shutdown() {
    Workers_.shutdown();
    TurnAway_.shutdown();
}

bool TurningAway() {
    return t_turning_away;
}

}  // namespace doorstep::server
