#include "server/alerts/contact_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/base/log.hpp"
#include "core/base/paths.hpp"

namespace doorstep::server {
namespace {

std::string CopyAdvice(const std::string& path) {
    return "; every server on one database must use the same key: copy " + path +
           " from the first server (mode 0600) and start again";
}

// The pair the file holds; nothing when it does not exist; an error when it cannot be read.
Result<std::optional<ContactKeyPair>> ReadKeyFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        if (errno == ENOENT) {
            return std::optional<ContactKeyPair>();
        }
        return Error{"cannot read the contact key file " + path + ": " + std::strerror(errno), 1};
    }
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, false);
    if (!json.is_object() || !json.value("public", nlohmann::json()).is_string() ||
        !json.value("secret", nlohmann::json()).is_string()) {
        return Error{"the contact key file " + path +
                         " is not a key file (JSON with \"public\" and \"secret\")",
                     1};
    }
    ContactKeyPair keys{json["public"].get<std::string>(), json["secret"].get<std::string>()};
    if (!IsContactKeyHex(keys.PublicHex) || !IsContactKeyHex(keys.SecretHex) ||
        !OpenContact(*SealContact("check", keys.PublicHex), keys).Ok()) {
        return Error{"the contact key file " + path + " holds no usable X25519 key pair", 1};
    }
    return std::optional<ContactKeyPair>(keys);
}

// Writes a new pair to `path` (0600), unless a file appeared there meanwhile; then that one's.
Result<ContactKeyPair> CreateKeyFile(const std::string& path) {
    size_t slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0) {
        if (Status dir = EnsurePrivateDirectory(path.substr(0, slash)); !dir.Ok()) {
            return dir.Err();
        }
    }
    ContactKeyPair keys = NewContactKeyPair();
    if (!IsContactKeyHex(keys.PublicHex)) {
        return Error{"cannot make a contact key: libsodium did not start", 1};
    }
    std::string text =
        nlohmann::json{{"public", keys.PublicHex}, {"secret", keys.SecretHex}}.dump();
    std::string temporary = path + ".new-" + std::to_string(::getpid());
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool written = fd >= 0 && ::fchmod(fd, 0600) == 0 &&
                   ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                   ::fsync(fd) == 0;
    int write_error = errno;
    if (fd >= 0) {
        ::close(fd);
    }
    // link() never replaces: a server that made its file first keeps it.
    bool linked = written && ::link(temporary.c_str(), path.c_str()) == 0;
    int link_error = errno;
    ::unlink(temporary.c_str());
    if (!written) {
        return Error{
            "cannot write the contact key file " + path + ": " + std::strerror(write_error), 1};
    }
    if (!linked) {
        if (link_error == EEXIST) {
            Result<std::optional<ContactKeyPair>> theirs = ReadKeyFile(path);
            if (!theirs.Ok()) {
                return theirs.Err();
            }
            if (theirs->has_value()) {
                return **theirs;
            }
        }
        return Error{"cannot write the contact key file " + path + ": " + std::strerror(link_error),
                     1};
    }
    Log(LogLevel::Info, "contacts", "made head office's contact key", {{"file", path}});
    return keys;
}

}  // namespace

std::string DefaultContactKeyPath(std::string_view db_url) {
    if (db_url.starts_with("sqlite:")) {
        return std::string(db_url.substr(7)) + ".contact-key";
    }
    return DefaultDataDir() + "/server-contact-key";
}

Result<ContactKeyPair> LoadContactKey(const std::string& path, ServerStore& store) {
    Result<std::optional<ContactKeyPair>> found = ReadKeyFile(path);
    if (!found.Ok()) {
        return found.Err();
    }
    Result<std::optional<std::string>> recorded = store.FindSetting(kContactKeySetting);
    if (!recorded.Ok()) {
        return Error{"cannot read the contact key the database records: " + recorded.Err().Message,
                     1};
    }
    if (!found->has_value() && recorded->has_value()) {
        return Error{"the contact key file " + path +
                         " is missing, but the database records a contact key " +
                         recorded->value().substr(0, 16) + "..." + CopyAdvice(path),
                     1};
    }
    Result<ContactKeyPair> keys = found->has_value() ? **found : CreateKeyFile(path);
    if (!keys.Ok()) {
        return keys.Err();
    }
    Result<std::string> settled = store.SettleSetting(kContactKeySetting, keys->PublicHex);
    if (!settled.Ok()) {
        return Error{"cannot record the contact key in the database: " + settled.Err().Message, 1};
    }
    if (*settled != keys->PublicHex) {
        return Error{"the contact key file " + path + " holds the key " +
                         keys->PublicHex.substr(0, 16) + "..., but the database records " +
                         settled->substr(0, 16) + "..." + CopyAdvice(path),
                     1};
    }
    return keys;
}

}  // namespace doorstep::server
