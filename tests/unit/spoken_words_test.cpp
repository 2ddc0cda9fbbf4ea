// The words speech mode says, exactly as they go to espeak-ng: every customer screen in every
// language of the shipped survey, and the words of each control.
#include <doctest/doctest.h>

#include <string>

#include "flow_fixtures.hpp"
#include "kiosk/speech/spoken_words.hpp"
#include "layout_checks.hpp"

using namespace doorstep;

namespace {

struct Expected {
    const char* Language;
    const char* Words;
};

// clang-format off
const Expected kHelp[] = {
    {"en", "Move with the arrow keys or Tab. Press Enter to choose, Escape to go back. The star key repeats, the slash key says this help again, plus and minus change the volume. How did we make you feel today? Tap to tell us — it takes 20 seconds."},
    {"es", "Muévase con las flechas o el tabulador. Pulse Intro para elegir y Escape para volver. La tecla asterisco repite, la barra repite esta ayuda, más y menos cambian el volumen. ¿Cómo se sintió hoy con nosotros? Toque para contárnoslo: solo lleva 20 segundos."},
    {"fr", "Déplacez-vous avec les flèches ou la tabulation. Appuyez sur Entrée pour choisir, Échap pour revenir. La touche étoile répète, la barre redit cette aide, plus et moins changent le volume. Comment avez-vous vécu votre visite aujourd’hui ? Touchez l’écran pour nous le dire — cela prend 20 secondes."},
    {"de", "Bewegen Sie sich mit den Pfeiltasten oder Tab. Eingabe wählt, Escape geht zurück. Die Sterntaste wiederholt, die Schrägstrichtaste sagt diese Hilfe noch einmal, Plus und Minus ändern die Lautstärke. Wie haben Sie sich heute bei uns gefühlt? Tippen Sie, um es uns zu sagen – es dauert nur 20 Sekunden."},
    {"el", "Μετακινηθείτε με τα βέλη ή το Tab. Πατήστε Enter για επιλογή, Escape για επιστροφή. Το αστεράκι επαναλαμβάνει, η κάθετος λέει ξανά αυτή τη βοήθεια, το συν και το πλην αλλάζουν την ένταση. Πώς νιώσατε σήμερα μαζί μας; Πατήστε για να μας πείτε — παίρνει μόνο 20 δευτερόλεπτα."},
};
const Expected kNeed[] = {
    {"en", "4, Good: chosen. Question 2 of 6. I felt in control of my choices. From 1, Very poor, to 5, Excellent."},
    {"es", "4, Bien: elegido. Pregunta 2 de 6. Sentí que tenía el control de mis decisiones. De 1, Muy mal, a 5, Excelente."},
    {"fr", "4, Bien : choisi. Question 2 sur 6. J’ai gardé la maîtrise de mes choix. De 1, Très mauvais, à 5, Excellent."},
    {"de", "4, Gut: gewählt. Frage 2 von 6. Ich hatte meine Entscheidungen selbst in der Hand. Von 1, Sehr schlecht, bis 5, Ausgezeichnet."},
    {"el", "4, Καλά: επιλέχθηκε. Ερώτηση 2 από 6. Ένιωσα ότι είχα τον έλεγχο των επιλογών μου. Από 1, Πολύ κακά, έως 5, Εξαιρετικά."},
};
const Expected kLeastmet[] = {
    {"en", "Question 4 of 6. Which of these mattered most and was least met today? 3 choices."},
    {"es", "Pregunta 4 de 6. ¿Cuál de estos aspectos le importó más y se cumplió menos hoy? 3 opciones."},
    {"fr", "Question 4 sur 6. Lequel de ces points comptait le plus pour vous et a été le moins satisfait aujourd’hui ? 3 choix."},
    {"de", "Frage 4 von 6. Was davon war Ihnen am wichtigsten und wurde heute am wenigsten erfüllt? 3 Möglichkeiten."},
    {"el", "Ερώτηση 4 από 6. Ποιο από αυτά ήταν το πιο σημαντικό για εσάς και ικανοποιήθηκε λιγότερο σήμερα; 3 επιλογές."},
};
const Expected kComment[] = {
    {"en", "Question 5 of 6. Anything you would like to tell us? A keyboard follows: move to a letter and press Enter to type it. Done finishes, Skip leaves it empty. Written so far: ok."},
    {"es", "Pregunta 5 de 6. ¿Hay algo más que quiera contarnos? Sigue un teclado: vaya a una letra y pulse Intro para escribirla. Listo termina, Omitir lo deja vacío. Escrito hasta ahora: ok."},
    {"fr", "Question 5 sur 6. Souhaitez-vous nous dire autre chose ? Un clavier suit : allez sur une lettre et appuyez sur Entrée pour la taper. Terminé finit, Passer laisse vide. Écrit jusqu’ici : ok."},
    {"de", "Frage 5 von 6. Möchten Sie uns noch etwas sagen? Es folgt eine Tastatur: zu einem Buchstaben gehen und Eingabe drücken, um ihn zu schreiben. Fertig schließt ab, Überspringen lässt es leer. Bisher geschrieben: ok."},
    {"el", "Ερώτηση 5 από 6. Θέλετε να μας πείτε κάτι ακόμα; Ακολουθεί πληκτρολόγιο: πηγαίνετε σε ένα γράμμα και πατήστε Enter για να το γράψετε. Το Τέλος ολοκληρώνει, η Παράλειψη το αφήνει κενό. Γραμμένο ως τώρα: ok."},
};
const Expected kIntent[] = {
    {"en", "Question 6 of 6. How likely are you to come back? From 0, Not at all likely, to 10, Extremely likely."},
    {"es", "Pregunta 6 de 6. ¿Qué probabilidad hay de que vuelva? De 0, Nada probable, a 10, Muy probable."},
    {"fr", "Question 6 sur 6. Quelle est la probabilité que vous reveniez ? De 0, Pas du tout probable, à 10, Très probable."},
    {"de", "Frage 6 von 6. Wie wahrscheinlich ist es, dass Sie wiederkommen? Von 0, Überhaupt nicht wahrscheinlich, bis 10, Äußerst wahrscheinlich."},
    {"el", "Ερώτηση 6 από 6. Πόσο πιθανό είναι να έρθετε ξανά; Από 0, Καθόλου πιθανό, έως 10, Εξαιρετικά πιθανό."},
};
const Expected kThanks[] = {
    {"en", "Thank you! Your answers help us do better for you."},
    {"es", "¡Gracias! Sus respuestas nos ayudan a mejorar para usted."},
    {"fr", "Merci ! Vos réponses nous aident à mieux vous servir."},
    {"de", "Vielen Dank! Ihre Antworten helfen uns, noch besser für Sie zu werden."},
    {"el", "Ευχαριστούμε! Οι απαντήσεις σας μας βοηθούν να γινόμαστε καλύτεροι για εσάς."},
};
const Expected kVolume[] = {
    {"en", "Volume 8 of 10."},
    {"es", "Volumen 8 de 10."},
    {"fr", "Volume 8 sur 10."},
    {"de", "Lautstärke 8 von 10."},
    {"el", "Ένταση 8 από 10."},
};
// clang-format on

struct Speaking {
    Survey S = testing::ShippedSurvey();
    FlowConfig Config = [] {
        FlowConfig config = testing::ThreeNeedConfig();
        config.Languages = {"en", "es", "fr", "de", "el"};
        return config;
    }();
    FlowState State = InitialFlowState(Config);

    std::string Say(SpeechCue cue, Target chosen = {}, int volume = 7) const {
        Effect speak;
        speak.Kind = EffectKind::Speak;
        speak.Cue = cue;
        speak.Chosen = std::move(chosen);
        speak.Volume = volume;
        return SpokenWords(S, Config, State, speak);
    }
};

template <size_t N>
void CheckEvery(const Expected (&expected)[N], Screen screen, SpeechCue cue,
                const Target& chosen = {}) {
    Speaking speaking;
    REQUIRE(N == speaking.Config.Languages.size());
    for (const Expected& line : expected) {
        CAPTURE(line.Language);
        speaking.State.Language = line.Language;
        speaking.State.Current = screen;
        speaking.State.NeedIndex = 1;
        speaking.State.Comment = "ok";
        CHECK(speaking.Say(cue, chosen, 8) == line.Words);
    }
}

}  // namespace

TEST_CASE("spoken words: every screen in every language, as sent to the speech engine") {
    CheckEvery(kHelp, Screen::Attract, SpeechCue::Help);
    CheckEvery(kNeed, Screen::Need, SpeechCue::Screen, {TargetKind::Face, 4, ""});
    CheckEvery(kLeastmet, Screen::LeastMet, SpeechCue::Screen);
    CheckEvery(kComment, Screen::Comment, SpeechCue::Screen);
    CheckEvery(kIntent, Screen::Intent, SpeechCue::Screen);
    CheckEvery(kThanks, Screen::ThankYou, SpeechCue::Screen);
    CheckEvery(kVolume, Screen::Need, SpeechCue::Volume);
}

TEST_CASE("spoken words: the controls as focus reaches them, and what a key did") {
    Speaking speaking;
    FlowState& state = speaking.State;
    state.Focus = {TargetKind::AccessToggle, static_cast<int>(AccessMode::LargeText), ""};
    CHECK(speaking.Say(SpeechCue::Focus) == "Large text, off.");
    state.Access.LargeText = true;
    CHECK(speaking.Say(SpeechCue::Focus) == "Large text, on.");
    state.Focus = {TargetKind::Language, 4, ""};
    CHECK(speaking.Say(SpeechCue::Focus) == "Ελληνικά.");
    state.Focus = {TargetKind::SpeechSpot, 0, ""};
    CHECK(speaking.Say(SpeechCue::Focus) ==
          "Spoken guidance: hold the raised dot at the bottom left for two seconds, or press the "
          "help key.");

    state.Current = Screen::Comment;
    state.Comment = "Hi";
    state.Focus = {TargetKind::Key, 0, "i"};
    CHECK(speaking.Say(SpeechCue::Focus) == "i.");
    CHECK(speaking.Say(SpeechCue::Chosen, {TargetKind::Key, 0, "i"}) == "i. Written so far: Hi.");
    state.ShiftOn = true;
    CHECK(speaking.Say(SpeechCue::Focus) == "I.");
    CHECK(speaking.Say(SpeechCue::Chosen, {TargetKind::Shift, 0, ""}) ==
          "Capitals, on. Written so far: Hi.");
    state.Focus = {TargetKind::Backspace, 0, ""};
    CHECK(speaking.Say(SpeechCue::Focus) == "Delete.");

    // The contact screen's own words for its buttons, and its refusal.
    state.Current = Screen::Contact;
    state.ContactText = "maria@";
    state.Focus = {TargetKind::Done, 0, ""};
    CHECK(speaking.Say(SpeechCue::Focus) == speaking.S.ContactText("send", "en") + ".");
    state.ContactProblem = "problem_unreadable";
    CHECK(speaking.Say(SpeechCue::Problem) == speaking.S.ContactText("problem_unreadable", "en"));
    CHECK(speaking.Say(SpeechCue::Stop).empty());
}
