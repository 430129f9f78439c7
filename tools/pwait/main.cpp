// pwait NAME...: waits until a program named NAME is executed, prints its
// pid and command line, and exits 0; exits 1 at the timeout or at the end
// of the input. Watches the live stream unless trails are given with -i.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/tools/command_line.h"
#include "bullion/tools/event_kinds.h"
#include "bullion/tools/process_tracker.h"
#include "bullion/tools/record_input.h"
#include "bullion/tools/tool_support.h"

namespace {

namespace tools = bullion::tools;

constexpr int kFound = 0, kNotFound = 1, kUsageError = 2;

struct Options {
  std::unordered_set<std::string> names;
  std::vector<std::string> inputs;
  unsigned timeout_seconds = 0;
  bool json = false;
  bullion::tables::TableOptions tables;
};

constexpr const char* kUsage =
    "usage: pwait [--timeout SEC] [--json] [-i TRAIL]... [table options] NAME...\n"
    "  waits until a program whose executable's base name (or full path) is NAME\n"
    "  is executed, prints \"PID COMMAND-LINE\" and exits 0; exits 1 at the\n"
    "  timeout or at the end of the input.\n"
    "  -i, --input TRAIL  read TRAIL (repeatable, \"-\" = stdin) instead of the live stream\n"
    "  --timeout SEC      give up after SEC seconds\n"
    "  --json             print a JSON object: pid, uid, path, argv, line\n";

enum LongOption { kJson = 1000, kTimeout };

bool parse(int argc, char** argv, Options& o) {
  static const option kLong[] = {{"input", required_argument, nullptr, 'i'},
                                 {"timeout", required_argument, nullptr, kTimeout},
                                 {"json", no_argument, nullptr, kJson},
                                 {"help", no_argument, nullptr, 'h'},
                                 BULLION_TABLE_LONG_OPTIONS,
                                 {nullptr, 0, nullptr, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "i:h", kLong, nullptr)) != -1) {
    switch (c) {
      case 'i':
        o.inputs.emplace_back(optarg);
        break;
      case 'h':
        std::fputs(kUsage, stdout);
        std::exit(0);
      case kJson:
        o.json = true;
        break;
      case kTimeout: {
        const std::string_view text = optarg;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), o.timeout_seconds);
        if (ec != std::errc() || end != text.data() + text.size()) return false;
        break;
      }
      default:
        if (!tools::apply_table_option(c, optarg, o.tables)) return false;
    }
  }
  for (int i = optind; i < argc; ++i) o.names.emplace(argv[i]);
  return !o.names.empty();
}

// Looks at exec records until one runs a program with a wanted name.
class Waiter {
 public:
  Waiter(const Options& o, const bullion::tables::TableSet& tables) : o_(o), kinds_(*tables.events) {}

  // False (stop) once found.
  bool on_record(const bullion::bsm::RecordView& record) {
    if (record.is_file_token) return true;
    bullion::bsm::RecordFacts facts;
    (void)bullion::bsm::extract_facts(record.bytes, facts);
    if (!kinds_.starts_program(facts.event) || !tools::succeeded(facts)) return true;
    const std::string_view exe = tools::executable_of(facts);
    if (!o_.names.contains(std::string(tools::base_name(exe))) && !o_.names.contains(std::string(exe))) {
      return true;
    }
    print(facts);
    found_ = true;
    return false;
  }
  bool found() const { return found_; }

 private:
  void print(const bullion::bsm::RecordFacts& f) const {
    const std::string line = tools::format_command_line(f, {});
    if (!o_.json) {
      fmt::print("{} {}\n", f.subject.pid, line);
    } else {
      std::string out =
          fmt::format("{{\"pid\":{},\"uid\":{},\"seconds\":{},", f.subject.pid, f.subject.euid, f.seconds);
      tools::append_json_field(out, "path", tools::executable_of(f));
      out += ',';
      tools::append_json_list(out, "argv", tools::exec_arguments(f));
      out += ',';
      tools::append_json_field(out, "line", line);
      fmt::print("{}}}\n", out);
    }
    std::fflush(stdout);
  }

  const Options& o_;
  tools::EventKinds kinds_;
  bool found_ = false;
};

// Reading a trail can block on a pipe: the timeout ends the process.
void exit_on_alarm(int) { _exit(kNotFound); }

int wait_in_trails(const Options& o, Waiter& waiter) {
  if (o.timeout_seconds > 0) {
    signal(SIGALRM, exit_on_alarm);
    alarm(o.timeout_seconds);
  }
  (void)tools::read_trails("pwait", o.inputs, [&](const bullion::bsm::RecordView& r) { return waiter.on_record(r); });
  return waiter.found() ? kFound : kNotFound;
}

int wait_live(const Options& o, const bullion::tables::TableSet& tables, Waiter& waiter) {
  (void)tools::capture_live(
      "pwait", tables, "ex", [&](const bullion::bsm::RecordView& r) { return waiter.on_record(r); }, {},
      o.timeout_seconds);
  return waiter.found() ? kFound : kNotFound;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fputs(kUsage, stderr);
    return kUsageError;
  }
  auto tables = tools::load_tables_or_report("pwait", o.tables);
  if (!tables) return kUsageError;
  Waiter waiter(o, *tables);
  return o.inputs.empty() ? wait_live(o, *tables, waiter) : wait_in_trails(o, waiter);
}
