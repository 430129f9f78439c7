// commands [TRAIL...]: the command line of every record that runs one, one
// per line, argv as recorded and quoted so it can be pasted back into a shell.
// Trails when given, live otherwise.
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
#include "bullion/tools/shell_quote.h"
#include "bullion/tools/tool_support.h"

namespace {

namespace tools = bullion::tools;

struct Options {
  tools::CommandLineOptions line;
  bool pid = false, user = false, time = false, path = false, json = false, live = false;
  bullion::tables::TableOptions tables;
  std::vector<std::string> inputs;
};

// Nothing when commands should run; otherwise its exit code.
std::optional<int> parse(int argc, char** argv, Options& o) {
  tools::CommandLine cli("commands",
                         "[--env] [--pid] [--user] [--time] [--path] [--json] [--live] [table options] [trail ...]",
                         "Prints the command line of every record that runs one (exec, posix_spawn, sudo,\n"
                         "su ...): argv exactly as recorded, shell-quoted; a failed one ends with its\n"
                         "error as a shell comment. Reads the trails given (\"-\" = stdin), or the live\n"
                         "audit stream when none are given.");
  cli.flag('\0', "env", o.line.with_env, "start the line with env and the recorded environment (policy arge)")
      .flag('\0', "pid", o.pid, "the process id before the command")
      .flag('\0', "user", o.user, "the user name before the command")
      .flag('\0', "time", o.time, "the time before the command")
      .flag('\0', "path", o.path, "the executable's path (the path token) before the command")
      .json(o.json, "JSON Lines: time, pid, uid, user, path, argv, env, error, line")
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
    if (!tools::extract_facts_or_report("commands", record, facts, [&] { flush(); })) tokens_clean_ = false;
    const auto command = tools::command_of(facts, kinds_);
    if (!command) return true;
    line_.clear();
    o_.json ? append_json(facts, *command) : append_text(facts, *command);
    line_ += '\n';
    out_.append(line_);
    out_.maybe_flush();
    return true;
  }
  bool flush() { return out_.flush(); }
  bool failed() const { return out_.failed(); }
  bool tokens_clean() const { return tokens_clean_; }

 private:
  // Columns, then argv as recorded; a failed command ends with its error
  // as a shell comment. A record without a subject has "-" for pid and user.
  void append_text(const bullion::bsm::RecordFacts& f, const tools::Command& c) {
    if (o_.time) line_ += tools::format_timestamp(f.seconds, f.msec) + ' ';
    if (o_.pid) line_ += (c.attributable ? std::to_string(c.pid) : "-") + ' ';
    if (o_.user) line_ += (c.attributable ? tools::user_label(accounts_, f.subject.euid) : "-") + ' ';
    if (o_.path) {
      tools::append_shell_quoted(line_, c.path);
      line_ += ' ';
    }
    tools::CommandLineOptions options = o_.line;
    options.with_error = true;
    line_ += tools::format_command_line(f, options);
  }

  void append_json(const bullion::bsm::RecordFacts& f, const tools::Command& c) {
    auto& w = json_;
    auto event = w.object();
    w.string_field("time", tools::format_timestamp(f.seconds, f.msec));
    w.field("seconds", f.seconds);
    w.field("event", f.event);
    w.bool_field("attributable", c.attributable);
    if (c.attributable) {
      w.field("pid", c.pid);
      if (c.spawned_by) w.field("spawned_by", *c.spawned_by);
      w.field("uid", f.subject.euid);
      w.field("auid", f.subject.auid);
      w.string_field("user", tools::user_label(accounts_, f.subject.euid));
    }
    w.string_field("path", c.path);
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
  bool tokens_clean_ = true;
  // One writer for every line: its key lists keep their room between lines.
  bullion::text::JsonWriter<std::string> json_{line_};
};

int run_live(const bullion::tables::TableSet& tables, CommandPrinter& printer) {
  const auto outcome = tools::capture_live(  // exec events only
      "commands", tables, "ex", [&](const bullion::bsm::RecordView& r) { return printer.on_record(r); },
      [&] { printer.flush(); });
  printer.flush();
  return !outcome.status || !printer.tokens_clean() || printer.failed() ? 1 : 0;
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
  return outcome.clean && printer.tokens_clean() && !printer.failed() ? 0 : 1;
}
