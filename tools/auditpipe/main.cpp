// auditpipe [options] CLASSES: live audit records matching the class flags,
// as raw BSM (or JSON Lines) on standard output. Thin: options into a
// struct, a live source into a writer, errors into exit codes.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/live/source.h"
#include "bullion/live/stop_signals.h"
#include "bullion/pipeline/live.h"
#include "bullion/tables.h"
#include "bullion/text/printer.h"
#include "bullion/tools/cli.h"
#include "bullion/tools/reporter.h"
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

// The sink of the capture: writes records raw or as JSON Lines; stops the
// source when the output fails (disk full, reader gone: EPIPE) or the record
// limit is reached. A failed write leaves only whole records: a regular
// file is cut back to the end of the last record written whole. Records
// that come after a failure are counted as lost at "writer".
class RecordWriter final : public bullion::bsm::RecordSink {
 public:
  RecordWriter(const Options& options, const bullion::tables::TableSet& tables, bullion::live::LiveSource& source,
               bullion::tools::Reporter& reporter)
      : out_(STDOUT_FILENO), max_records_(options.max_records), source_(source), reporter_(reporter) {
    if (options.json) {
      bullion::text::PrintOptions print;
      print.format = bullion::text::Format::Json;
      printer_ = bullion::text::make_printer(print, tables, out_);
    }
    // Where our bytes start in a regular file (">" 0, ">>" its end); -1 on pipes.
    start_ = lseek(STDOUT_FILENO, 0, SEEK_CUR);
  }

  // Records keep coming while the source stops: after a failure they are
  // counted, so the flow always goes on.
  bullion::bsm::Flow record(const bullion::bsm::RecordView& record) override {
    write(record);
    return bullion::bsm::Flow::Continue;
  }
  void damage(const bullion::Error& error) override { reporter_.damage(error); }
  // Between batches: everything buffered is whole records.
  void idle() override { flush(); }

  void write(const bullion::bsm::RecordView& record) {
    if (failed_) {
      ++lost_;
      return;
    }
    if (stopped_) return;
    if (printer_) {
      if (bullion::Status printed = printer_->print(record); !printed) reporter_.damage(printed.error());
    } else {
      out_.append({reinterpret_cast<const char*>(record.bytes.data()), record.bytes.size()});
    }
    ++written_;
    ends_.push_back(out_.buffer().size());  // where this record ends in the buffer
    if (out_.buffer().size() >= (1u << 20)) flush();
    if (!failed_ && written_ == max_records_) stop();
  }

  // Between batches and at the end: everything buffered is whole records.
  void flush() {
    if (failed_) return;
    const size_t buffered = out_.buffer().size();
    if (out_.flush()) {
      whole_bytes_ += buffered;
      written_at_flush_ = written_;
      ends_.clear();
      return;
    }
    error_ = errno;
    failed_ = true;
    const uint64_t kept = cut_torn_tail();
    written_at_flush_ += kept;
    lost_ += ends_.size() - kept;  // records of the batch that did not get out whole
    source_.request_stop();
  }

  bool failed() const { return failed_; }
  int error() const { return error_; }
  uint64_t lost() const { return lost_; }
  uint64_t written() const { return written_at_flush_; }

 private:
  void stop() {
    flush();
    stopped_ = true;
    source_.request_stop();
  }
  // A regular file is cut back to the end of the last record that got out
  // whole; returns how many of the failed batch's records it keeps.
  uint64_t cut_torn_tail() {
    struct stat st {};
    if (start_ < 0 || fstat(STDOUT_FILENO, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    const auto on_disk = static_cast<uint64_t>(std::max<off_t>(0, st.st_size - start_)) - whole_bytes_;
    uint64_t kept = 0, keep_bytes = 0;
    for (uint64_t end : ends_) {
      if (end > on_disk) break;
      ++kept;
      keep_bytes = end;
    }
    (void)!ftruncate(STDOUT_FILENO, start_ + static_cast<off_t>(whole_bytes_ + keep_bytes));
    return kept;
  }

  bullion::text::Output out_;
  std::unique_ptr<bullion::text::RecordPrinter> printer_;
  uint64_t max_records_;
  uint64_t written_ = 0, written_at_flush_ = 0;
  uint64_t whole_bytes_ = 0;
  off_t start_ = -1;
  bool stopped_ = false, failed_ = false;
  int error_ = 0;
  uint64_t lost_ = 0;
  std::vector<uint64_t> ends_;  // buffered records' end offsets
  bullion::live::LiveSource& source_;
  bullion::tools::Reporter& reporter_;
};

int fail(const std::string& message, int code = kExitError) {
  std::fprintf(stderr, "auditpipe: %s\n", message.c_str());
  return code;
}

// "N records written; lost: kernel K, ...; skipped S": every loss, summed.
void print_summary(const bullion::live::LiveStats& stats, const RecordWriter& writer) {
  std::string line = "auditpipe: " + std::to_string(writer.written()) + " records written";
  std::map<std::string, uint64_t> lost = stats.lost;
  if (writer.lost() > 0) lost["writer"] += writer.lost();
  uint64_t total = 0;
  std::string parts;
  for (const auto& [where, n] : lost) {
    total += n;
    parts += (parts.empty() ? "" : ", ") + where + " " + std::to_string(n);
  }
  line += "; " + std::to_string(total) + " lost" + (parts.empty() ? "" : " (" + parts + ")");
  if (stats.skipped > 0) line += "; " + std::to_string(stats.skipped) + " skipped";
  if (stats.reregistered > 0) line += "; registered again as audit daemon " + std::to_string(stats.reregistered) + "x";
  std::fprintf(stderr, "%s\n", line.c_str());
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
  auto& src = **source;
  bullion::tools::Reporter reporter("auditpipe");
  RecordWriter writer(options, tables, src, reporter);
  auto ran = bullion::pipeline::deliver_live(src, writer);
  writer.flush();
  const bullion::live::LiveStats stats = src.stats();
  print_summary(stats, writer);
  if (writer.failed()) {
    return fail("cannot write to standard output: " + std::string(std::strerror(writer.error())) +
                " (capture stopped; the output holds whole records only)");
  }
  if (!ran) return fail(ran.error().message);
  if (!reporter.clean()) return kExitError;
  // Something was not delivered: the stream says where, the status says so.
  if (stats.lost_total() > 0 || stats.skipped > 0) return kExitError;
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
