// paudit NAME...: passes the records of processes running a program named
// NAME, and of all their descendants, as raw BSM (byte-exact copies). Reads
// the -i trails, else stdin; the live stream with --live (or with no -i
// while stdin is a terminal).
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/text/printer.h"
#include "bullion/text/sinks.h"
#include "bullion/tools/cli.h"
#include "bullion/tools/event_kinds.h"
#include "bullion/tools/process_tracker.h"
#include "bullion/tools/record_input.h"
#include "bullion/tools/reporter.h"
#include "bullion/tools/tool_support.h"

namespace {

namespace tools = bullion::tools;

struct Options {
  std::unordered_set<std::string> names;
  std::vector<std::string> inputs;
  bool json = false, live = false, follow = false;
  std::string live_classes = "all";
  bullion::tables::TableOptions tables;
};

// Nothing when paudit should run; otherwise its exit code.
std::optional<int> parse(int argc, char** argv, Options& o) {
  std::vector<std::string> names;
  tools::CommandLine cli("paudit",
                         "[--json] [-i TRAIL]... [--follow] [--live [--classes FLAGS]] [table options] NAME...",
                         "Passes the BSM records of processes whose executable's base name is NAME,\n"
                         "and of all their descendants (fork, vfork, rfork, clone, posix_spawn),\n"
                         "as raw BSM: paudit sshd < trail | praudit -l. Reads the -i trails, else stdin;\n"
                         "the live audit stream with --live, or without -i when stdin is a terminal.");
  cli.list('i', "input", "TRAIL", o.inputs, "read TRAIL (repeatable) instead of standard input")
      .json(o.json, "JSON Lines of the selected records instead of raw BSM (docs/json.md)")
      .flag('\0', "follow", o.follow, "keep reading as trails grow, across rotation (like tail -F)")
      .flag('\0', "live", o.live, "read the live audit stream (root needed)")
      .value('\0', "classes", "FLAGS", o.live_classes, "the audit classes captured live (default: all)")
      .table_options(o.tables)
      .operands("NAME", names, 1);
  if (auto code = cli.parse(argc, argv)) return code;
  o.names.insert(names.begin(), names.end());
  return std::nullopt;
}

// Passes on the records of the followed processes.
class Selector final : public bullion::bsm::FilterSink {
 public:
  Selector(const Options& o, const bullion::tables::TableSet& tables, bullion::bsm::RecordSink& next)
      : FilterSink(next), kinds_(*tables.events), tracker_(kinds_, o.names) {}

  bullion::bsm::Flow record(const bullion::bsm::RecordView& record) override {
    if (record.is_file_token) return bullion::bsm::Flow::Continue;
    bullion::bsm::RecordFacts facts;
    // A damaged record is still selected by what it says before the damage.
    (void)tools::extract_facts_or_report(record, facts, *this);
    if (!tracker_.select(facts)) return bullion::bsm::Flow::Continue;
    return next().record(record);
  }

 private:
  tools::EventKinds kinds_;
  tools::DescendantTracker tracker_;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (auto code = parse(argc, argv, o)) return *code;
  if (!o.json && isatty(STDOUT_FILENO)) {
    std::fputs("paudit: standard output is a terminal: pipe me into praudit (paudit NAME | praudit -l)\n", stderr);
    return 2;
  }
  auto tables = tools::load_tables_or_report("paudit", o.tables);
  if (!tables) return 2;
  tools::Reporter reporter("paudit");
  bullion::text::Output out(STDOUT_FILENO);
  auto writer = bullion::text::make_record_writer(o.json, *tables, out, reporter);
  Selector selector(o, *tables, *writer);
  if (tools::wants_live(o.live, o.inputs)) {
    tools::capture_live(*tables, o.live_classes, selector, reporter);
  } else {
    bullion::pipeline::ReadOptions read;
    read.follow = o.follow;
    bullion::pipeline::read_inputs(o.inputs, selector, read);
  }
  return reporter.clean() && !out.failed() ? 0 : 1;
}
