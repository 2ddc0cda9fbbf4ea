// The headphone jack as a gesture: only plugging headphones in starts speech mode, once per
// plugging in; every other event is ignored, and devices that are not jacks are not watched.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <linux/input.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "counter.hpp"
#include "kiosk/speech/headphone_jack.hpp"

using namespace doorstep;

namespace {

input_event Input(int type, int code, int value) {
    input_event event{};
    event.type = static_cast<__u16>(type);
    event.code = static_cast<__u16>(code);
    event.value = value;
    return event;
}

void Send(int fd, const std::vector<input_event>& events) {
    auto bytes = static_cast<ssize_t>(events.size() * sizeof(input_event));
    REQUIRE(write(fd, events.data(), static_cast<size_t>(bytes)) == bytes);
}

}  // namespace

TEST_CASE("headphone jack: plugging in is the gesture; unplugging and other events are not") {
    int ends[2];
    REQUIRE(pipe2(ends, O_CLOEXEC) == 0);  // Watch() makes its end non-blocking itself
    testing::Counter plugged;
    std::unique_ptr<HeadphoneJack> jack =
        HeadphoneJack::Watch({ends[0]}, [&plugged] { plugged.Add(); });
    REQUIRE(jack != nullptr);
    Send(ends[1], {Input(EV_KEY, KEY_VOLUMEUP, 1), Input(EV_SW, SW_HEADPHONE_INSERT, 0),
                   Input(EV_SW, SW_LINEOUT_INSERT, 1), Input(EV_SYN, SYN_REPORT, 0),
                   Input(EV_SW, SW_HEADPHONE_INSERT, 1), Input(EV_SYN, SYN_REPORT, 0)});
    REQUIRE(plugged.WaitFor(1));
    Send(ends[1], {Input(EV_SW, SW_HEADPHONE_INSERT, 0), Input(EV_SW, SW_HEADPHONE_INSERT, 1)});
    REQUIRE(plugged.WaitFor(2));
    jack.reset();  // joins the watcher: nothing more can arrive
    CHECK(plugged.Now() == 2);
    close(ends[1]);
}

TEST_CASE("headphone jack: a device that goes away is dropped; no devices, no watcher") {
    int ends[2];
    REQUIRE(pipe2(ends, O_CLOEXEC) == 0);
    testing::Counter plugged;
    std::unique_ptr<HeadphoneJack> jack =
        HeadphoneJack::Watch({ends[0]}, [&plugged] { plugged.Add(); });
    Send(ends[1], {Input(EV_SW, SW_HEADPHONE_INSERT, 1)});
    close(ends[1]);  // hang-up after the event: it still counts, then the device is dropped
    REQUIRE(plugged.WaitFor(1));
    jack.reset();  // stops although its one device is gone
    CHECK(plugged.Now() == 1);
    CHECK(HeadphoneJack::Watch({}, [] {}) == nullptr);
}

TEST_CASE("headphone jack: only devices that report the jack are opened") {
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "doorstep-jack-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "event0") << "not a device";
    std::ofstream(dir / "mouse0") << "not an event device";
    CHECK(OpenHeadphoneJacks(dir.string()).empty());
    CHECK(OpenHeadphoneJacks((dir / "missing").string()).empty());
    std::filesystem::remove_all(dir);
}
