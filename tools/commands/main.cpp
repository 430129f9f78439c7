// commands [TRAIL...]: the command line of every exec, one per line, quoted
// so it can be pasted back into a shell. Trails when given, live otherwise.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/text/printer.h"
#include "bullion/tools/command_line.h"
#include "bullion/tools/event_kinds.h"
#include "bullion/tools/process_tracker.h"
#include "bullion/tools/record_input.h"
#include "bullion/tools/tool_support.h"

namespace {

namespace tools = bullion::tools;

struct Options {
  tools::CommandLineOptions line;
  bool pid = false, user = false, time = false, json = false, live = false;
  bullion::tables::TableOptions tables;
  std::vector<std::string> inputs;
};

constexpr const char* kUsage =
    "usage: commands [--env] [--pid] [--user] [--time] [--json] [--live] [table options] [trail ...]\n"
    "  prints the command line of every exec: the executable's resolved path, then\n"
    "  every argument, shell-quoted. Reads the trails given (\"-\" = stdin), or the\n"
    "  live audit stream when none are given.\n"
    "  --env   start the line with env and the recorded environment (policy arge)\n"
    "  --pid --user --time   columns before the command\n"
    "  --json  JSON Lines: time, pid, uid, user, path, argv, env, line\n";

enum LongOption { kEnv = 1000, kPid, kUser, kTime, kJson, kLive, kHelp };

bool parse(int argc, char** argv, Options& o) {
  static const option kLong[] = {{"env", no_argument, nullptr, kEnv},
                                 {"pid", no_argument, nullptr, kPid},
                                 {"user", no_argument, nullptr, kUser},
                                 {"time", no_argument, nullptr, kTime},
                                 {"json", no_argument, nullptr, kJson},
                                 {"live", no_argument, nullptr, kLive},
                                 {"help", no_argument, nullptr, kHelp},
                                 BULLION_TABLE_LONG_OPTIONS,
                                 {nullptr, 0, nullptr, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "h", kLong, nullptr)) != -1) {
    switch (c) {
      case kEnv:
        o.line.with_env = true;
        break;
      case kPid:
        o.pid = true;
        break;
      case kUser:
        o.user = true;
        break;
      case kTime:
        o.time = true;
        break;
      case kJson:
        o.json = true;
        break;
      case kLive:
        o.live = true;
        break;
      case 'h':
      case kHelp:
        std::fputs(kUsage, stdout);
        std::exit(0);
      default:
        if (!tools::apply_table_option(c, optarg, o.tables)) return false;
    }
  }
  for (int i = optind; i < argc; ++i) o.inputs.emplace_back(argv[i]);
  if (o.inputs.empty()) o.live = true;
  return true;
}

// Turns exec records into lines on the output.
class CommandPrinter {
 public:
  CommandPrinter(const Options& o, const bullion::tables::TableSet& tables)
      : o_(o), accounts_(*tables.accounts), kinds_(*tables.events), out_(STDOUT_FILENO) {}

  bool on_record(const bullion::bsm::RecordView& record) {
    if (record.is_file_token) return true;
    bullion::bsm::RecordFacts facts;
    // A record damaged after its exec tokens still names the command.
    (void)bullion::bsm::extract_facts(record.bytes, facts);
    if (!kinds_.starts_program(facts.event)) return true;
    if (facts.exec_argc == 0 && facts.path_count == 0) return true;  // nothing to show
    line_.clear();
    o_.json ? append_json(facts) : append_text(facts);
    line_ += '\n';
    out_.append(line_);
    out_.maybe_flush();
    return true;
  }
  bool flush() { return out_.flush(); }
  bool failed() const { return out_.failed(); }

 private:
  void append_text(const bullion::bsm::RecordFacts& f) {
    if (o_.time) line_ += tools::format_timestamp(f.seconds, f.msec) + ' ';
    if (o_.pid) line_ += std::to_string(f.subject.pid) + ' ';
    if (o_.user) line_ += tools::user_label(accounts_, f.subject.euid) + ' ';
    line_ += tools::format_command_line(f, o_.line);
  }

  void append_json(const bullion::bsm::RecordFacts& f) {
    line_ += fmt::format("{{\"time\":\"{}\",\"seconds\":{},\"event\":{},\"pid\":{},\"uid\":{},\"auid\":{},",
                         tools::format_timestamp(f.seconds, f.msec), f.seconds, f.event, f.subject.pid, f.subject.euid,
                         f.subject.auid);
    tools::append_json_field(line_, "user", tools::user_label(accounts_, f.subject.euid));
    line_ += ',';
    tools::append_json_field(line_, "path", tools::executable_of(f));
    line_ += ',';
    tools::append_json_list(line_, "argv", tools::exec_arguments(f));
    if (f.exec_envc > 0) {
      line_ += ',';
      tools::append_json_list(line_, "env", tools::exec_environment(f));
    }
    if (f.has_return && f.return_errno != 0) {
      line_ += ',';
      tools::append_json_field(line_, "error", tools::failure_text(f.return_errno));
    }
    line_ += ',';
    tools::append_json_field(line_, "line", tools::format_command_line(f, o_.line));
    line_ += '}';
  }

  const Options& o_;
  bullion::tables::Accounts& accounts_;
  tools::EventKinds kinds_;
  bullion::text::Output out_;
  std::string line_;
};

int run_live(const bullion::tables::TableSet& tables, CommandPrinter& printer) {
  const auto outcome = tools::capture_live(  // exec events only
      "commands", tables, "ex", [&](const bullion::bsm::RecordView& r) { return printer.on_record(r); },
      [&] { printer.flush(); });
  printer.flush();
  return !outcome.status || printer.failed() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  auto tables = tools::load_tables_or_report("commands", o.tables);
  if (!tables) return 2;
  CommandPrinter printer(o, *tables);
  if (o.live) return run_live(*tables, printer);
  const auto outcome = tools::read_trails(
      "commands", o.inputs, [&](const bullion::bsm::RecordView& r) { return printer.on_record(r); },
      [&] { printer.flush(); });
  printer.flush();
  return outcome.clean && !printer.failed() ? 0 : 1;
}
