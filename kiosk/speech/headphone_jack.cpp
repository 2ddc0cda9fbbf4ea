#include "kiosk/speech/headphone_jack.hpp"

#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <climits>
#include <cstddef>
#include <filesystem>
#include <utility>

namespace doorstep {
namespace {

constexpr size_t kBitsPerLong = sizeof(unsigned long) * CHAR_BIT;

bool ReportsHeadphones(int fd) {
    std::array<unsigned long, SW_MAX / kBitsPerLong + 1> switches{};
    if (ioctl(fd, EVIOCGBIT(EV_SW, sizeof switches), switches.data()) < 0) {
        return false;
    }
    return ((switches[SW_HEADPHONE_INSERT / kBitsPerLong] >> (SW_HEADPHONE_INSERT % kBitsPerLong)) &
            1UL) != 0;
}

}  // namespace

std::vector<int> OpenHeadphoneJacks(const std::string& dir) {
    std::vector<int> jacks;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
        if (entry.path().filename().string().rfind("event", 0) != 0) {
            continue;
        }
        int fd = open(entry.path().c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            continue;  // not ours to read
        }
        if (ReportsHeadphones(fd)) {
            jacks.push_back(fd);
        } else {
            close(fd);
        }
    }
    return jacks;
}

std::unique_ptr<HeadphoneJack> HeadphoneJack::Watch(std::vector<int> devices,
                                                    std::function<void()> plugged_in) {
    if (devices.empty()) {
        return nullptr;
    }
    for (int fd : devices) {
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);  // each read takes what is there
    }
    std::unique_ptr<HeadphoneJack> jack(new HeadphoneJack());
    jack->Devices_ = std::move(devices);
    jack->PluggedIn_ = std::move(plugged_in);
    if (pipe2(jack->StopPipe_, O_CLOEXEC) != 0) {
        return nullptr;  // the destructor closes the devices
    }
    jack->Thread_ = std::thread([raw = jack.get()] { raw->Run(); });
    return jack;
}

HeadphoneJack::~HeadphoneJack() {
    if (Thread_.joinable()) {
        char stop = 1;
        static_cast<void>(write(StopPipe_[1], &stop, 1));
        Thread_.join();
    }
    for (int fd : Devices_) {
        close(fd);
    }
    for (int fd : StopPipe_) {
        if (fd >= 0) {
            close(fd);
        }
    }
}

void HeadphoneJack::Run() {
    std::vector<pollfd> watched;
    watched.push_back({StopPipe_[0], POLLIN, 0});
    for (int fd : Devices_) {
        watched.push_back({fd, POLLIN, 0});
    }
    for (;;) {
        if (poll(watched.data(), watched.size(), -1) < 0) {
            continue;  // a signal: poll again
        }
        if (watched[0].revents != 0) {
            return;
        }
        for (size_t i = 1; i < watched.size(); ++i) {
            if ((watched[i].revents & (POLLERR | POLLHUP | POLLNVAL)) != 0 &&
                (watched[i].revents & POLLIN) == 0) {
                watched[i].fd = -1;  // gone: poll ignores it from now on
                continue;
            }
            if ((watched[i].revents & POLLIN) == 0) {
                continue;
            }
            input_event event{};
            while (read(watched[i].fd, &event, sizeof event) == sizeof event) {
                if (event.type == EV_SW && event.code == SW_HEADPHONE_INSERT && event.value == 1) {
                    PluggedIn_();
                }
            }
        }
    }
}

}  // namespace doorstep
