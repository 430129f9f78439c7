// Where records go: the one shape every consumer has.
//
// A source pushes records into a RecordSink; the sink knows nothing about
// where they came from (a trail file, a pipe, a directory, an audit.log,
// the live kernel stream). Printers, auditreduce's selection, the bsmtrace
// engine, the hand tools and the raw writers are sinks; a filter is a sink
// in front of another sink.
//
// The calls, in order:
//   begin()          once, before anything else
//   record(r)        each record or stand-alone file token; return
//                    Flow::Stop to end the whole run early (pwait found
//                    its process), Flow::Continue otherwise
//   damage(error)    input that could not be delivered: a damaged record
//                    (error.source names the input, error.offset the byte,
//                    error.reason() why), an input that could not be
//                    opened, a Linux log's untranslated events
//   idle()           the input would block (a quiet pipe, the live stream
//                    between batches, a followed file at its end): write
//                    out anything buffered, so a slow stream is seen as it
//                    arrives
//   end()            once, after everything (also after a Stop)
//
// How to write a sink: derive from RecordSink and implement record() and
// damage() (a sink must decide what damage means to it; the library never
// prints it). A filter derives from FilterSink: it passes begin, damage,
// idle and end on to the next sink, and forwards the records it keeps with
// next().record(r). The tool's last sink turns damage into messages and an
// exit status (tools/reporter.h).
#pragma once

#include <cstdint>

#include "bullion/bsm/reader.h"
#include "bullion/error.h"

namespace bullion::bsm {

enum class Flow : uint8_t { Continue, Stop };

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void begin() {}
  virtual Flow record(const RecordView& record) = 0;
  virtual void damage(const Error& error) = 0;
  virtual void idle() {}
  virtual void end() {}
};

// A sink in front of another one: everything but records passes through.
class FilterSink : public RecordSink {
 public:
  explicit FilterSink(RecordSink& next) : next_(next) {}
  void begin() override { next_.begin(); }
  void damage(const Error& error) override { next_.damage(error); }
  void idle() override { next_.idle(); }
  void end() override { next_.end(); }

 protected:
  RecordSink& next() { return next_; }

 private:
  RecordSink& next_;
};

}  // namespace bullion::bsm
