// The manager PIN vault.
//
// WHAT IS STORED
//   meta "manager_pin_hash"    Argon2id(HMAC-SHA256(pin.key, PIN)) as crypto_pwhash_str writes it
//                              (algorithm, cost and salt included). Never the PIN.
//   meta "manager_pin_lockout" "<failures> <locked_until_ms>": wrong PINs in a row, and the wall
//                              clock time the current lock ends (0: never locked).
//   DATA_DIR/pin.key           32 random bytes, mode 0600, made by the first SetPin().
//
//   The hash lives in the store rather than in a file of its own because the point of the key is
//   to be somewhere else: a copied kiosk.db (a backup, a support bundle) holds the hash but not
//   pin.key, and without the key not even a 4-digit PIN can be tried offline. The meta upsert is
//   also already atomic and durable (WAL, synchronous=FULL), and keeps hash and lockout together.
//
// STATES (f = failures)
//
//                 wrong, f+1 < 3                       wrong, f+1 >= 3
//   OPEN(f) ------------------------> OPEN(f+1)   OPEN(f) ---------------> LOCKED(f+1)
//      ^                                                                       |
//      |  right PIN, or SetPin(): f = 0              LockedUntilMs <= now:     |
//      +------ (from OPEN or NO PIN) ----          OPEN(f) again, f kept <-----+
//
//   NO PIN: no hash, or no pin.key. Check() answers NoPin and changes nothing.
//
//   (any)    -> OPEN(0)    SetPin(): writes the hash, then the lockout "0 0".
//   OPEN(f)  -> OPEN(0)    Check() with the right PIN.
//   OPEN(f)  -> OPEN(f+1)  Check() with a wrong PIN, f+1 < 3: Rejected(3 - (f+1) attempts left).
//   OPEN(f)  -> LOCKED     Check() with a wrong PIN, f+1 >= 3: LockedOut(now + step(f+1)), where
//                          step is 30 s, 1 min, 5 min, then 15 min (LockoutStepMs()).
//   LOCKED   -> OPEN(f)    nobody: the time passes. Nothing is written.
//   LOCKED   -> LOCKED     ClampedLockout() (from Check() and LockedUntil()) when the wall clock
//                          went back: the end moves to now + step(f).
//
// INVARIANTS
//   * Every attempt's outcome (both numbers) is one WriteMeta(): one statement, one transaction.
//     When the store refuses it, the vault keeps it in memory and retries it on the next call, so
//     a full disk does not reopen the vault.
//   * After every read, LockedUntilMs - now <= step(f): a clock that jumps back can lengthen a lock
//     by at most one step, never makes it endless and never clears it.
//   * While locked, Check() neither runs Argon2id nor counts the entry.
//   * An entry that is not 4-8 digits is not counted: it can never be right, so refusing it tells
//     a guesser nothing.
#include "kiosk/store/pin_vault.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include "core/base/log.hpp"
#include "kiosk/store/store.hpp"

namespace doorstep {
namespace {

constexpr size_t kKeyBytes = crypto_auth_hmacsha256_KEYBYTES;  // 32
using PinKey = std::array<unsigned char, kKeyBytes>;

// Holds secret bytes and wipes them when it goes out of scope.
template <size_t N>
struct Wiped {
    std::array<unsigned char, N> Bytes{};
    Wiped() = default;
    Wiped(const Wiped&) = delete;
    Wiped& operator=(const Wiped&) = delete;
    ~Wiped() { sodium_memzero(Bytes.data(), Bytes.size()); }
};

bool SodiumReady() {
    static const bool ready = sodium_init() >= 0;  // once per process, thread-safe
    return ready;
}

Error ErrnoError(const std::string& what, const std::string& path, int error_number) {
    return Error{what + " " + path + ": " + std::strerror(error_number), error_number};
}

// The key, or nothing when the file does not exist. A file of the wrong size is an error: the key
// is never guessed at or padded.
Result<std::optional<PinKey>> ReadKey(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) {
            return std::optional<PinKey>();
        }
        return ErrnoError("cannot read PIN key", path, errno);
    }
    PinKey key{};
    std::array<unsigned char, kKeyBytes + 1> buffer{};  // one more, to notice a longer file
    size_t filled = 0;
    int read_errno = 0;
    while (filled < buffer.size()) {
        ssize_t n = ::read(fd, buffer.data() + filled, buffer.size() - filled);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            read_errno = errno;
        }
        if (n <= 0) {
            break;
        }
        filled += static_cast<size_t>(n);
    }
    ::close(fd);
    std::memcpy(key.data(), buffer.data(), key.size());
    sodium_memzero(buffer.data(), buffer.size());
    if (read_errno != 0) {
        return ErrnoError("cannot read PIN key", path, read_errno);
    }
    if (filled != kKeyBytes) {
        sodium_memzero(key.data(), key.size());
        return Error{"PIN key " + path + " is damaged (" + std::to_string(filled) +
                         " bytes, expected 32); run doorstep-kiosk set-pin to make a new one",
                     0};
    }
    return std::optional<PinKey>(key);
}

// A new random key, written through a temporary file that is renamed into place once synced, so
// a crash leaves the old key or the new one, never half of one.
Result<PinKey> CreateKey(const std::string& path) {
    PinKey key{};
    randombytes_buf(key.data(), key.size());
    std::string temporary = path + ".tmp";
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return ErrnoError("cannot create PIN key", temporary, errno);
    }
    ::fchmod(fd, 0600);  // a stale temporary file may have had wider permissions
    int saved_errno = 0;
    ssize_t written = ::write(fd, key.data(), key.size());
    if (written != static_cast<ssize_t>(key.size())) {
        saved_errno = written < 0 ? errno : ENOSPC;  // a short write of 32 bytes: the disk is full
    } else if (::fsync(fd) != 0) {
        saved_errno = errno;
    }
    ::close(fd);
    if (saved_errno != 0) {
        ::unlink(temporary.c_str());
        return ErrnoError("cannot write PIN key", temporary, saved_errno);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        int rename_errno = errno;
        ::unlink(temporary.c_str());
        return ErrnoError("cannot put PIN key in place at", path, rename_errno);
    }
    // The rename itself is durable only once the directory is synced.
    std::string directory = std::filesystem::path(path).parent_path().string();
    int dir_fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY);
    if (dir_fd >= 0) {
        ::fsync(dir_fd);
        ::close(dir_fd);
    }
    return key;
}

// HMAC-SHA256(key, PIN): what Argon2id hashes, so the stored hash is useless without pin.key.
void KeyedPin(const PinKey& key, std::string_view digits,
              std::array<unsigned char, crypto_auth_hmacsha256_BYTES>& out) {
    crypto_auth_hmacsha256(out.data(), reinterpret_cast<const unsigned char*>(digits.data()),
                           digits.size(), key.data());
}

std::string FormatLockout(int failures, int64_t locked_until_ms) {
    return std::to_string(failures) + " " + std::to_string(locked_until_ms);
}

// "<failures> <locked_until_ms>"; nothing when the text is anything else.
std::optional<std::pair<int, int64_t>> ParseLockout(std::string_view text) {
    size_t space = text.find(' ');
    if (space == std::string_view::npos) {
        return std::nullopt;
    }
    int failures = 0;
    int64_t until = 0;
    std::string_view first = text.substr(0, space);
    std::string_view second = text.substr(space + 1);
    auto [end1, error1] = std::from_chars(first.data(), first.data() + first.size(), failures);
    auto [end2, error2] = std::from_chars(second.data(), second.data() + second.size(), until);
    if (error1 != std::errc() || end1 != first.data() + first.size() || error2 != std::errc() ||
        end2 != second.data() + second.size() || failures < 0 || until < 0) {
        return std::nullopt;
    }
    return std::pair{failures, until};
}

}  // namespace

PinHashCost DefaultPinHashCost() {
    return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

PinHashCost CheapestPinHashCost() {
    return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

std::string DescribePinProblem(std::string_view digits) {
    for (char c : digits) {
        if (c < '0' || c > '9') {
            return "the PIN must be digits only (0-9), with no letters, spaces or signs";
        }
    }
    if (digits.size() < kPinMinDigits || digits.size() > kPinMaxDigits) {
        return "the PIN must be 4 to 8 digits long; this one has " + std::to_string(digits.size());
    }
    return {};
}

int64_t LockoutStepMs(int failures) {
    if (failures < kPinFreeAttempts)
        return 0;
    if (failures == kPinFreeAttempts)
        return 30'000;
    if (failures == kPinFreeAttempts + 1)
        return 60'000;
    if (failures == kPinFreeAttempts + 2)
        return 5 * 60'000;
    return 15 * 60'000;
}

Result<PinVault> PinVault::Open(Store& store, const std::string& data_dir, PinHashCost cost) {
    if (!SodiumReady()) {
        return Error{"libsodium failed to initialise; the manager PIN cannot be checked", 0};
    }
    std::error_code error;
    if (!std::filesystem::is_directory(data_dir, error)) {
        return Error{"PIN vault: data directory " + data_dir + " does not exist", ENOENT};
    }
    std::string key_path = data_dir + "/" + kPinKeyFileName;
    struct stat info {};
    if (::lstat(key_path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
        (info.st_mode & 0077) != 0) {
        // Someone widened it by hand; the key is only worth something while it stays private.
        Log(LogLevel::Warning, "pin", "PIN key was readable by others; made it private again",
            {{"path", key_path}});
        ::chmod(key_path.c_str(), 0600);
    }
    return PinVault(store, std::move(key_path), cost);
}

bool PinVault::HasPin() const {
    Result<std::optional<std::string>> hash = Store_->ReadMeta(kPinHashMetaKey);
    if (!hash.Ok() || !hash->has_value() || (*hash)->empty()) {
        return false;
    }
    Result<std::optional<PinKey>> key = ReadKey(KeyPath_);
    bool usable = key.Ok() && key->has_value();
    if (key.Ok() && key->has_value()) {
        sodium_memzero((*key)->data(), (*key)->size());
    }
    return usable;
}

Status PinVault::SetPin(std::string_view digits) {
    if (std::string problem = DescribePinProblem(digits); !problem.empty()) {
        return Error{problem, EINVAL};
    }
    Wiped<kKeyBytes> key;
    Result<std::optional<PinKey>> existing = ReadKey(KeyPath_);
    if (existing.Ok() && existing->has_value()) {
        key.Bytes = **existing;
        sodium_memzero((*existing)->data(), (*existing)->size());
    } else {
        if (!existing.Ok()) {
            // Unreadable or damaged: the PIN being set now replaces whatever it protected.
            Log(LogLevel::Warning, "pin", "replacing the PIN key",
                {{"reason", existing.Err().Message}});
        }
        Result<PinKey> created = CreateKey(KeyPath_);
        if (!created.Ok()) {
            return created.Err();
        }
        key.Bytes = *created;
        sodium_memzero(created->data(), created->size());
    }
    Wiped<crypto_auth_hmacsha256_BYTES> keyed;
    KeyedPin(key.Bytes, digits, keyed.Bytes);
    char hash[crypto_pwhash_STRBYTES] = {};
    if (crypto_pwhash_str_alg(hash, reinterpret_cast<const char*>(keyed.Bytes.data()),
                              keyed.Bytes.size(), Cost_.OpsLimit, Cost_.MemLimitBytes,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return Error{"cannot hash the PIN: Argon2id needs " +
                         std::to_string(Cost_.MemLimitBytes >> 20) +
                         " MiB of memory and could not get it",
                     ENOMEM};
    }
    if (Status saved = Store_->WriteMeta(kPinHashMetaKey, hash); !saved.Ok()) {
        return Error{"cannot save the PIN: " + saved.Err().Message, saved.Err().Code};
    }
    // A new PIN ends any lockout. A crash just before this line leaves the old count in place
    // with the new PIN: at worst a lock runs its course.
    Unsaved_.reset();
    if (Status cleared = Store_->WriteMeta(kPinLockoutMetaKey, FormatLockout(0, 0));
        !cleared.Ok()) {
        return Error{
            "PIN saved, but the old lockout could not be cleared: " + cleared.Err().Message,
            cleared.Err().Code};
    }
    Log(LogLevel::Info, "pin", "manager PIN set");
    return Success();
}

PinVault::Lockout PinVault::LoadLockout() {
    if (Unsaved_) {
        Lockout pending = *Unsaved_;
        SaveLockout(pending);  // clears Unsaved_ when the store takes it
        return pending;
    }
    Result<std::optional<std::string>> text = Store_->ReadMeta(kPinLockoutMetaKey);
    if (!text.Ok()) {
        // Assume the guesser has used the free attempts: the right PIN still opens the vault, a
        // wrong one locks it.
        Log(LogLevel::Error, "pin", "cannot read the PIN lockout; assuming no free attempts left",
            {{"error", text.Err().Message}});
        return {kPinFreeAttempts, 0};
    }
    if (!text->has_value()) {
        return {};
    }
    std::optional<std::pair<int, int64_t>> parsed = ParseLockout(**text);
    if (!parsed) {
        Log(LogLevel::Error, "pin",
            "PIN lockout record is unreadable; assuming no free attempts left",
            {{"value", **text}});
        return {kPinFreeAttempts, 0};
    }
    return {parsed->first, parsed->second};
}

void PinVault::SaveLockout(const Lockout& lockout) {
    Status saved = Store_->WriteMeta(kPinLockoutMetaKey,
                                     FormatLockout(lockout.Failures, lockout.LockedUntilMs));
    if (saved.Ok()) {
        Unsaved_.reset();
        return;
    }
    Unsaved_ = lockout;
    Log(LogLevel::Error, "pin", "cannot save the PIN lockout; keeping it in memory",
        {{"error", saved.Err().Message}});
}

PinVault::Lockout PinVault::ClampedLockout(int64_t now_wall_ms) {
    Lockout lockout = LoadLockout();
    int64_t step = LockoutStepMs(lockout.Failures);
    if (lockout.LockedUntilMs > now_wall_ms + step) {
        // The wall clock went back (or the record is from the future): a lock never lasts longer
        // than its step from now. Saving the clamped end keeps later calls from clamping again to
        // a fresh now + step, which would make the lock endless while the clock stays behind.
        Log(LogLevel::Warning, "pin",
            "clock went back during a PIN lockout; lock shortened to its step",
            {{"was_until_ms", std::to_string(lockout.LockedUntilMs)},
             {"now_ms", std::to_string(now_wall_ms)}});
        lockout.LockedUntilMs = now_wall_ms + step;
        SaveLockout(lockout);
    }
    return lockout;
}

std::optional<int64_t> PinVault::LockedUntil(int64_t now_wall_ms) {
    Lockout lockout = ClampedLockout(now_wall_ms);
    if (lockout.LockedUntilMs > now_wall_ms) {
        return lockout.LockedUntilMs;
    }
    return std::nullopt;
}

PinCheck PinVault::Check(std::string_view digits, int64_t now_wall_ms) {
    PinCheck check;
    Lockout lockout = ClampedLockout(now_wall_ms);
    if (lockout.LockedUntilMs > now_wall_ms) {
        check.Outcome = PinOutcome::LockedOut;
        check.LockedUntilMs = lockout.LockedUntilMs;
        return check;
    }
    Result<std::optional<std::string>> hash = Store_->ReadMeta(kPinHashMetaKey);
    if (!hash.Ok() || !hash->has_value() || (*hash)->empty()) {
        check.Outcome = PinOutcome::NoPin;
        check.Message = hash.Ok() ? "no manager PIN is set on this terminal; set one with "
                                    "doorstep-kiosk set-pin"
                                  : "cannot read the manager PIN: " + hash.Err().Message;
        return check;
    }
    Result<std::optional<PinKey>> key = ReadKey(KeyPath_);
    if (!key.Ok() || !key->has_value()) {
        // Fail closed: without the key no PIN can be checked, and none is let through.
        check.Outcome = PinOutcome::NoPin;
        check.Message = key.Ok() ? "the PIN key " + KeyPath_ +
                                       " is missing; set the PIN again with doorstep-kiosk set-pin"
                                 : key.Err().Message;
        return check;
    }
    Wiped<kKeyBytes> key_bytes;
    key_bytes.Bytes = **key;
    sodium_memzero((*key)->data(), (*key)->size());

    if (!DescribePinProblem(digits).empty()) {
        check.Outcome = PinOutcome::Rejected;
        check.AttemptsLeft = std::max(1, kPinFreeAttempts - lockout.Failures);
        return check;
    }
    Wiped<crypto_auth_hmacsha256_BYTES> keyed;
    KeyedPin(key_bytes.Bytes, digits, keyed.Bytes);
    bool right = crypto_pwhash_str_verify((*hash)->c_str(),
                                          reinterpret_cast<const char*>(keyed.Bytes.data()),
                                          keyed.Bytes.size()) == 0;
    if (right) {
        SaveLockout({});
        check.Outcome = PinOutcome::Accepted;
        return check;
    }
    lockout.Failures += 1;
    int64_t step = LockoutStepMs(lockout.Failures);
    lockout.LockedUntilMs = step > 0 ? now_wall_ms + step : 0;
    SaveLockout(lockout);
    Log(LogLevel::Warning, "pin", "wrong manager PIN",
        {{"failures_in_a_row", std::to_string(lockout.Failures)},
         {"locked_for_ms", std::to_string(step)}});
    if (step > 0) {
        check.Outcome = PinOutcome::LockedOut;
        check.LockedUntilMs = lockout.LockedUntilMs;
        return check;
    }
    check.Outcome = PinOutcome::Rejected;
    check.AttemptsLeft = kPinFreeAttempts - lockout.Failures;
    return check;
}

}  // namespace doorstep
