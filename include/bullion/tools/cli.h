// One way to be a tool: the command-line parser every bullion tool uses.
//
// A tool declares its own options and operands, adds the common ones
// (table options, --json), and calls parse(). The parser gives every tool
// the same behaviour:
//   -h, --help    usage on stdout, exit 0
//   --version     "NAME (bullion) VERSION" on stdout, exit 0
//   a usage error "NAME: unknown option --foo", "NAME: missing argument to
//                 -d", "NAME: --timeout: 'x' is not a number" ... on stderr,
//                 then the synopsis and a pointer to --help; exit 2
// Options and operands may be mixed (`praudit file -l`); "--" ends the
// options; "-" is an operand (stdin). Short flags combine (-lnp), a short
// option's value may be attached (-d,) and a long one's given as --root=DIR
// or --root DIR.
//
// Typical use:
//
//   bullion::tools::CommandLine cli("pwait", "[--timeout SEC] [-i TRAIL]... NAME...",
//                                   "waits until a program named NAME is executed");
//   cli.number('\0', "timeout", "SEC", o.timeout, "give up after SEC seconds")
//      .list('i', "input", "TRAIL", o.inputs, "read TRAIL instead of the live stream")
//      .json(o.json, "print a JSON object")
//      .table_options(o.tables)
//      .operands("NAME", o.names, /*at_least=*/1);
//   if (auto code = cli.parse(argc, argv)) return *code;
//
// Written by hand rather than on getopt_long(3): getopt prints its own
// messages in its own words and keeps global state, and one table here
// drives parsing, the --help text and the usage errors alike.
#pragma once

#include <charconv>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "bullion/tables.h"

namespace bullion::tools {

inline constexpr int kExitUsage = 2;

// "NAME (bullion) VERSION", the project version from CMake.
std::string version_line(std::string_view tool);

class CommandLine {
 public:
  // `synopsis` follows "usage: NAME "; `about` is a line or two saying
  // what the tool does (both appear in --help).
  CommandLine(std::string tool, std::string synopsis, std::string about = {});

  // What an option does with its value: nothing on success, else why the
  // value is wrong ("'x' is not a number").
  using Apply = std::function<std::optional<std::string>(std::string_view value)>;

  // A flag sets `target` (or runs `on`). short_name '\0' = none; long_name "" = none.
  CommandLine& flag(char short_name, std::string_view long_name, bool& target, std::string_view help);
  CommandLine& flag(char short_name, std::string_view long_name, std::function<void()> on, std::string_view help);
  // An option with a value: `arg` names it in --help ("DIR").
  CommandLine& value(char short_name, std::string_view long_name, std::string_view arg, std::string& target,
                     std::string_view help);
  CommandLine& value(char short_name, std::string_view long_name, std::string_view arg, Apply apply,
                     std::string_view help);
  // A repeatable option whose values are collected.
  CommandLine& list(char short_name, std::string_view long_name, std::string_view arg, std::vector<std::string>& target,
                    std::string_view help);
  // An option whose value is a decimal number of T's range.
  template <class T>
  CommandLine& number(char short_name, std::string_view long_name, std::string_view arg, T& target,
                      std::string_view help) {
    static_assert(std::is_integral_v<T>);
    return value(short_name, long_name, arg, Apply([&target](std::string_view text) -> std::optional<std::string> {
                   T v{};
                   auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
                   if (ec != std::errc() || end != text.data() + text.size() || text.empty())
                     return "'" + std::string(text) + "' is not a number";
                   target = v;
                   return std::nullopt;
                 }),
                 help);
  }

  // The common options.
  CommandLine& json(bool& target, std::string_view help = "JSON Lines instead of text (docs/json.md)");
  CommandLine& table_options(tables::TableOptions& target);
  // Operands (everything that is not an option). Fewer than `at_least` is a
  // usage error ("NAME missing").
  CommandLine& operands(std::string_view name, std::vector<std::string>& target, size_t at_least = 0);
  // Lines printed at the end of --help (exit status, notes).
  CommandLine& epilog(std::string text);

  // Parses argv. Nothing when the tool should run; otherwise the exit code
  // (0 after --help or --version, 2 after a usage error, already reported).
  std::optional<int> parse(int argc, const char* const* argv);
  // For checks after parse() (options that exclude each other): reports
  // "NAME: why" and the synopsis on stderr, and returns 2.
  int usage_error(std::string_view why) const;

  std::string help_text() const;
  const std::string& tool() const { return tool_; }

 private:
  struct Option {
    char short_name;
    std::string long_name;
    std::string arg;  // "" = takes no value
    std::string help;
    Apply apply;               // for options with a value
    std::function<void()> on;  // for flags
    std::string group;         // "" = the tool's own options
  };
  const Option* find_short(char c) const;
  const Option* find_long(std::string_view name) const;
  static std::string spelling(const Option& o);
  std::optional<int> apply(const Option& o, std::string_view spelt, std::optional<std::string_view> value);
  int short_options(std::string_view arg, int& i, int argc, const char* const* argv);
  int long_option(std::string_view arg, int& i, int argc, const char* const* argv);

  std::string tool_, synopsis_, about_, epilog_;
  std::vector<Option> options_;
  std::string operand_name_;
  std::vector<std::string>* operands_ = nullptr;
  size_t at_least_ = 0;
  bool done_ = false;  // --help or --version seen
};

}  // namespace bullion::tools
