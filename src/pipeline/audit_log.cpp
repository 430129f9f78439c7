#include "pipeline/audit_log.h"

#include <fmt/format.h>

#include "bullion/input/line_reader.h"

#ifdef BULLION_LINUX
#include "bullion/linux/translate.h"
#endif

namespace bullion::pipeline {

#ifdef BULLION_LINUX
namespace {

// What a log's translation could not deliver, told once at its end.
std::string untranslated_summary(const linuxaudit::TranslateStats& s) {
  std::string out = fmt::format("Linux audit log: {} events, {} translated to BSM", s.events_in, s.events_out);
  for (const auto& [reason, count] : s.skipped) out += fmt::format(", {} skipped ({})", count, reason);
  for (const auto& [reason, count] : s.rejected) out += fmt::format(", {} lines rejected ({})", count, reason);
  return out;
}

class AuditLogReader {
 public:
  AuditLogReader(input::ByteSource& bytes, const std::string& name, bsm::RecordSink& sink, ReadSummary& summary)
      : bytes_(bytes),
        name_(name),
        sink_(sink),
        summary_(summary),
        translator_([this](std::span<const uint8_t> record) { deliver(record); }) {}

  void run() {
    input::LineReader lines(bytes_);
    input::Line line;
    while (!summary_.stopped && lines.next(line)) {
      offset_ = line.offset;
      if (line.too_long) {
        damage(Error{Errc::TooLong, line.offset, 0,
                     fmt::format("a line of {} bytes is longer than the {} KiB limit: skipped", line.length,
                                 input::LineReader::kDefaultMaxLength >> 10)});
        continue;
      }
      // Comment lines are not records: saved logs sometimes start with some.
      if (line.text.starts_with('#')) continue;
      translator_.feed_log_line(line.text);
    }
    if (summary_.stopped) return;
    offset_ = bytes_.offset();
    translator_.flush();
    const auto& stats = translator_.stats();
    if (stats.skipped_total() > 0 || !stats.rejected.empty())
      damage(Error{Errc::Lossy, bytes_.offset(), 0, untranslated_summary(stats)});
    if (auto failed = bytes_.failure()) damage(*failed);
  }

 private:
  // A record is placed at the line whose arrival completed its event.
  void deliver(std::span<const uint8_t> record) {
    if (summary_.stopped) return;
    ++summary_.records;
    if (sink_.record(bsm::RecordView{record, offset_, false, name_}) == bsm::Flow::Stop) summary_.stopped = true;
  }
  void damage(Error e) {
    e.source = name_;
    ++summary_.damage;
    sink_.damage(e);
  }

  input::ByteSource& bytes_;
  const std::string& name_;
  bsm::RecordSink& sink_;
  ReadSummary& summary_;
  uint64_t offset_ = 0;
  linuxaudit::Translator translator_;
};

}  // namespace

void read_audit_log(input::ByteSource& bytes, const std::string& name, bsm::RecordSink& sink, ReadSummary& summary) {
  AuditLogReader(bytes, name, sink, summary).run();
}

#else

void read_audit_log(input::ByteSource& bytes, const std::string& name, bsm::RecordSink& sink, ReadSummary& summary) {
  ++summary.damage;
  sink.damage(Error{Errc::Unsupported, bytes.offset(), 0, "Linux audit logs are read only on Linux builds", name});
}

#endif

}  // namespace bullion::pipeline
