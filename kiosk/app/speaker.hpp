// The kiosk's voice: words from the UI thread become sound on the audio device, on a thread of
// their own, so speaking never holds up a frame. espeak-ng (kiosk/speech/synthesizer.hpp) makes
// the sound; SDL's audio queue plays it through the speaker or the headphone jack.
//
//   Open() --> quiet --Say(words)--> speaking --all said and played--> quiet
//                                    speaking --Say(other words) | Silence()--> (cut off) ...
//   (any) --~Speaker--> closed (the thread joined, the device closed)
//
// Invariants:
//   * Say() and Silence() return at once: they only hand over and cut what is queued. The
//     synthesis runs on the speaker's thread, the only one that calls espeak-ng.
//   * Words are interrupted completely: after Say() or Silence() returns, no sound of earlier
//     words is queued any more (the check and the queueing share one lock with the cut).
//   * A voice espeak-ng lacks is logged once per voice; nothing is said in another voice.
#pragma once

#include <SDL.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/base/result.hpp"
#include "kiosk/speech/synthesizer.hpp"

namespace doorstep {

class Speaker {
  public:
    // Starts espeak-ng and opens the default audio device (SDL_AUDIODRIVER picks the driver);
    // an error says which of the two is missing.
    static Result<std::unique_ptr<Speaker>> Open();
    ~Speaker();
    Speaker(const Speaker&) = delete;
    Speaker& operator=(const Speaker&) = delete;

    // Says `words` in `voice` at `volume` (0..kMaxSpeechVolume), cutting off what is being said.
    // Returns the number the words go by (for WaitForSound).
    uint64_t Say(std::string words, std::string voice, int volume);
    // Cuts off what is being said.
    void Silence();
    // Which of (language, voice) espeak-ng lacks, asked on the speaker's thread; each is logged.
    void ReportMissingVoices(std::vector<std::pair<std::string, std::string>> voices);
    // Waits until the first audible sound of the words `said` is queued on the device (the
    // silence espeak-ng starts with does not count), or `timeout_ms`; false if it never came
    // (cut off, or nothing to say).
    bool WaitForSound(uint64_t said, int timeout_ms);

  private:
    struct Request {
        std::string Words;
        std::string Voice;
        int Volume = 0;
    };

    Speaker() = default;
    void Run();
    void Speak(const Request& request, uint64_t generation);
    // Under Mutex_: queues one chunk unless newer words came; false stops the synthesis.
    bool Queue(const int16_t* samples, size_t count, int volume, uint64_t generation);

    std::unique_ptr<Synthesizer> Synthesizer_;
    SDL_AudioDeviceID Device_ = 0;
    std::mutex Mutex_;
    std::condition_variable Changed_;
    uint64_t Generation_ = 0;  // under Mutex_: increases with every Say() and Silence()
    uint64_t Sounding_ = 0;    // under Mutex_: the generation whose sound was queued first
    bool HasRequest_ = false;  // under Mutex_
    Request Pending_;          // under Mutex_
    std::vector<std::pair<std::string, std::string>> VoicesToCheck_;  // under Mutex_
    bool Stopping_ = false;                                           // under Mutex_
    std::set<std::string> ReportedVoices_;  // the speaker thread's: missing voices already logged
    std::vector<int16_t> Scaled_;           // the speaker thread's
    std::thread Thread_;
};

}  // namespace doorstep
