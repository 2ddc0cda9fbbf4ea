// The manager PIN vault: keyed Argon2id hashes, the growing lockout, its persistence across
// restarts, a clock that jumps back, a disk that refuses the lockout, and PINs that are not PINs.
// Most tests hash at the library's cheapest cost; one checks the real default.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "faulty_vfs.hpp"
#include "kiosk/store/pin_vault.hpp"
#include "kiosk/store/store.hpp"
#include "store_fixtures.hpp"

using namespace doorstep;
using doorstep::testing::FaultKind;
using doorstep::testing::FaultyVfs;
using doorstep::testing::TempDir;

namespace {

constexpr int64_t kNow = 1'790'000'000'000;  // some wall clock time, ms

// A terminal: its store and its vault over one data directory.
struct Terminal {
    explicit Terminal(const TempDir& dir, StoreOptions options = {}) : Dir(dir) {
        Result<std::unique_ptr<Store>> opened = Store::Open(dir.File("kiosk.db"), options);
        REQUIRE(opened.Ok());
        Db = std::move(*opened);
        Result<PinVault> vault = PinVault::Open(*Db, dir.File(""), CheapestPinHashCost());
        REQUIRE(vault.Ok());
        Vault.emplace(std::move(*vault));
    }
    std::string Meta(const char* key) {
        Result<std::optional<std::string>> value = Db->ReadMeta(key);
        REQUIRE(value.Ok());
        return value->value_or("");
    }

    const TempDir& Dir;
    std::unique_ptr<Store> Db;
    std::optional<PinVault> Vault;
};

// Makes `count` wrong guesses at `now`; returns the last answer.
PinCheck Guess(PinVault& vault, int count, int64_t now) {
    PinCheck last;
    for (int i = 0; i < count; ++i) {
        last = vault.Check("0000", now);
    }
    return last;
}

}  // namespace

TEST_CASE("pin vault: the right PIN opens it, a wrong one is refused with the attempts left") {
    TempDir dir;
    Terminal kiosk(dir);
    CHECK_FALSE(kiosk.Vault->HasPin());
    CHECK(kiosk.Vault->Check("4821", kNow).Outcome == PinOutcome::NoPin);
    CHECK(kiosk.Vault->Check("4821", kNow).Message.find("set-pin") != std::string::npos);

    REQUIRE(kiosk.Vault->SetPin("4821").Ok());
    CHECK(kiosk.Vault->HasPin());
    CHECK(kiosk.Vault->Check("4821", kNow).Outcome == PinOutcome::Accepted);

    PinCheck wrong = kiosk.Vault->Check("4822", kNow);
    CHECK(wrong.Outcome == PinOutcome::Rejected);
    CHECK(wrong.AttemptsLeft == 2);
    wrong = kiosk.Vault->Check("48210", kNow);  // a longer PIN with the right start is wrong too
    CHECK(wrong.Outcome == PinOutcome::Rejected);
    CHECK(wrong.AttemptsLeft == 1);
    CHECK_FALSE(kiosk.Vault->LockedUntil(kNow).has_value());
}

TEST_CASE("pin vault: the hash is not the PIN, and only this terminal's key can check it") {
    TempDir dir_a;
    TempDir dir_b;
    Terminal a(dir_a);
    Terminal b(dir_b);
    REQUIRE(a.Vault->SetPin("4821").Ok());
    REQUIRE(b.Vault->SetPin("4821").Ok());

    std::string hash_a = a.Meta(kPinHashMetaKey);
    std::string hash_b = b.Meta(kPinHashMetaKey);
    CHECK(hash_a.rfind("$argon2id$", 0) == 0);
    CHECK(hash_a.find("4821") == std::string::npos);
    CHECK(hash_a != hash_b);

    // A database copied to another terminal (another key) does not open with the right PIN: the
    // hash is of HMAC(key, PIN), so without pin.key it cannot be brute-forced either.
    REQUIRE(b.Db->WriteMeta(kPinHashMetaKey, hash_a).Ok());
    CHECK(b.Vault->Check("4821", kNow).Outcome == PinOutcome::Rejected);
    // The same key checks it.
    std::filesystem::copy_file(dir_a.File(kPinKeyFileName), dir_b.File(kPinKeyFileName),
                               std::filesystem::copy_options::overwrite_existing);
    CHECK(b.Vault->Check("4821", kNow).Outcome == PinOutcome::Accepted);
}

TEST_CASE("pin vault: locks grow 30 s, 1 min, 5 min, 15 min, 15 min") {
    CHECK(LockoutStepMs(1) == 0);
    CHECK(LockoutStepMs(2) == 0);
    TempDir dir;
    Terminal kiosk(dir);
    REQUIRE(kiosk.Vault->SetPin("4821").Ok());

    CHECK(Guess(*kiosk.Vault, 2, kNow).Outcome == PinOutcome::Rejected);
    PinCheck third = kiosk.Vault->Check("1111", kNow);
    CHECK(third.Outcome == PinOutcome::LockedOut);
    CHECK(third.LockedUntilMs == kNow + 30'000);

    const int64_t steps[] = {30'000, 60'000, 300'000, 900'000, 900'000};
    int64_t now = kNow;
    PinCheck lock = third;
    for (int64_t step : steps) {
        CAPTURE(step);
        CHECK(lock.LockedUntilMs == now + step);
        // While locked even the right PIN is not looked at, and the lock does not move.
        PinCheck during = kiosk.Vault->Check("4821", now + step - 1);
        CHECK(during.Outcome == PinOutcome::LockedOut);
        CHECK(during.LockedUntilMs == now + step);
        now += step;
        CHECK_FALSE(kiosk.Vault->LockedUntil(now).has_value());
        // After a lock, the very next wrong PIN locks again, for the next step.
        lock = kiosk.Vault->Check("1111", now);
        REQUIRE(lock.Outcome == PinOutcome::LockedOut);
    }
}

TEST_CASE("pin vault: a lockout survives a restart (new store, new vault, same files)") {
    TempDir dir;
    {
        Terminal kiosk(dir);
        REQUIRE(kiosk.Vault->SetPin("4821").Ok());
        REQUIRE(Guess(*kiosk.Vault, 3, kNow).Outcome == PinOutcome::LockedOut);
        CHECK(kiosk.Meta(kPinLockoutMetaKey) == "3 " + std::to_string(kNow + 30'000));
    }
    {
        Terminal restarted(dir);
        CHECK(restarted.Vault->HasPin());
        PinCheck check = restarted.Vault->Check("4821", kNow + 10'000);
        CHECK(check.Outcome == PinOutcome::LockedOut);
        CHECK(check.LockedUntilMs == kNow + 30'000);
        // The count survived too: the next wrong PIN after the lock locks for 1 min.
        PinCheck wrong = restarted.Vault->Check("1111", kNow + 30'000);
        CHECK(wrong.Outcome == PinOutcome::LockedOut);
        CHECK(wrong.LockedUntilMs == kNow + 90'000);
    }
}

TEST_CASE("pin vault: the right PIN resets the count") {
    TempDir dir;
    Terminal kiosk(dir);
    REQUIRE(kiosk.Vault->SetPin("4821").Ok());
    REQUIRE(Guess(*kiosk.Vault, 3, kNow).Outcome == PinOutcome::LockedOut);
    CHECK(kiosk.Vault->Check("4821", kNow + 30'000).Outcome == PinOutcome::Accepted);
    CHECK(kiosk.Meta(kPinLockoutMetaKey) == "0 0");
    PinCheck wrong = kiosk.Vault->Check("1111", kNow + 31'000);
    CHECK(wrong.Outcome == PinOutcome::Rejected);
    CHECK(wrong.AttemptsLeft == 2);
}

TEST_CASE("pin vault: setting the PIN again replaces it and ends a lockout") {
    TempDir dir;
    Terminal kiosk(dir);
    REQUIRE(kiosk.Vault->SetPin("4821").Ok());
    REQUIRE(Guess(*kiosk.Vault, 3, kNow).Outcome == PinOutcome::LockedOut);
    REQUIRE(kiosk.Vault->SetPin("20250611").Ok());
    CHECK_FALSE(kiosk.Vault->LockedUntil(kNow).has_value());
    CHECK(kiosk.Vault->Check("4821", kNow).Outcome == PinOutcome::Rejected);
    CHECK(kiosk.Vault->Check("20250611", kNow).Outcome == PinOutcome::Accepted);
}

TEST_CASE("pin vault: anything but 4-8 digits is refused, saying why, and not counted") {
    TempDir dir;
    Terminal kiosk(dir);
    struct Bad {
        const char* Pin;
        const char* Says;
    };
    for (Bad bad : {Bad{"12a4", "digits only"}, Bad{"123", "4 to 8 digits"},
                    Bad{"123456789", "4 to 8 digits"}, Bad{"", "4 to 8 digits"},
                    Bad{" 1234", "digits only"}, Bad{"１２３４", "digits only"}}) {
        CAPTURE(bad.Pin);
        Status set = kiosk.Vault->SetPin(bad.Pin);
        REQUIRE_FALSE(set.Ok());
        CHECK(set.Err().Message.find(bad.Says) != std::string::npos);
        if (std::string(bad.Pin).size() >= 3) {
            CHECK(set.Err().Message.find(bad.Pin) == std::string::npos);  // never echoed
        }
    }
    CHECK_FALSE(kiosk.Vault->HasPin());
    CHECK(kiosk.Vault->SetPin("0000").Ok());
    CHECK(kiosk.Vault->SetPin("99999999").Ok());

    for (int i = 0; i < 5; ++i) {
        CHECK(kiosk.Vault->Check("12", kNow).Outcome == PinOutcome::Rejected);
    }
    CHECK(kiosk.Meta(kPinLockoutMetaKey) == "0 0");
    CHECK(kiosk.Vault->Check("99999999", kNow).Outcome == PinOutcome::Accepted);
}

TEST_CASE("pin vault: a clock that jumps back shortens a lock to its step, never to nothing") {
    TempDir dir;
    Terminal kiosk(dir);
    REQUIRE(kiosk.Vault->SetPin("4821").Ok());
    REQUIRE(Guess(*kiosk.Vault, 3, kNow).Outcome == PinOutcome::LockedOut);  // until kNow + 30 s

    const int64_t back = kNow - 3'600'000;  // the clock went back an hour
    PinCheck check = kiosk.Vault->Check("4821", back);
    CHECK(check.Outcome == PinOutcome::LockedOut);  // still locked...
    CHECK(check.LockedUntilMs == back + 30'000);    // ...but for one step from now, not an hour
    CHECK(*kiosk.Vault->LockedUntil(back + 10'000) == back + 30'000);  // not pushed on again
    CHECK(kiosk.Meta(kPinLockoutMetaKey) == "3 " + std::to_string(back + 30'000));
    CHECK(kiosk.Vault->Check("4821", back + 30'000).Outcome == PinOutcome::Accepted);

    // A record from far in the future (a clock that was far ahead) is clamped the same way.
    REQUIRE(kiosk.Db->WriteMeta(kPinLockoutMetaKey, "6 9999999999999").Ok());
    CHECK(*kiosk.Vault->LockedUntil(kNow) == kNow + 900'000);
}

TEST_CASE("pin vault: pin.key is 32 private bytes, made by the first SetPin, kept after that") {
    TempDir dir;
    Terminal kiosk(dir);
    CHECK_FALSE(std::filesystem::exists(dir.File(kPinKeyFileName)));
    REQUIRE(kiosk.Vault->SetPin("4821").Ok());
    struct stat info {};
    REQUIRE(::stat(dir.File(kPinKeyFileName).c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK(info.st_size == 32);
    CHECK_FALSE(std::filesystem::exists(dir.File("pin.key.tmp")));

    auto key_bytes = [&] {
        std::ifstream in(dir.File(kPinKeyFileName), std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
    std::string first_key = key_bytes();
    REQUIRE(kiosk.Vault->SetPin("1357").Ok());
    CHECK(key_bytes() == first_key);

    // Widened by hand: opening the vault makes it private again.
    REQUIRE(::chmod(dir.File(kPinKeyFileName).c_str(), 0644) == 0);
    Result<PinVault> reopened = PinVault::Open(*kiosk.Db, dir.File(""), CheapestPinHashCost());
    REQUIRE(reopened.Ok());
    REQUIRE(::stat(dir.File(kPinKeyFileName).c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
}

TEST_CASE("pin vault: without pin.key, or with a damaged one, no PIN opens it") {
    TempDir dir;
    Terminal kiosk(dir);
    REQUIRE(kiosk.Vault->SetPin("4821").Ok());
    std::filesystem::remove(dir.File(kPinKeyFileName));
    CHECK_FALSE(kiosk.Vault->HasPin());
    PinCheck check = kiosk.Vault->Check("4821", kNow);
    CHECK(check.Outcome == PinOutcome::NoPin);
    CHECK(check.Message.find("pin.key") != std::string::npos);

    std::ofstream(dir.File(kPinKeyFileName)) << "short";
    check = kiosk.Vault->Check("4821", kNow);
    CHECK(check.Outcome == PinOutcome::NoPin);
    CHECK(check.Message.find("damaged") != std::string::npos);

    // Setting the PIN again is the way back.
    REQUIRE(kiosk.Vault->SetPin("4821").Ok());
    CHECK(kiosk.Vault->Check("4821", kNow).Outcome == PinOutcome::Accepted);
}

TEST_CASE("pin vault: a store that refuses the lockout does not reopen the vault") {
    TempDir dir;
    FaultyVfs::Register();
    Terminal kiosk(dir, {.Vfs = FaultyVfs::kName});
    REQUIRE(kiosk.Vault->SetPin("4821").Ok());
    FaultyVfs::FailWritesAfter(1, FaultKind::DiskFull);
    PinCheck third = Guess(*kiosk.Vault, 3, kNow);
    CHECK(third.Outcome == PinOutcome::LockedOut);
    CHECK(kiosk.Vault->Check("4821", kNow + 1'000).Outcome == PinOutcome::LockedOut);
    FaultyVfs::Heal();
    // The held lockout reaches the store at the next call once the disk takes it.
    CHECK(*kiosk.Vault->LockedUntil(kNow + 2'000) == kNow + 30'000);
    CHECK(kiosk.Meta(kPinLockoutMetaKey) == "3 " + std::to_string(kNow + 30'000));
}

TEST_CASE("pin vault: the default cost is Argon2id INTERACTIVE, recorded in the hash") {
    TempDir dir;
    Result<std::unique_ptr<Store>> store = Store::Open(dir.File("kiosk.db"));
    REQUIRE(store.Ok());
    Result<PinVault> vault = PinVault::Open(**store, dir.File(""));
    REQUIRE(vault.Ok());
    REQUIRE(vault->SetPin("4821").Ok());
    Result<std::optional<std::string>> hash = (*store)->ReadMeta(kPinHashMetaKey);
    REQUIRE(hash.Ok());
    CHECK((*hash)->rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0) == 0);
    CHECK(vault->Check("4821", kNow).Outcome == PinOutcome::Accepted);
}
