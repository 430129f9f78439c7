// paudit NAME...: passes the records of processes running a program named
// NAME, and of all their descendants, as raw BSM (byte-exact copies).
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
#include "bullion/tools/cli.h"
#include "bullion/tools/event_kinds.h"
#include "bullion/tools/process_tracker.h"
#include "bullion/tools/record_input.h"
#include "bullion/tools/tool_support.h"

namespace {

namespace tools = bullion::tools;

struct Options {
  std::unordered_set<std::string> names;
  std::vector<std::string> inputs;
  bool json = false;
  bullion::tables::TableOptions tables;
};

// Nothing when paudit should run; otherwise its exit code.
std::optional<int> parse(int argc, char** argv, Options& o) {
  std::vector<std::string> names;
  tools::CommandLine cli("paudit", "[--json] [-i TRAIL]... [table options] NAME...",
                         "Passes the BSM records of processes whose executable's base name is NAME,\n"
                         "and of all their descendants (fork, vfork, rfork, clone, posix_spawn),\n"
                         "as raw BSM: paudit sshd < trail | praudit -l");
  cli.list('i', "input", "TRAIL", o.inputs, "read TRAIL (repeatable) instead of standard input")
      .json(o.json, "JSON Lines of the selected records instead of raw BSM (docs/json.md)")
      .table_options(o.tables)
      .operands("NAME", names, 1);
  if (auto code = cli.parse(argc, argv)) return code;
  o.names.insert(names.begin(), names.end());
  return std::nullopt;
}

// Writes the selected records raw, or through the JSON printer.
class Selector {
 public:
  Selector(const Options& o, const bullion::tables::TableSet& tables)
      : kinds_(*tables.events), tracker_(kinds_, o.names), out_(STDOUT_FILENO) {
    if (o.json) {
      bullion::text::PrintOptions print;
      print.format = bullion::text::Format::Json;
      printer_ = bullion::text::make_printer(print, tables, out_);
    }
  }

  bool on_record(const bullion::bsm::RecordView& record) {
    if (record.is_file_token) return true;
    bullion::bsm::RecordFacts facts;
    // A damaged record is still selected by what it says before the damage.
    if (!tools::extract_facts_or_report("paudit", record, facts, [&] { flush(); })) tokens_clean_ = false;
    if (!tracker_.select(facts)) return true;
    if (printer_) {
      (void)printer_->print(record);
    } else {
      out_.append({reinterpret_cast<const char*>(record.bytes.data()), record.bytes.size()});
    }
    out_.maybe_flush();
    return !out_.failed();  // the reader of our output went away
  }
  bool flush() { return out_.flush(); }
  bool failed() const { return out_.failed(); }
  bool tokens_clean() const { return tokens_clean_; }

 private:
  tools::EventKinds kinds_;
  tools::DescendantTracker tracker_;
  bullion::text::Output out_;
  std::unique_ptr<bullion::text::RecordPrinter> printer_;
  bool tokens_clean_ = true;
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
  Selector selector(o, *tables);
  const auto outcome = tools::read_trails(
      "paudit", o.inputs, [&](const bullion::bsm::RecordView& r) { return selector.on_record(r); },
      [&] { selector.flush(); });
  selector.flush();
  return outcome.clean && selector.tokens_clean() && !selector.failed() ? 0 : 1;
}
