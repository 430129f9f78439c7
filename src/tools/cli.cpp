#include "bullion/tools/cli.h"

#include <fmt/format.h>

#include <cstdio>

#include "bullion/version.h"

namespace bullion::tools {
namespace {

constexpr std::string_view kTableGroup = "table options (names as another host would resolve them)";

}  // namespace

std::string version_line(std::string_view tool) { return fmt::format("{} (bullion) {}", tool, BULLION_VERSION); }

CommandLine::CommandLine(std::string tool, std::string synopsis, std::string about)
    : tool_(std::move(tool)), synopsis_(std::move(synopsis)), about_(std::move(about)) {
  flag(
      'h', "help",
      [this] {
        std::fputs(help_text().c_str(), stdout);
        done_ = true;
      },
      "print this help and exit");
  flag(
      '\0', "version",
      [this] {
        std::puts(version_line(tool_).c_str());
        done_ = true;
      },
      "print the version and exit");
}

CommandLine& CommandLine::flag(char short_name, std::string_view long_name, bool& target, std::string_view help) {
  return flag(
      short_name, long_name, [&target] { target = true; }, help);
}

CommandLine& CommandLine::flag(char short_name, std::string_view long_name, std::function<void()> on,
                               std::string_view help) {
  options_.push_back({short_name, std::string(long_name), {}, std::string(help), {}, std::move(on), {}});
  return *this;
}

CommandLine& CommandLine::value(char short_name, std::string_view long_name, std::string_view arg, std::string& target,
                                std::string_view help) {
  return value(short_name, long_name, arg, Apply([&target](std::string_view v) -> std::optional<std::string> {
                 target = v;
                 return std::nullopt;
               }),
               help);
}

CommandLine& CommandLine::value(char short_name, std::string_view long_name, std::string_view arg, Apply apply,
                                std::string_view help) {
  options_.push_back(
      {short_name, std::string(long_name), std::string(arg), std::string(help), std::move(apply), {}, {}});
  return *this;
}

CommandLine& CommandLine::list(char short_name, std::string_view long_name, std::string_view arg,
                               std::vector<std::string>& target, std::string_view help) {
  return value(short_name, long_name, arg, Apply([&target](std::string_view v) -> std::optional<std::string> {
                 target.emplace_back(v);
                 return std::nullopt;
               }),
               help);
}

CommandLine& CommandLine::json(bool& target, std::string_view help) { return flag('\0', "json", target, help); }

CommandLine& CommandLine::table_options(tables::TableOptions& t) {
  const auto add = [&](std::string_view name, std::string_view arg, std::string& target, std::string_view help) {
    value('\0', name, arg, target, help);
    options_.back().group = kTableGroup;
  };
  add("root", "DIR", t.root, "read DIR/etc/passwd, DIR/etc/group, DIR/etc/security/audit_{event,class}");
  add("passwd", "FILE", t.passwd, "user names from FILE");
  add("group", "FILE", t.group, "group names from FILE");
  add("audit-event", "FILE", t.audit_event, "event names from FILE");
  add("audit-class", "FILE", t.audit_class, "audit classes from FILE");
  return *this;
}

CommandLine& CommandLine::operands(std::string_view name, std::vector<std::string>& target, size_t at_least) {
  operand_name_ = name;
  operands_ = &target;
  at_least_ = at_least;
  return *this;
}

CommandLine& CommandLine::epilog(std::string text) {
  epilog_ = std::move(text);
  return *this;
}

std::string CommandLine::spelling(const Option& o) {
  std::string s;
  if (o.short_name) s = fmt::format("-{}", o.short_name);
  if (!o.long_name.empty()) s += fmt::format("{}--{}", s.empty() ? "" : ", ", o.long_name);
  if (!o.arg.empty()) s += " " + o.arg;
  return s;
}

std::string CommandLine::help_text() const {
  std::string text = fmt::format("usage: {} {}\n", tool_, synopsis_);
  if (!about_.empty()) text += about_ + (about_.ends_with('\n') ? "" : "\n");
  const auto line = [&text](const Option& o) {
    const std::string s = spelling(o);
    // Long spellings get their help on the next line rather than a ragged column.
    text += fmt::format("  {:<22}{}{}\n", s, s.size() >= 22 ? "\n                        " : "", o.help);
  };
  // The tool's own options (help and version, declared first, go last),
  // then each common group under its heading.
  text += "\noptions:\n";
  for (size_t i = 2; i < options_.size(); ++i)
    if (options_[i].group.empty()) line(options_[i]);
  line(options_[0]);
  line(options_[1]);
  std::string group;
  for (const Option& o : options_) {
    if (o.group.empty()) continue;
    if (o.group != group) text += fmt::format("{}:\n", group = o.group);
    line(o);
  }
  if (!epilog_.empty()) text += epilog_ + (epilog_.ends_with('\n') ? "" : "\n");
  return text;
}

int CommandLine::usage_error(std::string_view why) const {
  fmt::print(stderr, "{}: {}\nusage: {} {}\nTry '{} --help' for more.\n", tool_, why, tool_, synopsis_, tool_);
  return kExitUsage;
}

const CommandLine::Option* CommandLine::find_short(char c) const {
  for (const Option& o : options_)
    if (o.short_name == c) return &o;
  return nullptr;
}

const CommandLine::Option* CommandLine::find_long(std::string_view name) const {
  for (const Option& o : options_)
    if (!o.long_name.empty() && o.long_name == name) return &o;
  return nullptr;
}

std::optional<int> CommandLine::apply(const Option& o, std::string_view spelt, std::optional<std::string_view> value) {
  if (o.arg.empty()) {
    o.on();
    return std::nullopt;
  }
  if (auto why = o.apply(*value)) return usage_error(fmt::format("{}: {}", spelt, *why));
  return std::nullopt;
}

// "-lnp", "-d,", "-d ,": returns -1 to go on, else an exit code.
int CommandLine::short_options(std::string_view arg, int& i, int argc, const char* const* argv) {
  for (size_t k = 1; k < arg.size(); ++k) {
    const std::string spelt = fmt::format("-{}", arg[k]);
    const Option* o = find_short(arg[k]);
    if (!o) return usage_error("unknown option " + spelt);
    std::optional<std::string_view> value;
    if (!o->arg.empty()) {
      if (k + 1 < arg.size()) {
        value = arg.substr(k + 1);
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return usage_error("missing argument to " + spelt);
      }
    }
    if (auto code = apply(*o, spelt, value)) return *code;
    if (value) break;  // the rest of the word was the value
  }
  return -1;
}

// "--root DIR", "--root=DIR", "--json": returns -1 to go on, else an exit code.
int CommandLine::long_option(std::string_view arg, int& i, int argc, const char* const* argv) {
  const size_t eq = arg.find('=');
  const std::string_view name = arg.substr(2, eq == std::string_view::npos ? std::string_view::npos : eq - 2);
  const std::string spelt = fmt::format("--{}", name);
  const Option* o = find_long(name);
  if (!o) return usage_error("unknown option " + spelt);
  std::optional<std::string_view> value;
  if (eq != std::string_view::npos) {
    if (o->arg.empty()) return usage_error(fmt::format("option {} takes no argument", spelt));
    value = arg.substr(eq + 1);
  } else if (!o->arg.empty()) {
    if (i + 1 >= argc) return usage_error("missing argument to " + spelt);
    value = argv[++i];
  }
  if (auto code = apply(*o, spelt, value)) return *code;
  return -1;
}

std::optional<int> CommandLine::parse(int argc, const char* const* argv) {
  std::vector<std::string> operands;
  bool options_end = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    int code = -1;
    if (options_end || arg == "-" || !arg.starts_with('-')) {
      operands.emplace_back(arg);
    } else if (arg == "--") {
      options_end = true;
    } else if (arg.starts_with("--")) {
      code = long_option(arg, i, argc, argv);
    } else {
      code = short_options(arg, i, argc, argv);
    }
    if (code >= 0) return code;
    if (done_) return 0;
  }
  if (!operands_ && !operands.empty()) return usage_error(fmt::format("unexpected argument '{}'", operands.front()));
  if (operands.size() < at_least_) return usage_error(operand_name_ + " missing");
  if (operands_) operands_->insert(operands_->end(), operands.begin(), operands.end());
  return std::nullopt;
}

}  // namespace bullion::tools
