#include "core/service/json_config.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

namespace doorstep {
namespace {

enum class JsonKind { Boolean, Integer, Number, String };

std::string_view KindName(JsonKind kind) {
    switch (kind) {
        case JsonKind::Boolean:
            return "true or false";
        case JsonKind::Integer:
            return "a whole number";
        case JsonKind::Number:
            return "a number";
        case JsonKind::String:
            return "a string";
    }
    return "a string";
}

// What a flag takes, from CLI11's own description of it: a flag expects no argument (as CLI11's
// own config reader tells them apart), and an option's type name ("INT", "FLOAT:FLOAT in
// [5 - 600]", "TEXT:NAME") starts with the value's type.
JsonKind ExpectedKind(const CLI::Option& option) {
    if (option.get_expected_min() == 0) {
        return JsonKind::Boolean;
    }
    std::string type = option.get_type_name();
    type = type.substr(0, type.find(':'));
    if (type == "INT" || type == "UINT") {
        return JsonKind::Integer;
    }
    if (type == "FLOAT" || type == "NUMBER") {
        return JsonKind::Number;
    }
    return JsonKind::String;
}

bool HasKind(const nlohmann::json& value, JsonKind kind) {
    switch (kind) {
        case JsonKind::Boolean:
            return value.is_boolean();
        case JsonKind::Integer:
            return value.is_number_integer();
        case JsonKind::Number:
            return value.is_number();
        case JsonKind::String:
            return value.is_string();
    }
    return false;
}

std::string AsArgument(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

// Runs each command of the tree, depth first.
void ForEachCommand(CLI::App& command, const std::function<void(CLI::App&)>& visit) {
    visit(command);
    for (CLI::App* sub : command.get_subcommands(std::function<bool(CLI::App*)>{})) {
        ForEachCommand(*sub, visit);
    }
}

// Applies the values itself rather than handing CLI11 ConfigItems: only here are the file and the
// key still known when a flag's own check refuses a value, and only here can one key reach the
// same flag in every subcommand.
class JsonConfig : public CLI::Config {
  public:
    JsonConfig(CLI::App& root, CLI::App& configured) : Root_(root), Configured_(configured) {}

    std::string to_config(const CLI::App* command, bool default_also, bool /*write_description*/,
                          std::string /*prefix*/) const override {
        nlohmann::json out = nlohmann::json::object();
        for (const CLI::Option* option : command->get_options()) {
            if (!IsKey(*command, *option) || option->get_lnames().empty()) {
                continue;
            }
            std::vector<std::string> values = option->results();
            if (values.empty() && default_also && !option->get_default_str().empty()) {
                values.push_back(option->get_default_str());
            }
            if (values.empty()) {
                continue;
            }
            out[option->get_lnames().front()] = ToJson(values.back(), ExpectedKind(*option));
        }
        return out.dump(2) + "\n";
    }

    std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
        std::string text((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());
        nlohmann::json file;
        try {
            file = nlohmann::json::parse(text);
        } catch (const nlohmann::json::parse_error& error) {
            // "[json.exception.parse_error.101] parse error at line 1, column 14: ..."
            std::string what = error.what();
            throw Problem("is not valid JSON: " + what.substr(what.find("] ") + 2));
        }
        if (!file.is_object()) {
            throw Problem("must hold one JSON object of flag names and values");
        }
        for (const auto& [key, value] : file.items()) {
            Apply(key, value);
        }
        return {};  // applied above
    }

  private:
    CLI::ConfigError Problem(const std::string& what) const {
        return CLI::ConfigError(FileName() + ": " + what);
    }

    std::string FileName() const {
        const CLI::Option* option = Root_.get_config_ptr();
        return option != nullptr ? option->as<std::string>() : std::string("config file");
    }

    bool IsKey(const CLI::App& command, const CLI::Option& option) const {
        return option.get_configurable() && !option.get_lnames().empty() &&
               &option != command.get_help_ptr() && &option != command.get_help_all_ptr() &&
               &option != Root_.get_version_ptr() && &option != Root_.get_config_ptr();
    }

    static nlohmann::json ToJson(const std::string& text, JsonKind kind) {
        try {
            switch (kind) {
                case JsonKind::Boolean:
                    return text == "true" || text == "1";
                case JsonKind::Integer:
                    return std::stoll(text);
                case JsonKind::Number:
                    return std::stod(text);
                case JsonKind::String:
                    break;
            }
        } catch (const std::exception&) {
            // not a number after all: written as the text it is
        }
        return text;
    }

    void Apply(const std::string& key, const nlohmann::json& value) const {
        CLI::Option* option = Configured_.get_option_no_throw("--" + key);
        if (option == nullptr || !IsKey(Configured_, *option)) {
            throw Problem("unknown key \"" + key +
                          "\" (keys are the long flags of --help, without the dashes)");
        }
        JsonKind kind = ExpectedKind(*option);
        std::vector<std::string> arguments;
        if (value.is_array() && option->get_items_expected_max() > 1) {
            for (const nlohmann::json& item : value) {
                if (!HasKind(item, kind)) {
                    throw WrongType(key, "a list of " + std::string(KindName(kind)), item);
                }
                arguments.push_back(AsArgument(item));
            }
        } else if (!HasKind(value, kind)) {
            throw WrongType(key, std::string(KindName(kind)), value);
        } else {
            arguments.push_back(AsArgument(value));
        }
        ForEachCommand(Root_, [&](CLI::App& command) {
            CLI::Option* same =
                &command == &Configured_ ? option : command.get_option_no_throw("--" + key);
            if (same == nullptr || !IsKey(command, *same) || same->count() > 0) {
                return;  // no such flag here, or the command line already set it
            }
            try {
                if (kind == JsonKind::Boolean) {
                    same->add_result(same->get_flag_value(key, arguments.front()));
                } else {
                    same->add_result(arguments);
                }
                same->run_callback();  // the flag's own checks: ranges, names, files
            } catch (const CLI::Error& error) {
                throw Problem("key \"" + key + "\": " + error.what());
            }
        });
    }

    CLI::ConfigError WrongType(const std::string& key, const std::string& expected,
                               const nlohmann::json& got) const {
        return Problem("key \"" + key + "\" must be " + expected + ", not " + got.dump());
    }

    CLI::App& Root_;
    CLI::App& Configured_;
};

}  // namespace

void AddJsonConfig(CLI::App& app, CLI::App& configured, const std::string& default_path) {
    app.config_formatter(std::make_shared<JsonConfig>(app, configured));
    app.set_config("--config", default_path,
                   "Settings file (JSON): each key is a long flag without its dashes; flags on "
                   "the command line win");
}

std::optional<int> ParseArguments(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        int code = app.exit(error);  // prints help, version or the error message
        return code == 0 ? 0 : 2;
    }
    // CLI11 skips a default file it cannot open, as if it were absent: one that is there but
    // unreadable (permissions) would be ignored without a word.
    const CLI::Option* config = app.get_config_ptr();
    if (config != nullptr && config->count() == 0 && !config->get_default_str().empty()) {
        const std::string& path = config->get_default_str();
        std::error_code error;
        if (std::filesystem::exists(path, error) && access(path.c_str(), R_OK) != 0) {
            std::cerr << path << ": cannot read it: " << std::strerror(errno)
                      << "\nRun with --help for more information.\n";
            return 2;
        }
    }
    return std::nullopt;
}

}  // namespace doorstep
