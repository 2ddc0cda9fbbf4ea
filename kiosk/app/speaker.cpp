#include "kiosk/app/speaker.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "core/base/log.hpp"
#include "kiosk/flow/flow.hpp"

namespace doorstep {
namespace {

// A little slower than espeak-ng's 175: the words are heard once, by someone standing up.
constexpr int kWordsPerMinute = 160;
// Samples per device buffer: about 23 ms at 22,050 Hz, so the first sound starts soon.
constexpr Uint16 kDeviceSamples = 512;
// A sample at least this loud (of 32,767) is speech rather than the silence before it.
constexpr int kAudibleLevel = 300;

}  // namespace

Result<std::unique_ptr<Speaker>> Speaker::Open() {
    Result<std::unique_ptr<Synthesizer>> synthesizer = Synthesizer::Open();
    if (!synthesizer.Ok()) {
        return synthesizer.Err();
    }
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        return Error{std::string("no audio: ") + SDL_GetError()};
    }
    SDL_AudioSpec wanted{};
    wanted.freq = (*synthesizer)->SampleRate();
    wanted.format = AUDIO_S16SYS;
    wanted.channels = 1;
    wanted.samples = kDeviceSamples;
    SDL_AudioSpec obtained{};
    // No changes allowed: SDL converts to whatever the device takes.
    SDL_AudioDeviceID device = SDL_OpenAudioDevice(nullptr, 0, &wanted, &obtained, 0);
    if (device == 0) {
        std::string why = SDL_GetError();
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return Error{"cannot open the audio device (driver " +
                     std::string(SDL_GetCurrentAudioDriver() != nullptr
                                     ? SDL_GetCurrentAudioDriver()
                                     : "none") +
                     "): " + why};
    }
    std::unique_ptr<Speaker> speaker(new Speaker());
    speaker->Synthesizer_ = std::move(*synthesizer);
    speaker->Device_ = device;
    SDL_PauseAudioDevice(device, 0);
    speaker->Thread_ = std::thread([raw = speaker.get()] { raw->Run(); });
    Log(LogLevel::Info, "speech", "speaker ready",
        {{"driver", SDL_GetCurrentAudioDriver()}, {"sample_rate", std::to_string(wanted.freq)}});
    return speaker;
}

Speaker::~Speaker() {
    {
        std::lock_guard lock(Mutex_);
        Stopping_ = true;
        Generation_ += 1;  // a synthesis under way stops at its next chunk
    }
    Changed_.notify_all();
    if (Thread_.joinable()) {
        Thread_.join();
    }
    SDL_CloseAudioDevice(Device_);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

uint64_t Speaker::Say(std::string words, std::string voice, int volume) {
    uint64_t generation = 0;
    {
        std::lock_guard lock(Mutex_);
        Generation_ += 1;
        generation = Generation_;
        Pending_ = {std::move(words), std::move(voice), std::clamp(volume, 0, kMaxSpeechVolume)};
        HasRequest_ = true;
        SDL_ClearQueuedAudio(Device_);
    }
    Changed_.notify_all();
    return generation;
}

void Speaker::Silence() {
    {
        std::lock_guard lock(Mutex_);
        Generation_ += 1;
        HasRequest_ = false;
        SDL_ClearQueuedAudio(Device_);
    }
    Changed_.notify_all();
}

void Speaker::ReportMissingVoices(std::vector<std::pair<std::string, std::string>> voices) {
    {
        std::lock_guard lock(Mutex_);
        VoicesToCheck_ = std::move(voices);
    }
    Changed_.notify_all();
}

bool Speaker::WaitForSound(uint64_t said, int timeout_ms) {
    std::unique_lock lock(Mutex_);
    return Changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
        return Sounding_ == said || Generation_ != said;
    }) && Sounding_ == said;
}

void Speaker::Run() {
    for (;;) {
        Request request;
        uint64_t generation = 0;
        std::vector<std::pair<std::string, std::string>> voices;
        {
            std::unique_lock lock(Mutex_);
            Changed_.wait(lock,
                          [&] { return Stopping_ || HasRequest_ || !VoicesToCheck_.empty(); });
            if (Stopping_) {
                return;
            }
            voices.swap(VoicesToCheck_);
            if (HasRequest_) {
                request = std::move(Pending_);
                HasRequest_ = false;
                generation = Generation_;
            }
        }
        for (const auto& [language, voice] : voices) {
            if (!Synthesizer_->HasVoice(voice)) {
                ReportedVoices_.insert(voice);
                Log(LogLevel::Warning, "speech",
                    "espeak-ng has no voice for a survey language: speech mode cannot speak it",
                    {{"language", language}, {"voice", voice}});
            }
        }
        if (generation != 0) {
            Speak(request, generation);
        }
    }
}

void Speaker::Speak(const Request& request, uint64_t generation) {
    if (request.Words.empty()) {
        return;
    }
    Status said = Synthesizer_->Synthesize(
        request.Words, request.Voice, kWordsPerMinute, [&](const int16_t* samples, size_t count) {
            return Queue(samples, count, request.Volume, generation);
        });
    if (!said.Ok() && ReportedVoices_.insert(request.Voice).second) {
        Log(LogLevel::Error, "speech", "cannot speak",
            {{"voice", request.Voice}, {"error", said.Err().Message}});
    }
}

bool Speaker::Queue(const int16_t* samples, size_t count, int volume, uint64_t generation) {
    Scaled_.resize(count);
    // Linear in the volume steps: 0 is silent, kMaxSpeechVolume is espeak-ng's full level.
    int gain = volume;
    bool audible = false;  // espeak-ng starts with a little silence: speech starts after it
    for (size_t i = 0; i < count; ++i) {
        Scaled_[i] = static_cast<int16_t>(samples[i] * gain / kMaxSpeechVolume);
        audible = audible || std::abs(samples[i]) >= kAudibleLevel;
    }
    bool first = false;
    {
        std::lock_guard lock(Mutex_);
        if (Generation_ != generation) {
            return false;  // newer words, or silence: these are cut off
        }
        if (SDL_QueueAudio(Device_, Scaled_.data(), static_cast<Uint32>(count * sizeof(int16_t))) !=
            0) {
            return false;
        }
        first = audible && Sounding_ != generation;
        if (audible) {
            Sounding_ = generation;
        }
    }
    if (first) {
        Changed_.notify_all();
    }
    return true;
}

}  // namespace doorstep
