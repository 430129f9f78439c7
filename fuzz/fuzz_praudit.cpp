// Reader + decoder + every printer over arbitrary bytes: nothing may crash,
// hang or read out of bounds (run under ASan/UBSan), whatever the input.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>

#include "bullion/bsm/facts.h"
#include "bullion/bsm/reader.h"
#include "bullion/tables.h"
#include "bullion/text/printer.h"

namespace {

const bullion::tables::TableSet& tables() {
  static const bullion::tables::TableSet set = [] {
    bullion::tables::TableSet t;
    t.classes =
        std::shared_ptr<const bullion::tables::ClassTable>(&bullion::tables::ClassTable::builtin(), [](const auto*) {});
    t.events =
        std::shared_ptr<const bullion::tables::EventTable>(&bullion::tables::EventTable::builtin(), [](const auto*) {});
    return t;  // no accounts: ids print as numbers, no file access per input
  }();
  return set;
}

void print_all(std::span<const uint8_t> bytes, const bullion::text::PrintOptions& opt, int sink) {
  bullion::text::Output out(sink);
  auto printer = bullion::text::make_printer(opt, tables(), out);
  auto reader = bullion::bsm::RecordReader::from_memory(bytes, "fuzz");
  printer->begin();
  bullion::bsm::RecordView rec;
  for (int guard = 0; guard < 100000; ++guard) {
    auto next = reader->next(rec);
    if (next == bullion::bsm::RecordReader::Next::End) break;
    if (next == bullion::bsm::RecordReader::Next::Damage) {
      if (!reader->resync()) break;
      continue;
    }
    (void)printer->print(rec);
    bullion::bsm::RecordFacts facts;
    (void)bullion::bsm::extract_facts(rec.bytes, facts);
  }
  printer->end();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const int sink = open("/dev/null", O_WRONLY);
  const std::span<const uint8_t> bytes(data, size);
  using bullion::text::Format;
  for (Format f : {Format::Text, Format::Xml, Format::Json}) {
    bullion::text::PrintOptions opt;
    opt.format = f;
    // The input's size picks the options, so the corpus covers them all.
    opt.raw = size % 2;
    opt.one_line = size % 3 == 0;
    opt.strict_xml = size % 5 < 2;
    opt.terminal_safe = size % 7 < 3;
    opt.short_events = !opt.raw && size % 11 < 5;
    opt.all_exec_strings = size % 13 < 6;
    print_all(bytes, opt, sink);
  }
  return 0;
}
