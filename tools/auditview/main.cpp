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
#include <string>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/input.h"
#include "bullion/text/printer.h"
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

constexpr const char* kUsage =
    "usage: auditview [-o FILE] [--json] [limits] [table options] [trail ...]\n"
    "  writes one self-contained HTML page of the trails' process tree: each\n"
    "  process's command lines, user, start and end, files, network peers and\n"
    "  failed calls, with a timeline. Reads trails, audit directories, Linux\n"
    "  audit.log files, or standard input (\"-\", or no trail given).\n"
    "  -o, --output FILE   write there instead of standard output\n"
    "  --json              the page's data as JSON instead of the page\n"
    "limits (what is left out is counted and shown):\n"
    "  --max-processes N   process nodes kept (default 100000)\n"
    "  --max-files N       distinct paths per process (default 256)\n"
    "  --max-peers N       network peers per process (default 64)\n"
    "  --max-commands N    commands per process (default 16)\n"
    "  --max-text BYTES    all kept paths and arguments together (default 268435456)\n";

enum LongOption { kJson = 1000, kMaxProcesses, kMaxFiles, kMaxPeers, kMaxCommands, kMaxText };

bool parse_count(const char* text, size_t& out) {
  const std::string_view s = text;
  size_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value == 0) return false;
  out = value;
  return true;
}

bool parse(int argc, char** argv, Options& o) {
  static const option kLong[] = {{"output", required_argument, nullptr, 'o'},
                                 {"json", no_argument, nullptr, kJson},
                                 {"help", no_argument, nullptr, 'h'},
                                 {"max-processes", required_argument, nullptr, kMaxProcesses},
                                 {"max-files", required_argument, nullptr, kMaxFiles},
                                 {"max-peers", required_argument, nullptr, kMaxPeers},
                                 {"max-commands", required_argument, nullptr, kMaxCommands},
                                 {"max-text", required_argument, nullptr, kMaxText},
                                 BULLION_TABLE_LONG_OPTIONS,
                                 {nullptr, 0, nullptr, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "o:h", kLong, nullptr)) != -1) {
    switch (c) {
      case 'o':
        o.output = optarg;
        break;
      case 'h':
        std::fputs(kUsage, stdout);
        std::exit(0);
      case kJson:
        o.json = true;
        break;
      case kMaxProcesses:
        if (!parse_count(optarg, o.limits.max_processes)) return false;
        break;
      case kMaxFiles:
        if (!parse_count(optarg, o.limits.max_files)) return false;
        break;
      case kMaxPeers:
        if (!parse_count(optarg, o.limits.max_peers)) return false;
        break;
      case kMaxCommands:
        if (!parse_count(optarg, o.limits.max_commands)) return false;
        break;
      case kMaxText:
        if (!parse_count(optarg, o.limits.max_text_bytes)) return false;
        break;
      default:
        if (!tools::apply_table_option(c, optarg, o.tables)) return false;
    }
  }
  for (int i = optind; i < argc; ++i) o.inputs.emplace_back(argv[i]);
  return true;
}

// Reads every input into the model; false when anything was damaged.
bool read_inputs(const Options& o, view::ProcessModel& model) {
  bool tokens_clean = true;
  bullion::input::ReadOptions read;
  read.on_report = [&](std::string_view name, std::string_view message, bool damage) {
    damage ? model.add_damage(name, message) : model.add_note(name, message);
  };
  bullion::bsm::RecordFacts facts;
  const auto outcome = bullion::input::read_trails(
      "auditview", o.inputs,
      [&](const bullion::bsm::RecordView& record) {
        if (record.is_file_token) return true;
        // A token that does not decode: the facts before it still count.
        if (auto st = bullion::bsm::extract_facts(record.bytes, facts); !st) {
          const std::string message = tools::describe_token_damage(record, st.error());
          fmt::print(stderr, "auditview: {}: {}\n", tools::input_label(record.source), message);
          model.add_damage(tools::input_label(record.source), message);
          tokens_clean = false;
        }
        model.add(facts);
        return true;
      },
      read);
  return outcome.clean && tokens_clean;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
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
  const bool clean = read_inputs(o, model);
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
