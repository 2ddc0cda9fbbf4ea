// How a fuzz target says a property broke: it names the property and aborts, which libFuzzer
// reports as a crash (keeping the input) and the replay build as a failed test.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace doorstep::fuzz {

inline void Require(bool holds, const char* property) {
    if (!holds) {
        std::fprintf(stderr, "fuzz property violated: %s\n", property);
        std::abort();
    }
}

}  // namespace doorstep::fuzz
