// commands [TRAIL...]: the command line of every exec, one per line, quoted
// so it can be pasted back into a shell. Trails when given, live otherwise.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/text/json_writer.h"
#include "bullion/text/printer.h"
#include "bullion/tools/cli.h"
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

// Nothing when commands should run; otherwise its exit code.
std::optional<int> parse(int argc, char** argv, Options& o) {
  tools::CommandLine cli("commands", "[--env] [--pid] [--user] [--time] [--json] [--live] [table options] [trail ...]",
                         "Prints the command line of every exec: the executable's resolved path, then\n"
                         "every argument, shell-quoted. Reads the trails given (\"-\" = stdin), or the\n"
                         "live audit stream when none are given.");
  cli.flag('\0', "env", o.line.with_env, "start the line with env and the recorded environment (policy arge)")
      .flag('\0', "pid", o.pid, "the process id before the command")
      .flag('\0', "user", o.user, "the user name before the command")
      .flag('\0', "time", o.time, "the time before the command")
      .json(o.json, "JSON Lines: time, pid, uid, user, path, argv, env, line")
      .flag('\0', "live", o.live, "read the live audit stream (root needed)")
      .table_options(o.tables)
      .operands("trail", o.inputs);
  if (auto code = cli.parse(argc, argv)) return code;
  if (o.inputs.empty()) o.live = true;
  return std::nullopt;
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
    auto& w = json_;
    auto event = w.object();
    w.string_field("time", tools::format_timestamp(f.seconds, f.msec));
    w.field("seconds", f.seconds);
    w.field("event", f.event);
    w.field("pid", f.subject.pid);
    w.field("uid", f.subject.euid);
    w.field("auid", f.subject.auid);
    w.string_field("user", tools::user_label(accounts_, f.subject.euid));
    w.string_field("path", tools::executable_of(f));
    w.string_list_field("argv", tools::exec_arguments(f));
    if (f.exec_envc > 0) w.string_list_field("env", tools::exec_environment(f));
    if (f.has_return && f.return_errno != 0) w.string_field("error", tools::failure_text(f.return_errno));
    w.string_field("line", tools::format_command_line(f, o_.line));
  }

  const Options& o_;
  bullion::tables::Accounts& accounts_;
  tools::EventKinds kinds_;
  bullion::text::Output out_;
  std::string line_;
  // One writer for every line: its key lists keep their room between lines.
  bullion::text::JsonWriter<std::string> json_{line_};
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
  if (auto code = parse(argc, argv, o)) return *code;
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
