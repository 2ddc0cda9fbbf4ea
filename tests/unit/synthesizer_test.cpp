// espeak-ng for real: every language the shipped survey offers is spoken (sound, not silence),
// a voice it lacks is named, and a chunk that says stop stops the synthesis.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "kiosk/speech/synthesizer.hpp"
#include "layout_checks.hpp"

using namespace doorstep;

namespace {

std::unique_ptr<Synthesizer> OpenSynthesizer() {
    Result<std::unique_ptr<Synthesizer>> opened = Synthesizer::Open();
    REQUIRE_MESSAGE(opened.Ok(), (opened.Ok() ? "" : opened.Err().Message));
    return std::move(*opened);
}

double Rms(const std::vector<int16_t>& samples) {
    double sum = 0;
    for (int16_t sample : samples) {
        sum += static_cast<double>(sample) * sample;
    }
    return samples.empty() ? 0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

}  // namespace

TEST_CASE("synthesizer: each of the survey's languages is spoken") {
    std::unique_ptr<Synthesizer> open = OpenSynthesizer();
    Synthesizer& synthesizer = *open;
    CHECK(synthesizer.SampleRate() == 22050);
    Survey survey = testing::ShippedSurvey();
    REQUIRE(survey.Languages.size() >= 5);
    for (const Language& language : survey.Languages) {
        std::string voice = survey.VoiceFor(language.Code);  // "en" is "en-gb"
        CAPTURE(voice);
        REQUIRE(synthesizer.HasVoice(voice));
        std::vector<int16_t> sound;
        Status said = synthesizer.Synthesize(survey.Text("thank_you_title", language.Code), voice,
                                             175, [&](const int16_t* s, size_t n) {
                                                 sound.insert(sound.end(), s, s + n);
                                                 return true;
                                             });
        REQUIRE(said.Ok());
        CHECK(sound.size() > 22050 / 4);  // more than a quarter of a second
        CHECK(Rms(sound) > 500);          // and not silence
    }
}

TEST_CASE("synthesizer: a voice espeak-ng lacks is named; a stop is heard within a chunk") {
    std::unique_ptr<Synthesizer> open = OpenSynthesizer();
    Synthesizer& synthesizer = *open;
    CHECK_FALSE(Synthesizer::Open().Ok());  // one per process
    CHECK_FALSE(synthesizer.HasVoice("xx-nowhere"));
    CHECK(synthesizer.HasVoice("en-gb"));  // a language tag finds espeak-ng's voice for it
    CHECK(synthesizer.HasVoice("de"));     // a voice's own name
    Status missing = synthesizer.Synthesize("Hello", "xx-nowhere", 175,
                                            [](const int16_t*, size_t) { return true; });
    REQUIRE_FALSE(missing.Ok());
    CHECK(missing.Err().Message == "espeak-ng has no voice \"xx-nowhere\"");

    const char* long_text =
        "This sentence is long enough to take several seconds to say out loud, so stopping "
        "after the first chunk must leave most of it unsaid.";
    size_t whole = 0;
    REQUIRE(synthesizer
                .Synthesize(long_text, "en", 175,
                            [&](const int16_t*, size_t n) {
                                whole += n;
                                return true;
                            })
                .Ok());
    size_t chunks = 0;
    size_t heard = 0;
    REQUIRE(synthesizer
                .Synthesize(long_text, "en", 175,
                            [&](const int16_t*, size_t n) {
                                ++chunks;
                                heard += n;
                                return false;
                            })
                .Ok());
    CHECK(chunks == 1);
    CHECK(heard * 10 < whole);
}
