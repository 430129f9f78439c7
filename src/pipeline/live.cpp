#include "bullion/pipeline/live.h"

namespace bullion::pipeline {

Status deliver_live(live::LiveSource& source, bsm::RecordSink& sink) {
  bool stopped = false;
  uint64_t offset = 0;
  return source.run(
      [&](std::span<const uint8_t> bytes) {
        if (stopped) return;
        const bsm::RecordView record{bytes, offset, false, "live"};
        offset += bytes.size();
        if (sink.record(record) == bsm::Flow::Stop) {
          stopped = true;
          source.request_stop();
        }
      },
      [&] { sink.idle(); });
}

LiveOutcome read_live(live::LiveSource& source, const live::LiveOptions& options, bsm::RecordSink& sink) {
  LiveOutcome outcome;
  if (auto started = source.start(options); !started) {
    outcome.status = started.error();
    return outcome;
  }
  sink.begin();
  outcome.status = deliver_live(source, sink);
  sink.end();
  outcome.stats = source.stats();
  return outcome;
}

}  // namespace bullion::pipeline
