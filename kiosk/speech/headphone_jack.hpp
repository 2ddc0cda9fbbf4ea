// Headphones plugged into the terminal's 3.5 mm jack start speech mode, where the kernel reports
// the jack: the sound card's input device with the SW_HEADPHONE_INSERT switch
// (/dev/input/event*, readable by the seat's user through logind).
//
//   Watch(devices) --> watching --a device reports the headphones plugged in--> plugged_in()
//   watching --~HeadphoneJack--> stopped (the thread joined, the devices closed)
//
// Invariants:
//   * plugged_in() runs on the watcher's thread, once per plugging in; headphones already in at
//     start, unplugging and every other event are not a gesture and do nothing.
//   * A device that goes away (read error, hang-up) is dropped; the others are still watched.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace doorstep {

// The input devices under `dir` (e.g. /dev/input) that report a headphone jack, opened for
// reading; empty where there are none or none may be read.
std::vector<int> OpenHeadphoneJacks(const std::string& dir);

class HeadphoneJack {
  public:
    // Watches `devices` (file descriptors of evdev devices, or anything that delivers
    // struct input_event records; taken over and closed). Null when `devices` is empty.
    static std::unique_ptr<HeadphoneJack> Watch(std::vector<int> devices,
                                                std::function<void()> plugged_in);
    ~HeadphoneJack();
    HeadphoneJack(const HeadphoneJack&) = delete;
    HeadphoneJack& operator=(const HeadphoneJack&) = delete;

  private:
    HeadphoneJack() = default;
    void Run();

    std::vector<int> Devices_;
    std::function<void()> PluggedIn_;
    int StopPipe_[2] = {-1, -1};  // a byte written to [1] stops the thread
    std::thread Thread_;
};

}  // namespace doorstep
