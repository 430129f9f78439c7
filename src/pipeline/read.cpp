#include "bullion/pipeline/read.h"

#include "bullion/input/paths.h"
#include "pipeline/audit_log.h"

namespace bullion::pipeline {
namespace {

void report(bsm::RecordSink& sink, ReadSummary& summary, Error error, const std::string& name) {
  if (error.source.empty()) error.source = name;
  ++summary.damage;
  sink.damage(error);
}

void read_bsm(input::ByteSource& bytes, const std::string& name, bsm::RecordSink& sink, const ReadOptions& options,
              ReadSummary& summary) {
  bsm::RecordReader reader(bytes, name);
  reader.set_resync_limit(options.resync_limit);
  bsm::RecordView record;
  for (;;) {
    const bsm::RecordReader::Next next = reader.next(record);
    if (next == bsm::RecordReader::Next::End) break;
    if (next == bsm::RecordReader::Next::Record) {
      ++summary.records;
      if (sink.record(record) == bsm::Flow::Stop) {
        summary.stopped = true;
        return;
      }
      continue;
    }
    report(sink, summary, reader.error(), name);
    if (!options.resync) return;
    if (!reader.resync()) {
      if (reader.gave_up()) report(sink, summary, reader.error(), name);
      break;
    }
  }
  if (auto failed = bytes.failure()) report(sink, summary, *failed, name);
}

// One file of an input; a followed file that was rotated is opened again.
void read_path(const std::string& path, bsm::RecordSink& sink, const ReadOptions& options, ReadSummary& summary) {
  input::OpenOptions open = options.open;
  open.follow = options.follow;
  const std::string name = path == "-" ? "stdin" : path;
  for (;;) {
    Result<input::OpenedInput> opened = input::open_input(path, open);
    if (!opened) return report(sink, summary, opened.error(), name);
    opened->bytes->set_idle_hook([&sink] { sink.idle(); });
    read_stream(*opened, name, sink, options, summary);
    if (summary.stopped || !options.follow || !opened->bytes->rotated()) return;
  }
}

}  // namespace

void read_stream(input::OpenedInput& input, const std::string& name, bsm::RecordSink& sink, const ReadOptions& options,
                 ReadSummary& summary) {
  if (input.format == input::Format::LinuxAuditLog)
    read_audit_log(*input.bytes, name, sink, summary);
  else
    read_bsm(*input.bytes, name, sink, options, summary);
}

ReadSummary read_inputs(const std::vector<std::string>& inputs, bsm::RecordSink& sink, const ReadOptions& options) {
  ReadSummary summary;
  sink.begin();
  const std::vector<std::string> stdin_only{"-"};
  for (const std::string& input : inputs.empty() ? stdin_only : inputs) {
    auto paths = input::expand_input(input, options.follow);
    if (!paths) {
      report(sink, summary, paths.error(), input);
      continue;
    }
    for (const std::string& path : *paths) {
      read_path(path, sink, options, summary);
      if (summary.stopped) break;
    }
    if (summary.stopped) break;
  }
  sink.end();
  return summary;
}

}  // namespace bullion::pipeline
