#include "bullion/trail/sinks.h"

namespace bullion::trail {

bsm::Flow TrailSink::record(const bsm::RecordView& record) {
  if (!record.is_file_token) keeper_.write(record.bytes);
  return bsm::Flow::Continue;
}

void TrailSink::damage(const Error& error) {
  ++damaged_;
  if (log_) log_(LogLevel::Error, "input damaged: " + error.describe());
}

bsm::Flow SelectionSink::record(const bsm::RecordView& record) {
  switch (selector_->judge(record.bytes, rewritten_)) {
    case TrailSelector::Verdict::Drop:
      return bsm::Flow::Continue;
    case TrailSelector::Verdict::Keep:
      ++kept_;
      return next().record(record);
    case TrailSelector::Verdict::Rewritten:
      ++kept_;
      return next().record(bsm::RecordView{rewritten_, record.offset, record.is_file_token, record.source});
  }
  return bsm::Flow::Continue;
}

}  // namespace bullion::trail
