// The store manager's PIN: kept only as a keyed Argon2id hash, checked with a lockout that grows
// with every wrong guess and survives restarts. (States and invariants: pin_vault.cpp.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/base/result.hpp"

namespace doorstep {

class Store;

// Argon2id cost of a new hash. MODERATE (3 passes over 256 MiB) measured 0.46-0.53 s per
// verification on the development machine (Xeon, libsodium 1.0.18); INTERACTIVE (2 passes over
// 64 MiB) measured 0.06-0.09 s. Check() runs once per PIN entry on the UI thread, so the default
// is INTERACTIVE: the pad answers at once and a small kiosk need not find 256 MiB more. The key in
// pin.key (kept apart from the database) and the growing lockout carry the rest of the defence.
// The hash string records its own cost, so changing these later leaves existing PINs working.
struct PinHashCost {
    unsigned long long OpsLimit;
    size_t MemLimitBytes;
};
PinHashCost DefaultPinHashCost();   // crypto_pwhash_OPSLIMIT/MEMLIMIT_INTERACTIVE
PinHashCost CheapestPinHashCost();  // the library's minimum; for tests only

inline constexpr int kPinMinDigits = 4;
inline constexpr int kPinMaxDigits = 8;
inline constexpr int kPinFreeAttempts = 3;  // wrong PINs in a row before the first lock

// Where the hash and the lockout live in the store's meta table, and the device-local key.
inline constexpr const char* kPinHashMetaKey = "manager_pin_hash";
inline constexpr const char* kPinLockoutMetaKey = "manager_pin_lockout";
inline constexpr const char* kPinKeyFileName = "pin.key";

enum class PinOutcome {
    Accepted,   // the PIN is right; the failure count is back to 0
    Rejected,   // wrong (or not 4-8 digits); AttemptsLeft more wrong ones lock the vault
    LockedOut,  // locked until LockedUntilMs (wall clock); the PIN was not looked at, or it was
                // wrong and started this lock
    NoPin,      // no usable PIN on this terminal (none set, or pin.key missing); see Message
};

struct PinCheck {
    PinOutcome Outcome = PinOutcome::Rejected;
    int AttemptsLeft = 0;       // Rejected only
    int64_t LockedUntilMs = 0;  // LockedOut only
    std::string Message;        // NoPin only: what the operator should do
};

// Empty when `digits` is an acceptable PIN, otherwise why not. Never repeats the PIN itself.
std::string DescribePinProblem(std::string_view digits);

// The lock that starts after the `failures`-th wrong PIN in a row: none for the first two, then
// 30 s, 1 min, 5 min, and 15 min from the sixth on.
int64_t LockoutStepMs(int failures);

// Used from one thread at a time, like the Store it borrows (the UI thread); must not outlive it.
class PinVault {
  public:
    // Reads nothing yet: the hash, the key and the lockout are read on every call, so a PIN set
    // from the shell (`doorstep-kiosk set-pin`) takes effect in a running kiosk.
    static Result<PinVault> Open(Store& store, const std::string& data_dir,
                                 PinHashCost cost = DefaultPinHashCost());

    // True when a PIN is set and pin.key is there to check it with.
    bool HasPin() const;
    // Replaces the PIN (whether or not one existed) and clears any lockout. Creates pin.key on
    // first use. Refuses anything but 4-8 digits, saying why.
    Status SetPin(std::string_view digits);
    // Checks one entry. Runs Argon2id (DefaultPinHashCost: well under 0.1 s here) unless locked.
    PinCheck Check(std::string_view digits, int64_t now_wall_ms);
    // When the vault is locked at `now_wall_ms`, until when; nothing when it is open.
    std::optional<int64_t> LockedUntil(int64_t now_wall_ms);

    const std::string& KeyPath() const { return KeyPath_; }

  private:
    struct Lockout {
        int Failures = 0;           // wrong PINs in a row
        int64_t LockedUntilMs = 0;  // wall clock; 0 when never locked
    };

    PinVault(Store& store, std::string key_path, PinHashCost cost)
        : Store_(&store), KeyPath_(std::move(key_path)), Cost_(cost) {}
    Lockout LoadLockout();
    void SaveLockout(const Lockout& lockout);
    Lockout ClampedLockout(int64_t now_wall_ms);

    Store* Store_;
    std::string KeyPath_;
    PinHashCost Cost_;
    std::optional<Lockout> Unsaved_;  // the last lockout the store refused to take; retried
};

}  // namespace doorstep
