// doctest main. Info lines from the code under test are hidden so failures stand out; set
// DOORSTEP_TEST_LOG=1 to see them.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>

#include "core/base/log.hpp"

int main(int argc, char** argv) {
    if (std::getenv("DOORSTEP_TEST_LOG") == nullptr) {
        doorstep::SetMinimumLogLevel(doorstep::LogLevel::Error);
    }
    doctest::Context context(argc, argv);
    return context.run();
}
