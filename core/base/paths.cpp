#include "core/base/paths.hpp"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace doorstep {
namespace {

std::filesystem::path OwnExecutable() {
    std::error_code error;
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::filesystem::path() : exe;
}

bool RunningFromInstalledLocation() {
    std::string text = OwnExecutable().string();
    return text.rfind("/usr/", 0) == 0 || text.rfind("/opt/", 0) == 0;
}

}  // namespace

std::string DefaultDataDir() {
    if (RunningFromInstalledLocation()) {
        return "/var/lib/doorstep";
    }
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && xdg[0] == '/') {
        return std::string(xdg) + "/doorstep";
    }
    const char* home = std::getenv("HOME");
    return std::string(home != nullptr ? home : ".") + "/.local/share/doorstep";
}

std::string DefaultSurveyPath() {
    if (RunningFromInstalledLocation()) {
        // Beside the binary, so a package built for any prefix finds what it installed.
        std::string installed = (OwnExecutable().parent_path().parent_path() /
                                 DOORSTEP_INSTALLED_ASSETS_SUBDIR / "surveys" / "default.json")
                                    .string();
        if (access(installed.c_str(), R_OK) == 0) {
            return installed;
        }
    }
    return std::string(DOORSTEP_SOURCE_ASSETS_DIR) + "/surveys/default.json";
}

std::string DefaultConfigPath(const std::string& file_name) {
    return RunningFromInstalledLocation() ? "/etc/doorstep/" + file_name : std::string();
}

Status EnsurePrivateDirectory(const std::string& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
        return Success();
    }
    std::filesystem::create_directories(path, error);
    if (error) {
        return Error{"cannot create data directory " + path + ": " + error.message(),
                     error.value()};
    }
    if (chmod(path.c_str(), 0700) != 0) {
        return Error{"cannot restrict data directory " + path + ": " + std::strerror(errno), errno};
    }
    return Success();
}

long long FreeDiskBytes(const std::string& path) {
    struct statvfs info {};
    if (statvfs(path.c_str(), &info) != 0) {
        return -1;
    }
    return static_cast<long long>(info.f_bavail) * static_cast<long long>(info.f_frsize);
}

}  // namespace doorstep
