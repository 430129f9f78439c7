// The sink a hand tool writes its lines from: stdout through a buffered
// Output, written out when the input goes idle (a slow stream shows each
// line as it comes), at the end, and before damage goes to the reporter
// (so a message follows the lines before it).
#pragma once

#include <unistd.h>

#include "bullion/bsm/sink.h"
#include "bullion/text/printer.h"
#include "bullion/tools/reporter.h"

namespace bullion::tools {

class OutputSink : public bsm::RecordSink {
 public:
  void damage(const Error& error) override {
    out_.flush();
    reporter_.damage(error);
  }
  void idle() override { out_.flush(); }
  void end() override { out_.flush(); }
  bool failed() const { return out_.failed(); }

 protected:
  explicit OutputSink(Reporter& reporter) : out_(STDOUT_FILENO), reporter_(reporter) {}
  // After a line was appended: stop when the reader of our output is gone.
  bsm::Flow written() {
    out_.maybe_flush();
    return out_.failed() ? bsm::Flow::Stop : bsm::Flow::Continue;
  }

  text::Output out_;
  Reporter& reporter_;
};

}  // namespace bullion::tools
