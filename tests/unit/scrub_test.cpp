// Scrubbing comments (scrub.hpp) on text customers write, in every language the survey ships:
// what must go and what must stay. (flow_test.cpp: the flow records only the scrubbed comment.)
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "kiosk/flow/scrub.hpp"

using doorstep::ScrubPersonalData;

namespace {

struct Case {
    const char* Language;
    const char* Written;
    const char* Stored;
};

}  // namespace

TEST_CASE("scrub: addresses, phone numbers and card numbers go, in every shipped language") {
    const std::vector<Case> cases = {
        {"en", "Great help from Sam! Call me on 07700 900123 or mail sam.r+shop@example.co.uk.",
         "Great help from Sam! Call me on [phone] or mail [email]."},
        {"en", "They charged my card 4111 1111 1111 1111 twice, please ring +44 20 7946 0958",
         "They charged my card [card] twice, please ring [phone]"},
        {"es", "Muy amables. Mi móvil es 612 345 678, escribidme a lucía.gómez@correo.es",
         "Muy amables. Mi móvil es [phone], escribidme a [email]"},
        {"es", "Tarjeta 4000-0566-5566-5556 rechazada; llamad al (+34) 91 123 45 67",
         "Tarjeta [card] rechazada; llamad al (+34) [phone]"},
        {"fr", "Accueil parfait ! Rappelez-moi au 06 12 34 56 78 ou à jean.dupont@orange.fr.",
         "Accueil parfait ! Rappelez-moi au [phone] ou à [email]."},
        {"fr", "Numéro de carte 5555555555554444, appelez le +33 1 23 45 67 89",
         "Numéro de carte [card], appelez le [phone]"},
        {"de", "Sehr freundlich. Rückruf bitte unter 030/12345678 oder an müller@beispiel.de",
         "Sehr freundlich. Rückruf bitte unter [phone] oder an [email]"},
        {"de", "Karte 3782 822463 10005 wurde abgelehnt. Tel. +49 (0)89 1234567",
         "Karte [card] wurde abgelehnt. Tel. [phone]"},
        {"el",
         "Πολύ καλή εξυπηρέτηση! Το κινητό μου είναι 6912345678, email: γιάννης@παράδειγμα.gr",
         "Πολύ καλή εξυπηρέτηση! Το κινητό μου είναι [phone], email: [email]"},
        {"el", "Η κάρτα 4539 1488 0343 6467 χρεώθηκε δύο φορές. Τηλ. +30 210 123 4567",
         "Η κάρτα [card] χρεώθηκε δύο φορές. Τηλ. [phone]"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.Language);
        CAPTURE(c.Written);
        CHECK(ScrubPersonalData(c.Written) == c.Stored);
        CHECK(ScrubPersonalData(c.Stored) == c.Stored);  // idempotent
    }
}

TEST_CASE("scrub: dates, prices, times, counts and ordinary words stay as written") {
    const std::vector<std::string> kept = {
        "Queue of 12 people at 17:45 on 24.11.2026, waited 15 minutes",
        "Bought it on 2026-11-24 for 1.299,00 € and the 3-for-2 offer",
        "Rated 4/5. Order 123456 was fine. 24/11/26",
        "Το ραντεβού ήταν στις 10:30 της 24/11/2026, κόστος 45,90 €",
        "Der 2. Stock war zu. 100% zufrieden, 5 Sterne!",
        "Écrivez @boutique sur les réseaux, 2 à 3 jours d'attente",
        "Email us at info@ nothing, or see example.com",
        "Model ABC1234567 works well; code X-2000-77",
        "",
    };
    for (const std::string& text : kept) {
        CAPTURE(text);
        CHECK(ScrubPersonalData(text) == text);
    }
}

TEST_CASE("scrub: what lies next to a scrubbed number is not eaten") {
    CHECK(ScrubPersonalData("ring 6912345678.me@x.com") == "ring [phone].[email]");
    CHECK(ScrubPersonalData("(030) 1234567") == "[phone]");
    CHECK(ScrubPersonalData("a@b.co b@c.de") == "[email] [email]");
    CHECK(ScrubPersonalData("1234567") == "[phone]");
    CHECK(ScrubPersonalData("123456") == "123456");
}
