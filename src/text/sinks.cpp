#include "bullion/text/sinks.h"

namespace bullion::text {

void PrintSink::begin() {
  printer_.begin();
  FilterSink::begin();
}

bsm::Flow PrintSink::record(const bsm::RecordView& record) {
  if (Status printed = printer_.print(record); !printed) {
    out_.flush();
    Error error = printed.error();
    error.source = std::string(record.source);
    next().damage(error);
  }
  // The reader of our output went away (EPIPE) or the disk is full.
  return out_.failed() ? bsm::Flow::Stop : bsm::Flow::Continue;
}

void PrintSink::damage(const Error& error) {
  out_.flush();
  FilterSink::damage(error);
}

void PrintSink::idle() {
  out_.flush();
  FilterSink::idle();
}

void PrintSink::end() {
  printer_.end();
  out_.flush();
  FilterSink::end();
}

bsm::Flow RawWriter::record(const bsm::RecordView& record) {
  out_.append({reinterpret_cast<const char*>(record.bytes.data()), record.bytes.size()});
  out_.maybe_flush();
  return out_.failed() ? bsm::Flow::Stop : bsm::Flow::Continue;
}

void RawWriter::damage(const Error& error) {
  out_.flush();
  FilterSink::damage(error);
}

void RawWriter::idle() {
  out_.flush();
  FilterSink::idle();
}

void RawWriter::end() {
  out_.flush();
  FilterSink::end();
}

std::unique_ptr<bsm::RecordSink> make_record_writer(bool json, const tables::TableSet& tables, Output& out,
                                                    bsm::RecordSink& next) {
  if (!json) return std::make_unique<RawWriter>(out, next);
  PrintOptions print;
  print.format = Format::Json;
  return std::make_unique<PrintSink>(make_printer(print, tables, out), out, next);
}

}  // namespace bullion::text
