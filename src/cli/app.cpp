// SPDX-License-Identifier: Apache-2.0
// The symtri program's command line: reads the command's name, parses its options and arguments with
// CLI11 (as commands.cpp declares them), checks their values, and runs it. Help goes to stdout (exit 0);
// a usage error is one line on stderr naming what was wrong, with a hint to --help (exit 2).
#include <iostream>
#include <memory>
#include <sstream>

#include "app.hpp"

namespace symtri_cli {
namespace {

constexpr std::size_t help_width = 100, help_column = 26;

// `text` in lines of at most `width` characters (a word longer than that gets a line of its own), each
// after `indent`; no final newline.
std::string wrap(const std::string& text, std::size_t width, const std::string& indent = "") {
    std::string out, line;
    std::istringstream words(text);
    for (std::string w; words >> w;) {
        if (!line.empty() && indent.size() + line.size() + 1 + w.size() > width) {
            out += (out.empty() ? "" : "\n") + indent + line;
            line.clear();
        }
        line += (line.empty() ? "" : " ") + w;
    }
    if (!line.empty()) out += (out.empty() ? "" : "\n") + indent + line;
    return out;
}

// "a", "a and b", "a, b and c"
std::string and_list(const std::vector<std::string>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) out += (i == 0 ? "" : i + 1 == words.size() ? " and " : ", ") + words[i];
    return out;
}

const Command* find_command(const std::string& name) {
    for (const auto& c : commands())
        if (name == c.name) return &c;
    return nullptr;
}

std::vector<std::string> command_names() {
    std::vector<std::string> names;
    for (const auto& c : commands()) names.emplace_back(c.name);
    return names;
}

// `symtri --help`: the commands, what every command shares, the exit codes.
std::string program_help() {
    std::ostringstream out;
    out << "usage: symtri <command> [options] [arguments]\n"
           "       symtri <command> --help   (or: symtri help <command>)  the options of one command\n"
           "       symtri --version\n\n"
           "commands:\n";
    for (const auto& c : commands()) out << "  " << c.synopsis << "\n" << wrap(c.summary, help_width, "        ") << "\n";
    out << "\n"
        << wrap("Every command that reads one rule set takes --rules PATH: a root .json file, or a directory "
                "holding index.json (default: the rule set built into this program). diff takes its two as OLD "
                "and NEW.",
                help_width)
        << "\n\nlimits (docs/cli.md): the rule-set ones for every command that reads a rule set; the case ones "
           "for\ntriage, batch, explain --case and diff; --max-questions for triage and batch:\n"
        << limits_help()
        << "\nexit codes: 0 success, 1 a carried test failed (diff: a level went down), 2 usage error, 3 invalid rule set,\n"
           "4 invalid case\n"
           "\n"
           "symtri educates and signposts; it does not diagnose. See docs/clinical-safety.md.\n";
    return out.str();
}

// `symtri COMMAND --help`: its usage line, what it does, its arguments and options, its exit codes.
class CommandHelp : public CLI::Formatter {
  public:
    CommandHelp() {
        column_width(help_column);
        label("Positionals", "arguments");
        label("REQUIRED", "(required)");
    }
    std::string make_help(const CLI::App* app, std::string, CLI::AppFormatMode mode) const override {
        const Command* c = find_command(app->get_name());
        std::string out = "usage: symtri " + std::string(c ? c->synopsis : app->get_name()) + "\n\n" +
                          wrap(app->get_description(), help_width) + "\n" + make_positionals(app) + "\n" +
                          make_groups(app, mode) + "\n" + wrap(app->get_footer(), help_width) + "\n";
        // CLI11 starts each group with an empty line and ends some with one too: one between sections.
        for (std::size_t at; (at = out.find("\n\n\n")) != std::string::npos;) out.erase(at, 1);
        return out;
    }
    // The value an option takes, and "(required)" for an argument that must be given.
    std::string make_option_opts(const CLI::Option* opt) const override {
        std::string out;
        if (opt->get_type_size() != 0 && !opt->get_type_name().empty()) out += " " + opt->get_type_name();
        if (opt->get_required()) out += " (required)";
        return out;
    }
    // What it does, then which options it needs or excludes, in lines that fit beside the names.
    std::string make_option_desc(const CLI::Option* opt) const override {
        std::string desc = opt->get_description();
        for (const auto* other : opt->get_needs()) desc += " (needs " + other->get_name() + ")";
        for (const auto* other : opt->get_excludes()) desc += " (not with " + other->get_name() + ")";
        // Continuation lines: CLI11 indents each line after a '\n' to the description column.
        return wrap(desc, help_width - help_column);
    }
};

int usage_error(const std::string& command, const std::string& message) {
    std::string who = command.empty() ? "symtri" : "symtri " + command;
    std::cerr << who << ": " << message << "\n(run '" << who << " --help' for usage)\n";
    return exit_usage;
}

// A CLI11 parse error as a message that names the option or argument and what it needs.
std::string explain_parse_error(const CLI::ParseError& e, const Args& a) {
    std::string what = e.what();
    auto needs = [&](const std::string& name) {
        auto it = a.needs.find(name);
        return it == a.needs.end() ? std::string() : it->second;
    };
    auto cut = [&](const std::string& sep) {
        auto at = what.find(sep);
        return at == std::string::npos ? std::make_pair(what, std::string())
                                       : std::make_pair(what.substr(0, at), what.substr(at + sep.size()));
    };
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {  // "--rules: 1 required PATH missing"
        std::string name = cut(": ").first, n = needs(name);
        if (!n.empty() && what.find(" missing") != std::string::npos) return name + " needs " + n;
    } else if (dynamic_cast<const CLI::RequiredError*>(&e)) {  // "RULE-ID is required"
        std::string name = cut(" is required").first, n = needs(name);
        return "missing " + name + (n.empty() ? "" : " (" + n + ")");
    } else if (dynamic_cast<const CLI::RequiresError*>(&e)) {  // "--min-mcdc requires --coverage"
        auto [first, second] = cut(" requires ");
        if (!second.empty()) return first + " needs " + second;
    } else if (dynamic_cast<const CLI::ExcludesError*>(&e)) {  // "PATH excludes --rules"
        auto [first, second] = cut(" excludes ");
        if (!second.empty()) return "give " + first + " or " + second + ", not both";
    }
    return what;
}

// An argument the command did not take: an option of other commands, an unknown option, one argument too many.
std::string explain_extra(const std::string& arg, const CLI::App& root, const CLI::App& cmd, const Command& c) {
    if (arg.size() > 1 && arg[0] == '-') {
        std::string name = arg.substr(0, arg.find('='));
        std::vector<std::string> owners;
        for (const auto* other : root.get_subcommands([](const CLI::App*) { return true; }))
            if (other->get_option_no_throw(name)) owners.push_back(other->get_name());
        // --format keeps the message scripts knew: batch writes result JSON Lines, never another format.
        if (owners == std::vector<std::string>{"triage", "diff", "explain"} && name == "--format")
            return "--format applies to triage only, and to diff and explain --case";
        if (!owners.empty()) return name + " applies to " + and_list(owners) + " only";
        std::vector<std::string> names;
        for (const auto* opt : cmd.get_options())
            for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
        return "unknown option '" + arg + "'" + symtri::detail::did_you_mean(name, names);
    }
    return "unexpected argument '" + arg + "' (usage: symtri " + c.synopsis + ")";
}

// What comes before the command: --help, --version, or an option written too early.
int program_option(const std::string& arg) {
    if (arg == "-h" || arg == "--help") {
        std::cout << program_help();
        return exit_ok;
    }
    if (arg == "--version") {
        std::cout << "symtri " << symtri::engine_version << " (rule format " << symtri::rules_format_min_version << ".."
                  << symtri::rules_format_version << ")\n";
        return exit_ok;
    }
    return usage_error("", "'" + arg + "' before the command: options follow it (symtri <command> [options])");
}

}  // namespace

int run_cli(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << program_help();
        return exit_usage;
    }
    if (args[0] == "help") {  // `symtri help [COMMAND]`: the same as `symtri [COMMAND] --help`
        if (args.size() == 1) return program_option("--help");
        args = {args[1], "--help"};
    }
    if (args[0].size() > 1 && args[0][0] == '-') return program_option(args[0]);
    const Command* c = find_command(args[0]);
    if (!c)
        return usage_error("", "unknown command '" + args[0] + "'" + symtri::detail::did_you_mean(args[0], command_names()));
    // Every command is declared (so an option of another command is named as such); one is parsed.
    CLI::App root("symtri", "symtri");
    root.formatter(std::make_shared<CommandHelp>());
    root.option_defaults()->group("options")->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    root.set_help_flag("-h,--help", "print this help and exit");
    std::vector<std::unique_ptr<Args>> declared;
    CLI::App* cmd = nullptr;
    Args* chosen = nullptr;
    for (const auto& command : commands()) {
        auto* sub = root.add_subcommand(command.name, command.summary);
        sub->footer(command.exit_codes);
        sub->allow_extras();  // what it does not take is named below, better than CLI11's "not expected"
        declared.push_back(std::make_unique<Args>());
        declared.back()->o.command = command.name;
        command.declare(*sub, *declared.back());
        sub->get_help_ptr()->group("options");
        if (&command == c) cmd = sub, chosen = declared.back().get();
    }
    Args& a = *chosen;
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
    try {
        root.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        std::cout << cmd->help();
        return exit_ok;
    } catch (const CLI::ParseError& e) {
        return usage_error(c->name, explain_parse_error(e, a));
    }
    if (auto extras = cmd->remaining(); !extras.empty())
        return usage_error(c->name, explain_extra(extras.front(), root, *cmd, *c));
    std::string problem = check_values(a);
    if (!problem.empty()) return usage_error(c->name, problem);
    return c->run(a.o);
}

}  // namespace symtri_cli
