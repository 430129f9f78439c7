// auditview [options] [TRAIL...]: the process tree of a trail with each
// process's commands, files, peers and failures, as one self-contained HTML
// page (or, with --json, the same data as JSON).
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/bsm/sink.h"
#include "bullion/pipeline/read.h"
#include "bullion/text/printer.h"
#include "bullion/tools/cli.h"
#include "bullion/tools/reporter.h"
#include "bullion/tools/tool_support.h"
#include "bullion/view/page.h"
#include "bullion/view/process_model.h"
#include "bullion/view/view_json.h"

namespace {

namespace tools = bullion::tools;
namespace view = bullion::view;

struct Options {
  bool json = false;
  std::string output;  // empty: standard output
  view::ViewLimits limits;
  bullion::tables::TableOptions tables;
  std::vector<std::string> inputs;
};

// A limit must be at least 1.
tools::CommandLine::Apply limit(size_t& target) {
  return [&target](std::string_view text) -> std::optional<std::string> {
    size_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v == 0)
      return "'" + std::string(text) + "' is not a positive number";
    target = v;
    return std::nullopt;
  };
}

// Nothing when auditview should run; otherwise its exit code.
std::optional<int> parse(int argc, char** argv, Options& o) {
  tools::CommandLine cli("auditview", "[-o FILE] [--json] [limits] [table options] [TRAIL...]",
                         "Writes one self-contained HTML page of the trails' process tree: each process's\n"
                         "command lines, user, start and end, files, network peers and failed calls,\n"
                         "with a timeline. Reads trails, audit directories, Linux audit.log files, or\n"
                         "standard input (\"-\", or no TRAIL).");
  cli.value('o', "output", "FILE", o.output, "write to FILE instead of standard output")
      .json(o.json, "the page's data as one JSON document instead of the page")
      .value('\0', "max-processes", "N", limit(o.limits.max_processes), "process nodes kept (default 100000)")
      .value('\0', "max-files", "N", limit(o.limits.max_files), "distinct paths kept per process (default 256)")
      .value('\0', "max-peers", "N", limit(o.limits.max_peers), "network peers kept per process (default 64)")
      .value('\0', "max-commands", "N", limit(o.limits.max_commands), "commands kept per process (default 16)")
      .value('\0', "max-memory", "BYTES", limit(o.limits.max_memory_bytes),
             "memory for the kept paths, arguments and peers (default 268435456)")
      .table_options(o.tables)
      .operands("TRAIL", o.inputs)
      .epilog(
          "What a limit leaves out is counted and shown on the page.\n"
          "Exit status: 0 written, 1 damaged or unreadable input (the page is still\n"
          "written) or a write error, 2 usage or table errors.");
  return cli.parse(argc, argv);
}

// The model as a sink: every record's facts go in; damage is reported on
// stderr and shown on the page.
class ModelFeed final : public bullion::bsm::RecordSink {
 public:
  ModelFeed(view::ProcessModel& model, tools::Reporter& reporter) : model_(model), reporter_(reporter) {}

  bullion::bsm::Flow record(const bullion::bsm::RecordView& record) override {
    if (record.is_file_token) return bullion::bsm::Flow::Continue;
    // A token that does not decode: the facts before it still count.
    (void)tools::extract_facts_or_report(record, facts_, *this);
    model_.add(facts_);
    return bullion::bsm::Flow::Continue;
  }
  void damage(const bullion::Error& error) override {
    reporter_.damage(error);
    model_.add_damage(tools::input_label(error.source), tools::Reporter::what(error));
  }

 private:
  view::ProcessModel& model_;
  tools::Reporter& reporter_;
  bullion::bsm::RecordFacts facts_;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (auto code = parse(argc, argv, o)) return *code;
  int fd = STDOUT_FILENO;
  if (!o.output.empty()) {
    fd = ::open(o.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      fmt::print(stderr, "auditview: {}: {}\n", o.output, std::strerror(errno));
      return 2;
    }
  } else if (!o.json && isatty(STDOUT_FILENO)) {
    std::fputs("auditview: standard output is a terminal: give -o FILE.html (or redirect it)\n", stderr);
    return 2;
  }
  auto tables = tools::load_tables_or_report("auditview", o.tables);
  if (!tables) return 2;
  view::ProcessModel model(*tables, o.limits);
  std::vector<std::string> shown_inputs = o.inputs;
  if (shown_inputs.empty()) shown_inputs.push_back("-");
  tools::Reporter reporter("auditview");
  ModelFeed feed(model, reporter);
  bullion::pipeline::read_inputs(o.inputs, feed);
  const bool clean = reporter.clean();
  bullion::text::Output out(fd);
  const view::DocumentInfo info{shown_inputs};
  auto emit = [&](std::string_view piece) {
    out.append(piece);
    out.maybe_flush();
  };
  if (o.json) {
    view::write_view_json(model, info, emit);
    out.append("\n");
  } else {
    view::write_view_page(model, info, emit);
  }
  const bool written = out.flush() && !out.failed();
  if (!written) fmt::print(stderr, "auditview: {}: write failed\n", o.output.empty() ? "stdout" : o.output);
  if (fd != STDOUT_FILENO && ::close(fd) != 0) return 1;
  return clean && written ? 0 : 1;
}
