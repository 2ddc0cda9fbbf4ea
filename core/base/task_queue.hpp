// The one way background threads reach the UI thread: Post() a task, the UI thread runs it.
// Tasks are swapped out under the lock and run outside it, so a slow task never blocks a poster.
#pragma once

#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace doorstep {

class TaskQueue {
  public:
    // `wake` is called after every Post(), from the posting thread; the window passes a function
    // that pushes an SDL user event so the sleeping UI loop wakes at once.
    explicit TaskQueue(std::function<void()> wake) : Wake_(std::move(wake)) {}

    void Post(std::function<void()> task) {
        {
            std::lock_guard lock(Mutex_);
            Tasks_.push_back(std::move(task));
        }
        if (Wake_) {
            Wake_();
        }
    }

    // UI thread only. Returns how many tasks ran.
    size_t RunPending() {
        std::vector<std::function<void()>> tasks;
        {
            std::lock_guard lock(Mutex_);
            tasks.swap(Tasks_);
        }
        for (auto& task : tasks) {
            task();
        }
        return tasks.size();
    }

  private:
    std::function<void()> Wake_;
    std::mutex Mutex_;
    std::vector<std::function<void()>> Tasks_;
};

}  // namespace doorstep
