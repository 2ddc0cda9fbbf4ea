#include "kiosk/app/kiosk_app.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "core/base/log.hpp"
#include "core/base/paths.hpp"
#include "kiosk/app/kiosk_loop.hpp"
#include "kiosk/app/speaker.hpp"
#include "kiosk/app/start_uploader.hpp"
#include "kiosk/app/window.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/store/survey_source.hpp"

namespace doorstep {
namespace {

// Speech mode needs the survey's words for it, espeak-ng and an audio device; without one of
// them the terminal works as before, without the tactile spot, and says why once.
std::unique_ptr<Speaker> OpenSpeaker(const KioskOptions& options, const Survey& survey) {
    if (options.NoSpeech) {
        Log(LogLevel::Info, "speech", "no speech mode on this terminal",
            {{"reason", "--no-speech"}});
        return nullptr;
    }
    Result<std::unique_ptr<Speaker>> speaker = Speaker::Open();
    if (!speaker.Ok()) {
        Log(survey.Speech.Enabled ? LogLevel::Warning : LogLevel::Info, "speech",
            "no speech mode on this terminal", {{"error", speaker.Err().Message}});
        return nullptr;
    }
    return std::move(*speaker);
}

}  // namespace

int RunKiosk(const KioskOptions& options) {
    if (Status dir = EnsurePrivateDirectory(options.DataDir); !dir.Ok()) {
        Log(LogLevel::Error, "kiosk", dir.Err().Message);
        return 1;
    }
    Result<std::unique_ptr<Store>> store = Store::Open(options.DataDir + "/kiosk.db");
    if (!store.Ok()) {
        Log(LogLevel::Error, "kiosk", "cannot open the local store",
            {{"error", store.Err().Message}});
        return 1;
    }
    Result<ActiveSurvey> survey = ResolveSurvey(**store, options.SurveyPath);
    if (!survey.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk: %s\n", survey.Err().Message.c_str());
        return 1;
    }
    if (!options.Language.empty() && !survey->Definition.HasLanguage(options.Language)) {
        std::fprintf(stderr, "doorstep-kiosk: --lang %s: the survey has no such language\n",
                     options.Language.c_str());
        return 2;
    }
    Result<std::unique_ptr<Window>> window = Window::Open(options.Windowed);
    if (!window.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk: %s\n", window.Err().Message.c_str());
        return 1;
    }
    if (Status fonts = (*window)->RebuildFonts(survey->Definition); !fonts.Ok()) {
        std::fprintf(stderr, "doorstep-kiosk: %s\n", fonts.Err().Message.c_str());
        return 1;
    }
    Log(LogLevel::Info, "kiosk", "started",
        {{"data_dir", options.DataDir},
         {"door", options.Door},
         {"survey", survey->Definition.Id + "@" + std::to_string(survey->Definition.Version)}});
    std::unique_ptr<Uploader> uploader = StartUploader(options, survey->Definition.Version);
    ManagerModeOptions manager;
    manager.DataDir = options.DataDir;
    manager.ExportDir =
        options.ExportDir.empty() ? options.DataDir + "/exports" : options.ExportDir;
    // The manager's words ship beside the surveys: assets/surveys/x.json -> assets/translations/.
    manager.TranslationsPath =
        (std::filesystem::path(options.SurveyPath).parent_path().parent_path() / "translations" /
         "manager.json")
            .string();
    manager.Language =
        options.Language.empty() ? survey->Definition.DefaultLanguage : options.Language;
    manager.SurveyVersion = survey->Definition.Version;
    KioskLoop loop(options, **window, **store, std::move(survey->Definition), std::move(uploader),
                   std::move(manager), OpenSpeaker(options, survey->Definition));
    return loop.Run();
}

}  // namespace doorstep
