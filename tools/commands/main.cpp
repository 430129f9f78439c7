// commands [TRAIL...]: the command line of every record that runs one, one
// per line, argv as recorded and quoted so it can be pasted back into a shell.
// Trails when given, else stdin; the live stream with --live (or with no
// input while stdin is a terminal).
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
#include "bullion/tools/output_sink.h"
#include "bullion/tools/process_tracker.h"
#include "bullion/tools/record_input.h"
#include "bullion/tools/reporter.h"
#include "bullion/tools/shell_quote.h"
#include "bullion/tools/tool_support.h"

namespace {

namespace tools = bullion::tools;

struct Options {
  tools::CommandLineOptions line;
  bool pid = false, user = false, time = false, path = false, json = false, live = false, follow = false;
  bullion::tables::TableOptions tables;
  std::vector<std::string> inputs;
};

// Nothing when commands should run; otherwise its exit code.
std::optional<int> parse(int argc, char** argv, Options& o) {
  tools::CommandLine cli("commands",
                         "[--env] [--pid] [--user] [--time] [--path] [--json] [--live] [--follow] [table options]\n"
                         "                [trail ...]",
                         "Prints the command line of every record that runs one (exec, posix_spawn, sudo,\n"
                         "su ...): argv exactly as recorded, shell-quoted; a failed one ends with its\n"
                         "error as a shell comment. Reads the trails given (\"-\" = stdin), else stdin;\n"
                         "the live audit stream with --live, or when no trail is given and stdin is a terminal.");
  cli.flag('\0', "env", o.line.with_env, "start the line with env and the recorded environment (policy arge)")
      .flag('\0', "pid", o.pid, "the process id before the command")
      .flag('\0', "user", o.user, "the user name before the command")
      .flag('\0', "time", o.time, "the time before the command")
      .flag('\0', "path", o.path, "the executable's path (the path token) before the command")
      .json(o.json, "JSON Lines: time, pid, uid, user, path, argv, env, error, line")
      .flag('\0', "live", o.live, "read the live audit stream (root needed)")
      .flag('\0', "follow", o.follow, "keep reading as trails grow, across rotation (like tail -F)")
      .table_options(o.tables)
      .operands("trail", o.inputs);
  if (auto code = cli.parse(argc, argv)) return code;
  return std::nullopt;
}

// Turns exec records into lines on the output.
class CommandPrinter final : public tools::OutputSink {
 public:
  CommandPrinter(const Options& o, const bullion::tables::TableSet& tables, tools::Reporter& reporter)
      : OutputSink(reporter), o_(o), accounts_(*tables.accounts), kinds_(*tables.events) {}

  bullion::bsm::Flow record(const bullion::bsm::RecordView& record) override {
    if (record.is_file_token) return bullion::bsm::Flow::Continue;
    bullion::bsm::RecordFacts facts;
    // A record damaged after its exec tokens still names the command.
    (void)tools::extract_facts_or_report(record, facts, *this);
    const auto command = tools::command_of(facts, kinds_);
    if (!command) return bullion::bsm::Flow::Continue;
    line_.clear();
    o_.json ? append_json(facts, *command) : append_text(facts, *command);
    line_ += '\n';
    out_.append(line_);
    return written();
  }

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
  std::string line_;
  // One writer for every line: its key lists keep their room between lines.
  bullion::text::JsonWriter<std::string> json_{line_};
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (auto code = parse(argc, argv, o)) return *code;
  auto tables = tools::load_tables_or_report("commands", o.tables);
  if (!tables) return 2;
  tools::Reporter reporter("commands");
  CommandPrinter printer(o, *tables, reporter);
  if (tools::wants_live(o.live, o.inputs)) {
    tools::capture_live(*tables, "ex", printer, reporter);  // exec events only
  } else {
    bullion::pipeline::ReadOptions read;
    read.follow = o.follow;
    bullion::pipeline::read_inputs(o.inputs, printer, read);
  }
  return reporter.clean() && !printer.failed() ? 0 : 1;
}
