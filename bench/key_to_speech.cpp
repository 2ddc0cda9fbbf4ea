// Key press to start of speech: what the UI thread does with a key (the layout's controls, the
// reducer, the words the new state says) and the speaker's thread until the first sound of those
// words is queued on the audio device, through the real espeak-ng and SDL audio (run it with
// SDL_AUDIODRIVER=disk or dummy where there is no sound card). The presses walk the questions in
// speech mode at a customer's pace, so most interrupt words still being said. Then the memory
// the speaker takes, with every survey language's voice loaded.
// Usage: bench-key-to-speech [PRESSES]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/survey/survey.hpp"
#include "kiosk/app/flow_config.hpp"
#include "kiosk/app/process_stats.hpp"
#include "kiosk/app/speaker.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/layout/layout.hpp"
#include "kiosk/speech/spoken_words.hpp"

using namespace doorstep;

namespace {

// The next key of a customer walking the questions: into speech mode, Start, then on each need
// two steps right and one back left before choosing; from the least-met question back to the
// first need.
Key NextKey(const FlowState& state, int step) {
    if (!state.Speech) {
        return Key::Help;
    }
    switch (state.Current) {
        case Screen::Attract:
            return state.Focus.Kind == TargetKind::Start ? Key::Choose : Key::Next;
        case Screen::Need: {
            const Key walk[] = {Key::Right, Key::Right, Key::Left, Key::Repeat, Key::Choose};
            return walk[step % 5];
        }
        default:
            return Key::Back;
    }
}

}  // namespace

int main(int argc, char** argv) {
    int presses = argc > 1 ? std::stoi(argv[1]) : 500;
    SurveyParse survey =
        LoadSurveyFile(std::string(DOORSTEP_SOURCE_ASSETS_DIR) + "/surveys/default.json");
    if (!survey.Ok()) {
        std::fprintf(stderr, "%s\n", survey.Problems.front().Describe().c_str());
        return 1;
    }
    long rss_before = ResidentKilobytes();
    Result<std::unique_ptr<Speaker>> opened = Speaker::Open();
    if (!opened.Ok()) {
        std::fprintf(stderr, "%s\n", opened.Err().Message.c_str());
        return 1;
    }
    Speaker& speaker = **opened;
    long rss_opened = ResidentKilobytes();
    const Survey& definition = survey.Definition;
    for (const Language& language : definition.Languages) {
        uint64_t said = speaker.Say(definition.Text("thank_you_title", language.Code),
                                    definition.VoiceFor(language.Code), 7);
        speaker.WaitForSound(said, 5000);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    long rss_voices = ResidentKilobytes();

    FlowConfig config = BuildFlowConfig(definition, KioskOptions{});
    FlowState state = InitialFlowState(config);
    Viewport viewport{1280, 800};
    std::mt19937 random(7);
    std::uniform_int_distribution<int> pause_ms(50, 400);
    std::vector<double> ms;
    int step = 0;
    int64_t mono = 1;
    while (static_cast<int>(ms.size()) < presses) {
        auto start = std::chrono::steady_clock::now();
        Event event{EventKind::Key, {}, {mono, mono}, true};
        event.Pressed = NextKey(state, step++);
        event.Spots =
            FocusSpots(ComputeLayout(viewport, LayoutInputFor(definition, config, state)));
        Transition next = Reduce(config, state, event);
        state = std::move(next.State);
        for (const Effect& effect : next.Effects) {
            if (effect.Kind != EffectKind::Speak || effect.Cue == SpeechCue::Stop) {
                continue;
            }
            uint64_t said = speaker.Say(SpokenWords(definition, config, state, effect),
                                        definition.VoiceFor(state.Language), effect.Volume);
            if (!speaker.WaitForSound(said, 5000)) {
                std::fprintf(stderr, "no sound for a key press\n");
                return 1;
            }
            auto end = std::chrono::steady_clock::now();
            ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
        }
        int pause = pause_ms(random);
        std::this_thread::sleep_for(std::chrono::milliseconds(pause));
        mono += pause;
    }
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) {
        return ms[std::min(ms.size() - 1, static_cast<size_t>(q * static_cast<double>(ms.size())))];
    };
    std::printf(
        "key press to first sound queued, %zu presses: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
        ms.size(), at(0.5), at(0.99), ms.back());
    std::printf(
        "resident memory: %ld KiB before the speaker, %ld KiB opened (+%ld), %ld KiB with "
        "all %zu voices spoken (+%ld)\n",
        rss_before, rss_opened, rss_opened - rss_before, rss_voices, definition.Languages.size(),
        rss_voices - rss_before);
    return 0;
}
