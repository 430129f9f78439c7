// auditpipe [options] CLASSES: live audit records matching the class flags,
// as raw BSM (or JSON Lines) on standard output. Thin: options into a
// struct, a live source into a writer, errors into exit codes.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/live/source.h"
#include "bullion/live/stop_signals.h"
#include "bullion/tables.h"
#include "bullion/text/printer.h"
#include "bullion/tools/cli.h"
#include "privileges.h"

namespace {

constexpr int kExitOk = 0, kExitError = 1, kExitUsage = 2;

struct Options {
  std::string classes;
  bool json = false;
  std::optional<uint32_t> auid;
  uint64_t max_records = 0;  // 0 = no limit
  unsigned timeout_seconds = 0;
};

template <class T>
bool parse_number(std::string_view text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// Nothing when auditpipe should run; otherwise its exit code.
std::optional<int> parse_options(int argc, char** argv, Options& options) {
  std::vector<std::string> classes;
  bullion::tools::CommandLine cli(
      "auditpipe", "[--json] [--auid N] [--max-records N] [--timeout SEC] CLASSES",
      "Writes live BSM records matching the audit classes to standard output:\n"
      "pipe it into praudit. CLASSES: audit class flags, e.g. pc,fc  +pc  -fr,-fw  all,^-fr");
  cli.json(options.json, "JSON Lines instead of raw BSM (docs/json.md)")
      .value(
          '\0', "auid", "N",
          [&options](std::string_view text) -> std::optional<std::string> {
            uint32_t auid = 0;
            if (!parse_number(text, auid)) return "'" + std::string(text) + "' is not a number";
            options.auid = auid;
            return std::nullopt;
          },
          "only records of this audit user id")
      .number('\0', "max-records", "N", options.max_records, "stop after N records")
      .number('\0', "timeout", "SEC", options.timeout_seconds, "stop after SEC seconds")
      .operands("CLASSES", classes, 1)
      .epilog("Needs root: live auditing configures the kernel; every setting is restored at exit.");
  if (auto code = cli.parse(argc, argv)) return code;
  if (classes.size() > 1) return cli.usage_error("unexpected argument '" + classes[1] + "'");
  options.classes = classes.front();  // argv stays untouched: we never rewrite it
  return std::nullopt;
}

// Writes records raw or as JSON Lines; stops the source when the reader of
// our output goes away or the record limit is reached.
class RecordWriter {
 public:
  RecordWriter(const Options& options, const bullion::tables::TableSet& tables)
      : out_(STDOUT_FILENO), max_records_(options.max_records) {
    if (options.json) {
      bullion::text::PrintOptions print;
      print.format = bullion::text::Format::Json;
      printer_ = bullion::text::make_printer(print, tables, out_);
    }
  }

  void write(std::span<const uint8_t> record, bullion::live::LiveSource& source) {
    if (stopped_) return;
    if (printer_) {
      // The offset is where the record would sit in the raw stream.
      (void)printer_->print(bullion::bsm::RecordView{record, bytes_, false, "live"});
    } else {
      out_.append({reinterpret_cast<const char*>(record.data()), record.size()});
    }
    bytes_ += record.size();
    out_.maybe_flush();
    if (++written_ == max_records_) stop(source);
  }

  void flush(bullion::live::LiveSource& source) {
    if (!stopped_ && !out_.flush()) stop(source);
  }

 private:
  void stop(bullion::live::LiveSource& source) {
    out_.flush();
    stopped_ = true;
    source.request_stop();
  }

  bullion::text::Output out_;
  std::unique_ptr<bullion::text::RecordPrinter> printer_;
  uint64_t max_records_;
  uint64_t written_ = 0;
  uint64_t bytes_ = 0;
  bool stopped_ = false;
};

int fail(const std::string& message, int code = kExitError) {
  std::fprintf(stderr, "auditpipe: %s\n", message.c_str());
  return code;
}

int capture(const Options& options, const bullion::tables::TableSet& tables, bullion::live::LiveOptions live) {
  if (auto why = auditpipe::narrow_to_setup(); !why.empty()) return fail(why);
  auto source = bullion::live::open_live_source();
  if (!source) return fail("live audit: " + source.error().message);
  // A closed reader shows as EPIPE on write, which stops us cleanly.
  signal(SIGPIPE, SIG_IGN);
  const bullion::live::StopOnSignals stop(**source, options.timeout_seconds);
  if (auto started = (*source)->start(live); !started) {
    return fail("cannot start live audit: " + started.error().message);
  }
  if (auto why = auditpipe::narrow_to_capture(); !why.empty()) {
    std::fprintf(stderr, "auditpipe: warning: %s\n", why.c_str());
  }
  RecordWriter writer(options, tables);
  auto& src = **source;
  auto ran = src.run([&](std::span<const uint8_t> record) { writer.write(record, src); }, [&] { writer.flush(src); });
  const bullion::live::LiveStats stats = src.stats();
  std::fprintf(stderr, "auditpipe: %llu records, %llu dropped, %llu lost by the kernel\n",
               static_cast<unsigned long long>(stats.records), static_cast<unsigned long long>(stats.dropped),
               static_cast<unsigned long long>(stats.kernel_lost));
  if (!ran) return fail(ran.error().message);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (auto code = parse_options(argc, argv, options)) return *code;
  if (isatty(STDOUT_FILENO) && !options.json) {
    return fail("standard output is a terminal: pipe me into praudit (auditpipe " + options.classes + " | praudit -l)",
                kExitUsage);
  }
  auto tables = bullion::tables::load_tables({});
  if (!tables) return fail(tables.error().message);
  auto classes = bullion::tables::parse_class_flags(options.classes, *tables->classes);
  if (!classes) return fail("bad class flags: " + classes.error().message, kExitUsage);
  if (geteuid() != 0) {
    return fail("needs root: live auditing configures the kernel (run it with sudo)");
  }
  bullion::live::LiveOptions live;
  live.classes = *classes;
  live.non_attributable = *classes;
  live.auid = options.auid;
  live.events = tables->events;
  return capture(options, *tables, live);
}
