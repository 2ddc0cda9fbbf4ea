// doctest main for doorstep-server's tests. Info lines from the code under test are hidden so
// failures stand out; set DOORSTEP_TEST_LOG=1 to see them.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <signal.h>
#include <sodium.h>

#include <cstdlib>

#include "core/base/log.hpp"

int main(int argc, char** argv) {
    if (sodium_init() < 0) {
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);  // a refused upload may close the connection under the client
    if (std::getenv("DOORSTEP_TEST_LOG") == nullptr) {
        doorstep::SetMinimumLogLevel(doorstep::LogLevel::Error);
    }
    doctest::Context context(argc, argv);
    return context.run();
}
