#include "bullion/tools/record_input.h"

#include <fmt/format.h>

#include "bullion/input.h"
#include "bullion/live/stop_signals.h"
#include "bullion/tools/deadline.h"

namespace bullion::tools {

ReadOutcome read_trails(std::string_view tool, const std::vector<std::string>& inputs, const RecordCallback& on_record,
                        const std::function<void()>& before_report) {
  input::ReadOptions options;
  options.before_report = before_report;
  const input::ReadOutcome got = input::read_trails(tool, inputs, on_record, options);
  return ReadOutcome{got.clean, got.stopped};
}

LiveOutcome read_live(const live::LiveOptions& options, const RecordCallback& on_record,
                      const std::function<void()>& batch_done, unsigned timeout_seconds) {
  LiveOutcome outcome;
  auto source = live::open_live_source();
  if (!source) {
    outcome.status = source.error();
    return outcome;
  }
  live::LiveSource& src = **source;
  // SIGINT/SIGTERM stop the source; the timeout is a thread's deadline, not
  // SIGALRM, so an inherited mask that blocks the signal cannot defer it.
  const live::StopOnSignals stop(src, 0);
  const Deadline deadline(timeout_seconds, [&src] { src.request_stop(); });
  if (auto started = src.start(options); !started) {
    outcome.status = started.error();
    return outcome;
  }
  bool stopped = false;
  uint64_t stream_offset = 0;
  outcome.status = src.run(
      [&](std::span<const uint8_t> bytes) {
        if (stopped) return;
        const bsm::RecordView view{bytes, stream_offset, false, "live"};
        stream_offset += bytes.size();  // where the record would sit in a saved trail
        if (!on_record(view)) {
          stopped = true;
          src.request_stop();
        }
      },
      batch_done);
  outcome.timed_out = deadline.fired();
  outcome.stats = src.stats();
  return outcome;
}

LiveOutcome capture_live(std::string_view tool, const tables::TableSet& tables, std::string_view class_flags,
                         const RecordCallback& on_record, const std::function<void()>& batch_done,
                         unsigned timeout_seconds) {
  LiveOutcome outcome;
  auto classes = tables::parse_class_flags(class_flags, *tables.classes);
  if (classes) {
    live::LiveOptions options;
    options.classes = *classes;
    options.events = tables.events;
    outcome = read_live(options, on_record, batch_done, timeout_seconds);
  } else {
    outcome.status = classes.error();
  }
  if (!outcome.status) fmt::print(stderr, "{}: live audit: {}\n", tool, outcome.status.error().message);
  return outcome;
}

}  // namespace bullion::tools
