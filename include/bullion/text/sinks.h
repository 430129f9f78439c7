// Output as sinks: records printed (praudit's formats, JSON Lines) or
// written as raw BSM, into a buffered Output. The buffer is written out
// when it fills, when the input goes idle (so a slow stream shows each
// record as it arrives) and before damage is passed on to the next sink
// (so a message comes after the records that came before it).
#pragma once

#include <memory>

#include "bullion/bsm/sink.h"
#include "bullion/text/printer.h"

namespace bullion::text {

// Prints every record through `printer` (make_printer) into `out`. A token
// that does not decode ends its record's output and is damage for `next`.
class PrintSink final : public bsm::FilterSink {
 public:
  PrintSink(RecordPrinter& printer, Output& out, bsm::RecordSink& next)
      : FilterSink(next), printer_(printer), out_(out) {}
  PrintSink(std::unique_ptr<RecordPrinter> printer, Output& out, bsm::RecordSink& next)
      : FilterSink(next), owned_(std::move(printer)), printer_(*owned_), out_(out) {}
  void begin() override;
  bsm::Flow record(const bsm::RecordView& record) override;
  void damage(const Error& error) override;
  void idle() override;
  void end() override;

 private:
  std::unique_ptr<RecordPrinter> owned_;
  RecordPrinter& printer_;
  Output& out_;
};

// Writes each record's bytes unchanged (auditreduce, paudit, auditpipe).
class RawWriter final : public bsm::FilterSink {
 public:
  RawWriter(Output& out, bsm::RecordSink& next) : FilterSink(next), out_(out) {}
  bsm::Flow record(const bsm::RecordView& record) override;
  void damage(const Error& error) override;
  void idle() override;
  void end() override;

 private:
  Output& out_;
};

// JSON Lines (praudit --json) when `json`, raw BSM otherwise: what paudit
// and auditpipe write.
std::unique_ptr<bsm::RecordSink> make_record_writer(bool json, const tables::TableSet& tables, Output& out,
                                                    bsm::RecordSink& next);

}  // namespace bullion::text
