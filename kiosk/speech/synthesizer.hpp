// Text to speech with espeak-ng: turns the words a screen says (spoken_words.hpp) into 16-bit
// mono samples, a chunk at a time, for the window's speaker to play. espeak-ng keeps its state
// in the process, so there is one Synthesizer per process and only its thread calls it.
//
//   Open() --> ready --Synthesize(text, voice, chunk)--> speaking --done | chunk said stop--> ready
//
// Invariants:
//   * Synthesize() returns as soon as `chunk` returns false: the next words interrupt these
//     within one chunk (espeak-ng hands over about 20 ms of sound each time).
//   * A voice espeak-ng does not have is an error naming it; nothing is said in another voice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/base/result.hpp"

namespace doorstep {

class Synthesizer {
  public:
    // Receives each chunk of sound; false stops the synthesis.
    using Chunk = std::function<bool(const int16_t* samples, size_t count)>;

    // Starts espeak-ng with its data where Debian keeps it. An error says what is missing.
    static Result<std::unique_ptr<Synthesizer>> Open();
    ~Synthesizer();
    Synthesizer(const Synthesizer&) = delete;
    Synthesizer& operator=(const Synthesizer&) = delete;

    int SampleRate() const { return SampleRate_; }
    // Whether espeak-ng has the voice (a language code such as "de", or a name such as
    // "en-gb").
    bool HasVoice(std::string_view voice);
    // Says `text` (UTF-8) in `voice` at `words_per_minute`; returns when all is said or `chunk`
    // returned false.
    Status Synthesize(std::string_view text, std::string_view voice, int words_per_minute,
                      const Chunk& chunk);

  private:
    Synthesizer() = default;
    int SampleRate_ = 0;
    std::string Voice_;  // the voice set now
};

}  // namespace doorstep
