#include "bullion/tools/record_input.h"

#include <fmt/format.h>
#include <unistd.h>

#include "bullion/live/stop_signals.h"
#include "bullion/tools/deadline.h"
#include "bullion/tools/reporter.h"

namespace bullion::tools {
namespace {

// The platform's source, stopped by SIGINT/SIGTERM or the timeout.
pipeline::LiveOutcome read_live(const live::LiveOptions& options, bsm::RecordSink& sink, unsigned timeout_seconds) {
  pipeline::LiveOutcome outcome;
  auto source = live::open_live_source();
  if (!source) {
    outcome.status = source.error();
    return outcome;
  }
  live::LiveSource& src = **source;
  // The timeout is a thread's deadline, not SIGALRM, so an inherited mask
  // that blocks the signal cannot defer it.
  const live::StopOnSignals stop(src, 0);
  const Deadline deadline(timeout_seconds, [&src] { src.request_stop(); });
  outcome = pipeline::read_live(src, options, sink);
  outcome.timed_out = deadline.fired();
  return outcome;
}

}  // namespace

bool wants_live(bool live_option, const std::vector<std::string>& inputs) {
  return live_option || (inputs.empty() && isatty(STDIN_FILENO));
}

pipeline::LiveOutcome capture_live(const tables::TableSet& tables, std::string_view class_flags, bsm::RecordSink& sink,
                                   Reporter& reporter, unsigned timeout_seconds) {
  pipeline::LiveOutcome outcome;
  auto classes = tables::parse_class_flags(class_flags, *tables.classes);
  if (classes) {
    live::LiveOptions options;
    options.classes = *classes;
    options.events = tables.events;
    outcome = read_live(options, sink, timeout_seconds);
  } else {
    outcome.status = classes.error();
  }
  if (!outcome.status) reporter.problem("live audit: " + outcome.status.error().message);
  // Losses are also loss records in the stream, where they happened.
  const live::LiveStats& s = outcome.stats;
  if (s.lost_total() > 0 || s.skipped > 0) {
    std::string where;
    for (const auto& [at, n] : s.lost) where += fmt::format("{}{} {}", where.empty() ? "" : ", ", at, n);
    reporter.problem(fmt::format("live audit: {} events lost{}, {} not translated", s.lost_total(),
                                 where.empty() ? "" : " (" + where + ")", s.skipped));
  }
  return outcome;
}

}  // namespace bullion::tools
