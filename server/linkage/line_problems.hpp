// What head office's strict CSV readers (outcomes, store groups) refuse, line by line: every
// problem named with its line and reason, the first kMaxLineProblems listed and the rest counted,
// so a file of a million bad lines gets a readable answer.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace doorstep::server {

inline constexpr size_t kMaxLineProblems = 100;

struct LineProblem {
    int Line = 0;  // 1 is the header
    std::string Reason;
    std::string Describe() const { return "line " + std::to_string(Line) + ": " + Reason; }
};

struct LineProblems {
    std::vector<LineProblem> Listed;  // at most kMaxLineProblems, by line
    int More = 0;                     // beyond those listed

    void Refuse(int line, std::string reason) {
        if (Listed.size() < kMaxLineProblems) {
            Listed.push_back({line, std::move(reason)});
        } else {
            More += 1;
        }
    }
    bool Empty() const { return Listed.empty(); }
    size_t Count() const { return Listed.size() + static_cast<size_t>(More); }
    void SortByLine() {
        std::stable_sort(
            Listed.begin(), Listed.end(),
            [](const LineProblem& a, const LineProblem& b) { return a.Line < b.Line; });
    }
};

}  // namespace doorstep::server
