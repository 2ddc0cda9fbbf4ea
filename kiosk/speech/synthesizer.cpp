#include "kiosk/speech/synthesizer.hpp"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <atomic>
#include <mutex>

namespace doorstep {
namespace {

// espeak-ng is one per process, and it cannot start again once terminated (it hangs), so it
// starts with the first Synthesizer and stays up; a Synthesizer only owns it while it lives.
std::atomic<bool> g_opened{false};
std::mutex g_start;
bool g_started = false;  // under g_start

// What one Synthesize() call hands its chunks to, reached through espeak-ng's user data.
struct Listener {
    const Synthesizer::Chunk* Chunk = nullptr;
    bool Stopped = false;
};

int OnSound(short* samples, int count, espeak_EVENT* events) {
    // Every event of the list carries the user data Synthesize() passed.
    auto* listener = events != nullptr ? static_cast<Listener*>(events->user_data) : nullptr;
    if (listener == nullptr || samples == nullptr || count <= 0) {
        return 0;
    }
    if (!(*listener->Chunk)(samples, static_cast<size_t>(count))) {
        listener->Stopped = true;
        return 1;  // espeak-ng stops
    }
    return 0;
}

std::string Describe(espeak_ng_STATUS status) {
    char message[512] = {0};
    espeak_ng_GetStatusCodeMessage(status, message, sizeof message);
    return message;
}

}  // namespace

Result<std::unique_ptr<Synthesizer>> Synthesizer::Open() {
    if (g_opened.exchange(true)) {
        return Error{"espeak-ng is already open in this process"};
    }
    std::lock_guard start(g_start);
    if (!g_started) {
        espeak_ng_InitializePath(nullptr);
        espeak_ng_ERROR_CONTEXT context = nullptr;
        espeak_ng_STATUS status = espeak_ng_Initialize(&context);
        if (status != ENS_OK) {
            espeak_ng_ClearErrorContext(&context);
            g_opened = false;
            return Error{"cannot start espeak-ng (is espeak-ng-data installed?): " +
                         Describe(status)};
        }
        status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 20, nullptr);
        if (status != ENS_OK) {
            g_opened = false;
            return Error{"cannot start espeak-ng's output: " + Describe(status)};
        }
        espeak_SetSynthCallback(OnSound);
        g_started = true;
    }
    std::unique_ptr<Synthesizer> synthesizer(new Synthesizer());
    synthesizer->SampleRate_ = espeak_ng_GetSampleRate();
    return synthesizer;
}

Synthesizer::~Synthesizer() {
    g_opened = false;
}

bool Synthesizer::HasVoice(std::string_view voice) {
    std::string name(voice);
    bool found = espeak_ng_SetVoiceByName(name.c_str()) == ENS_OK;
    if (!found) {
        // A language tag ("en-gb"): the best of espeak-ng's own voices for it. MBROLA's voices
        // ("mb/...") are listed too but need a package of their own, so they are passed over.
        espeak_VOICE wanted{};
        wanted.languages = name.c_str();
        const espeak_VOICE** listed = espeak_ListVoices(&wanted);
        for (size_t i = 0; listed != nullptr && listed[i] != nullptr && !found; ++i) {
            std::string_view id = listed[i]->identifier != nullptr ? listed[i]->identifier : "";
            if (!id.starts_with("mb/") && listed[i]->name != nullptr) {
                found = espeak_ng_SetVoiceByName(listed[i]->name) == ENS_OK;
            }
        }
    }
    if (found) {
        Voice_ = name;
    } else {
        Voice_.clear();
    }
    return found;
}

Status Synthesizer::Synthesize(std::string_view text, std::string_view voice, int words_per_minute,
                               const Chunk& chunk) {
    if (Voice_ != voice && !HasVoice(voice)) {
        return Error{"espeak-ng has no voice \"" + std::string(voice) + "\""};
    }
    espeak_ng_SetParameter(espeakRATE, words_per_minute, 0);
    Listener listener{&chunk};
    std::string words(text);
    espeak_ng_STATUS status = espeak_ng_Synthesize(
        words.c_str(), words.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &listener);
    if (status != ENS_OK && !listener.Stopped) {
        return Error{"espeak-ng could not say it: " + Describe(status)};
    }
    return Success();
}

}  // namespace doorstep
