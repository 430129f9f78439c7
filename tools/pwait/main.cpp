// pwait NAME...: waits until a program named NAME is executed, prints its
// pid and command line, and exits 0; exits 1 at the timeout or at the end
// of the input. Reads the -i trails, else stdin; watches the live stream
// with --live (or with no -i while stdin is a terminal).
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/text/json_writer.h"
#include "bullion/tools/cli.h"
#include "bullion/tools/command_line.h"
#include "bullion/tools/deadline.h"
#include "bullion/tools/event_kinds.h"
#include "bullion/tools/process_tracker.h"
#include "bullion/tools/record_input.h"
#include "bullion/tools/reporter.h"
#include "bullion/tools/tool_support.h"

namespace {

namespace tools = bullion::tools;

constexpr int kFound = 0, kNotFound = 1, kUsageError = 2;

struct Options {
  std::unordered_set<std::string> names;
  std::vector<std::string> inputs;
  unsigned timeout_seconds = 0;
  bool json = false, live = false, follow = false;
  bullion::tables::TableOptions tables;
};

// Nothing when pwait should run; otherwise its exit code.
std::optional<int> parse(int argc, char** argv, Options& o) {
  std::vector<std::string> names;
  tools::CommandLine cli("pwait", "[--timeout SEC] [--json] [-i TRAIL]... [--follow] [--live] [table options] NAME...",
                         "Waits until a program whose executable's base name (or full path) is NAME\n"
                         "is executed, prints \"PID COMMAND-LINE\" and exits 0; exits 1 at the\n"
                         "timeout or at the end of the input. Reads the -i trails, else stdin; the live\n"
                         "audit stream with --live, or without -i when stdin is a terminal.");
  cli.list('i', "input", "TRAIL", o.inputs, "read TRAIL (repeatable, \"-\" = stdin) instead of standard input")
      .flag('\0', "follow", o.follow, "keep reading as trails grow, across rotation (like tail -F)")
      .flag('\0', "live", o.live, "watch the live audit stream (root needed)")
      .number('\0', "timeout", "SEC", o.timeout_seconds, "give up after SEC seconds")
      .json(o.json, "print a JSON object: pid (spawned_by for a spawn), uid, seconds, path, argv, line")
      .table_options(o.tables)
      .operands("NAME", names, 1);
  if (auto code = cli.parse(argc, argv)) return code;
  o.names.insert(names.begin(), names.end());
  return std::nullopt;
}

// Looks at exec records until one runs a program with a wanted name.
class Waiter final : public bullion::bsm::RecordSink {
 public:
  Waiter(const Options& o, const bullion::tables::TableSet& tables, tools::Reporter& reporter)
      : o_(o), kinds_(*tables.events), reporter_(reporter) {}

  // Stops once found.
  bullion::bsm::Flow record(const bullion::bsm::RecordView& record) override {
    using bullion::bsm::Flow;
    if (record.is_file_token) return Flow::Continue;
    bullion::bsm::RecordFacts facts;
    (void)tools::extract_facts_or_report(record, facts, *this);
    if (!kinds_.starts_program(facts.event) || !tools::succeeded(facts)) return Flow::Continue;
    const auto command = tools::command_of(facts, kinds_);
    if (!command || !command->attributable) return Flow::Continue;
    const std::string_view exe = tools::executable_of(facts);
    if (!o_.names.contains(std::string(tools::base_name(exe))) && !o_.names.contains(std::string(exe))) {
      return Flow::Continue;
    }
    print(facts, *command);
    found_ = true;
    return Flow::Stop;
  }
  void damage(const bullion::Error& error) override { reporter_.damage(error); }
  bool found() const { return found_; }

 private:
  // The pid of the process that runs the program: a spawn's child, not the
  // spawner (`pwait x && kill $pid` must reach x).
  void print(const bullion::bsm::RecordFacts& f, const tools::Command& c) const {
    const std::string line = tools::format_command_line(f, {});
    std::string out;
    if (!o_.json) {
      out = fmt::format("{} {}\n", c.pid, line);
    } else {
      bullion::text::JsonWriter w(out);
      {
        auto found = w.object();
        w.field("pid", c.pid);
        if (c.spawned_by) w.field("spawned_by", *c.spawned_by);
        w.field("uid", f.subject.euid);
        w.field("seconds", f.seconds);
        w.string_field("path", tools::executable_of(f));
        w.string_list_field("argv", tools::exec_arguments(f));
        w.string_field("line", line);
      }
      out += '\n';
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }

  const Options& o_;
  tools::EventKinds kinds_;
  tools::Reporter& reporter_;
  std::atomic<bool> found_{false};  // read by the deadline's thread
};

int wait_in_trails(const Options& o, Waiter& waiter) {
  // Reading a trail can block on an idle pipe or a FIFO nobody opened: the
  // deadline ends the process (nothing is buffered; pwait prints only when
  // found).
  const tools::Deadline deadline(o.timeout_seconds, [&] {
    if (!waiter.found()) _exit(kNotFound);
  });
  bullion::pipeline::ReadOptions read;
  read.follow = o.follow;
  bullion::pipeline::read_inputs(o.inputs, waiter, read);
  return waiter.found() ? kFound : kNotFound;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (auto code = parse(argc, argv, o)) return *code;
  auto tables = tools::load_tables_or_report("pwait", o.tables);
  if (!tables) return kUsageError;
  tools::Reporter reporter("pwait");
  Waiter waiter(o, *tables, reporter);
  if (!tools::wants_live(o.live, o.inputs)) return wait_in_trails(o, waiter);
  tools::capture_live(*tables, "ex", waiter, reporter, o.timeout_seconds);
  return waiter.found() ? kFound : kNotFound;
}
