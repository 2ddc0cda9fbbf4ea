// The normal build's stand-in for libFuzzer: runs every input named on the command line (a
// directory: every regular file in it, in name order) through LLVMFuzzerTestOneInput once. A
// target signals a broken property by aborting, so a failing input fails the run.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::filesystem::path> InputsNamed(int argc, char** argv) {
    std::vector<std::filesystem::path> inputs;
    for (int i = 1; i < argc; ++i) {
        std::filesystem::path named(argv[i]);
        if (!std::filesystem::is_directory(named)) {
            inputs.push_back(named);
            continue;
        }
        std::vector<std::filesystem::path> in_directory;
        for (const auto& entry : std::filesystem::directory_iterator(named)) {
            if (entry.is_regular_file()) {
                in_directory.push_back(entry.path());
            }
        }
        std::sort(in_directory.begin(), in_directory.end());
        inputs.insert(inputs.end(), in_directory.begin(), in_directory.end());
    }
    return inputs;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::filesystem::path> inputs = InputsNamed(argc, argv);
    if (inputs.empty()) {
        std::fprintf(stderr, "%s: no inputs (give corpus directories or files)\n", argv[0]);
        return 2;  // an empty corpus is a wrong path, not a pass
    }
    for (const std::filesystem::path& path : inputs) {
        std::ifstream file(path, std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(file)),
                                std::istreambuf_iterator<char>());
        if (!file.eof() && file.fail()) {
            std::fprintf(stderr, "%s: cannot read %s\n", argv[0], path.c_str());
            return 2;
        }
        // An allocation of exactly the input's size, as libFuzzer makes, so a sanitizer build
        // sees any read past its end.
        auto data = std::make_unique<uint8_t[]>(bytes.size());
        std::copy(bytes.begin(), bytes.end(), data.get());
        LLVMFuzzerTestOneInput(data.get(), bytes.size());
    }
    std::printf("%s: %zu inputs replayed\n", argv[0], inputs.size());
    return 0;
}
