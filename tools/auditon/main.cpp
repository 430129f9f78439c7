// auditon SUBCOMMAND ...: knox's auditon. On FreeBSD and macOS the
// subcommands are auditon(2) calls (bsd.cpp); on Linux they act on what
// exists there: the policy, per-process masks and event classes of the
// running bsmauditd (through its control socket), and `status` shows the
// kernel's audit settings.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "auditon.h"
#include "bullion/live/source.h"
#include "bullion/text/json_writer.h"
#include "bullion/tools/cli.h"
#include "bullion/trail/control.h"

namespace auditon {

namespace {

namespace trail = bullion::trail;

constexpr const char* kSynopsis =
    "[--root DIR] getpolicy | setpolicy POLICY | unsetpolicy POLICY | getmask PID |\n"
    "       setmask PID CLASSES | unsetmask PID CLASSES | getclass AUE_NAME |\n"
    "       setclass AUE_NAME CLASS | unsetclass AUE_NAME CLASS | status [--json]";

struct Subcommand {
  std::string_view name;
  size_t arguments;
  bool prints;  // get* print the value; set*/unset* print nothing, as knox's
};

constexpr Subcommand kSubcommands[] = {
    {"getpolicy", 0, true},   {"setpolicy", 1, false}, {"unsetpolicy", 1, false}, {"getmask", 1, true},
    {"setmask", 2, false},    {"unsetmask", 2, false}, {"getclass", 1, true},     {"setclass", 2, false},
    {"unsetclass", 2, false}, {"status", 0, true},
};

// Options may come before the subcommand (and after `status`); the words
// after any other subcommand are its arguments, even when they start with
// '-' as class flags may ("-fr").
size_t subcommand_index(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--root") {
      ++i;
    } else if (!arg.starts_with("-")) {
      return static_cast<size_t>(i);
    }
  }
  return static_cast<size_t>(argc);
}

std::string_view failure_name(uint32_t failure) {
  switch (failure) {
    case 0:
      return "silent";
    case 1:
      return "printk";
    case 2:
      return "panic";
  }
  return "unknown";
}

void print_status(const bullion::live::KernelStatus& s, bool json) {
  std::string out;
  if (json) {
    bullion::text::JsonWriter<std::string> w(out);
    auto object = w.object();
    w.field("enabled", s.enabled);
    w.field("failure", s.failure);
    w.string_field("failure_name", failure_name(s.failure));
    w.field("pid", s.pid);
    w.field("backlog_limit", s.backlog_limit);
    w.field("backlog", s.backlog);
    w.field("backlog_wait_time", s.backlog_wait_time);
    w.field("rate_limit", s.rate_limit);
    w.field("lost", s.lost);
    w.field("rules", s.rules);
  } else {
    out += "enabled            " + std::to_string(s.enabled) +
           (s.enabled == 2   ? " (locked)"
            : s.enabled == 1 ? " (on)"
                             : " (off)") +
           "\n";
    out += "failure            " + std::to_string(s.failure) + " (" + std::string(failure_name(s.failure)) + ")\n";
    out += "daemon pid         " + std::to_string(s.pid) + (s.pid == 0 ? " (none)" : "") + "\n";
    out += "backlog            " + std::to_string(s.backlog) + " of " + std::to_string(s.backlog_limit) + "\n";
    out += "backlog wait time  " + std::to_string(s.backlog_wait_time) + " ticks\n";
    out += "rate limit         " + std::to_string(s.rate_limit) + (s.rate_limit == 0 ? " (none)" : "/s") + "\n";
    out += "lost               " + std::to_string(s.lost) + "\n";
    out += "rules              " + std::to_string(s.rules) + "\n";
  }
  if (json) out += '\n';
  std::fputs(out.c_str(), stdout);
}

int fail(const std::string& why) {
  std::fprintf(stderr, "auditon: %s\n", why.c_str());
  return kExitError;
}

}  // namespace

int run(int argc, char** argv) {
  const size_t at = subcommand_index(argc, argv);
  std::string root;
  bool json = false;
  std::vector<std::string> operands;
  bullion::tools::CommandLine cli("auditon", kSynopsis,
                                  "knox's auditon. On Linux: the running bsmauditd's policy (and the kernel failure\n"
                                  "mode: ahlt = panic), per-process masks (kernel rules by pid), event-to-class map;\n"
                                  "status shows the kernel's audit settings.");
  cli.value('\0', "root", "DIR", root, "the daemon runs with --root DIR")
      .json(json, "status as a JSON object")
      .operands("SUBCOMMAND", operands)
      .epilog("exit status: 0 done, 1 failed (no daemon, no such process/event/class), 2 a usage error\n");
  // Options: those before the subcommand; after `status`, the rest too.
  const bool is_status = at < static_cast<size_t>(argc) && std::string_view(argv[at]) == "status";
  const int option_count = is_status ? argc : static_cast<int>(std::min(at + 1, static_cast<size_t>(argc)));
  if (auto code = cli.parse(option_count, argv)) return *code;
  if (operands.empty()) return cli.usage_error("SUBCOMMAND missing");
  std::vector<std::string> args(operands.begin() + 1, operands.end());
  for (int i = option_count; i < argc; ++i) args.emplace_back(argv[i]);
  const Subcommand* sub = nullptr;
  for (const Subcommand& s : kSubcommands) {
    if (s.name == operands.front()) sub = &s;
  }
  if (sub == nullptr) return cli.usage_error("unknown subcommand '" + operands.front() + "'");
  if (args.size() != sub->arguments) {
    return cli.usage_error(std::string(sub->name) + " takes " + std::to_string(sub->arguments) + " argument" +
                           (sub->arguments == 1 ? "" : "s"));
  }
  if (json && sub->name != "status") return cli.usage_error("--json is for status");
  if (sub->name == "status") {
    auto status = bullion::live::kernel_status();
    if (!status) return fail(status.error().message);
    print_status(*status, json);
    return kExitOk;
  }
  auto answer = request(root, std::string(sub->name), args);
  if (!answer) return fail(answer.error().message);
  if (sub->prints) std::printf("%s\n", answer->c_str());
  return kExitOk;
}

}  // namespace auditon

int main(int argc, char** argv) { return auditon::run(argc, argv); }
