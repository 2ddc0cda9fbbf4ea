#include "kiosk/sync/device_identity.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

namespace doorstep {
namespace {

Error Errno(const std::string& what, const std::string& path) {
    return Error{what + " " + path + ": " + std::strerror(errno), errno};
}

}  // namespace

std::string DeviceIdentityPath(const std::string& data_dir) {
    return data_dir + "/device.json";
}

Result<std::optional<DeviceIdentity>> LoadDeviceIdentity(const std::string& data_dir) {
    std::string path = DeviceIdentityPath(data_dir);
    std::ifstream in(path);
    if (!in) {
        if (errno == ENOENT) {
            return std::optional<DeviceIdentity>();
        }
        return Errno("cannot read", path);
    }
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return Error{path + ": not a JSON object; enroll the terminal again", 0};
    }
    DeviceIdentity identity;
    for (auto [key, target] : {std::pair{"device_id", &identity.DeviceId},
                               std::pair{"device_secret", &identity.SecretHex},
                               std::pair{"server_url", &identity.ServerUrl}}) {
        if (!j.contains(key) || !j[key].is_string() ||
            j[key].get_ref<const std::string&>().empty()) {
            return Error{path + ": \"" + key + "\" is missing; enroll the terminal again", 0};
        }
        *target = j[key].get<std::string>();
    }
    identity.StoreName = j.value("store", "");
    identity.Door = j.value("door", "");
    identity.CaFile = j.value("ca_file", "");
    identity.PinnedPublicKey = j.value("pinned_public_key", "");
    identity.AllowInsecureHttp = j.value("allow_insecure_http", false);
    return std::optional<DeviceIdentity>(std::move(identity));
}

Status SaveDeviceIdentity(const std::string& data_dir, const DeviceIdentity& identity) {
    nlohmann::json j{{"device_id", identity.DeviceId},
                     {"device_secret", identity.SecretHex},
                     {"server_url", identity.ServerUrl},
                     {"store", identity.StoreName},
                     {"door", identity.Door},
                     {"ca_file", identity.CaFile},
                     {"pinned_public_key", identity.PinnedPublicKey},
                     {"allow_insecure_http", identity.AllowInsecureHttp}};
    std::string text = j.dump(2) + "\n";
    std::string path = DeviceIdentityPath(data_dir);
    std::string temporary = path + ".tmp";
    int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return Errno("cannot create", temporary);
    }
    fchmod(fd, 0600);  // an older file left with wider permissions is tightened too
    bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    bool synced = written && fsync(fd) == 0;
    int saved_errno = errno;
    close(fd);
    if (!synced) {
        errno = saved_errno;
        unlink(temporary.c_str());
        return Errno("cannot write", temporary);
    }
    if (rename(temporary.c_str(), path.c_str()) != 0) {
        return Errno("cannot replace", path);
    }
    return Success();
}

Status CheckServerUrl(const std::string& url, bool allow_insecure_http) {
    std::smatch match;
    if (!std::regex_match(url, match,
                          std::regex(R"((https?)://(\[[0-9a-fA-F:]+\]|[^/:]+)(:[0-9]+)?/?)"))) {
        return Error{"server URL must look like https://host[:port], got \"" + url + "\"", 0};
    }
    if (match[1] == "https" || allow_insecure_http) {
        return Success();
    }
    std::string host = match[2];
    bool loopback = host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
    if (!loopback) {
        return Error{"refusing plain http to " + host +
                         ": answers would cross the network unencrypted. Use https, or pass "
                         "--insecure-http if this network is trusted",
                     0};
    }
    return Success();
}

}  // namespace doorstep
