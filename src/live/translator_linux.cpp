// See translator_linux.h: adapts bullion::linuxaudit::Translator.
#include "live/translator_linux.h"

#include <ctime>
#include <vector>

#include "bullion/linux/translate.h"
#include "linux/mapping.h"
#include "linux/record_text.h"
#include "live/serial_gaps.h"

namespace bullion::live {
namespace {

class LinuxAuditTranslator final : public BsmTranslator {
 public:
  explicit LinuxAuditTranslator(Sink sink) : translator_(std::move(sink)) {}

  void feed(uint32_t type, std::string_view payload) override {
    translator_.feed_netlink(static_cast<int>(type), payload);
    linuxaudit::Stamp stamp;
    std::string_view rest;
    if (linuxaudit::parse_stamp(payload, stamp, rest)) return;  // not stamped: no serial to follow
    gaps_.saw(stamp.serial, settled_);
    report_gaps();
  }
  void flush() override {
    translator_.flush();
    gaps_.finish(settled_);
    report_gaps();
  }
  void expire() override { translator_.expire(static_cast<uint64_t>(::time(nullptr))); }
  void report_loss(uint64_t count, std::string_view where) override { translator_.report_loss(count, where); }
  void note_overrun() override { overrun_ = true; }
  std::map<std::string, uint64_t> lost() const override { return translator_.stats().lost; }
  uint64_t skipped() const override {
    const auto& s = translator_.stats();
    uint64_t rejected = 0;
    for (const auto& [reason, n] : s.rejected) rejected += n;
    return s.skipped_total() + rejected;
  }

 private:
  void report_gaps() {
    for (const SerialRange& range : settled_) {
      translator_.report_loss(range.count(), overrun_ ? "socket" : "serial-gap",
                              linuxaudit::Translator::SerialRange{range.first, range.last});
    }
    if (!settled_.empty()) overrun_ = false;
    settled_.clear();
  }

  linuxaudit::Translator translator_;
  SerialGaps gaps_;
  std::vector<SerialRange> settled_;
  bool overrun_ = false;
};

}  // namespace

Result<std::unique_ptr<BsmTranslator>> BsmTranslator::create(Sink sink) {
  return std::unique_ptr<BsmTranslator>(new LinuxAuditTranslator(std::move(sink)));
}

// The translator's table, inverted by the rule planner. An open-family row
// names only its O_RDONLY event; the call can become any of the variants
// (read/write/read-write x create x truncate), each with its own classes,
// as linuxaudit::open_event() picks them from the flags. Each variant row
// carries those flags and the register holding them (open: a1, openat: a2;
// openat2 passes a struct, so none). The values are the generic Linux
// ones, which x86_64, i386, aarch64 and arm share.
static std::vector<linux_rules::SyscallEvent> build_syscall_events() {
  std::vector<linux_rules::SyscallEvent> rows;
  for (const linuxaudit::SyscallRow& row : linuxaudit::syscall_rows()) {
    if (row.shape != linuxaudit::Shape::Open) {
      rows.push_back({row.name, row.event});
      continue;
    }
    const int8_t arg = row.name == "openat2" ? -1 : static_cast<int8_t>(linuxaudit::open_flags_arg(row));
    constexpr uint32_t kAccessModes[] = {0 /*O_RDONLY*/, 01 /*O_WRONLY*/, 02 /*O_RDWR*/};
    constexpr uint32_t kCreat = linuxaudit::kLinuxOCreat, kTrunc = 01000;
    for (uint32_t access : kAccessModes) {
      for (uint32_t extra : {0u, kCreat, kTrunc, kCreat | kTrunc}) {
        const uint32_t flags = access | extra;
        rows.push_back({row.name, linuxaudit::open_event(row.event, flags), arg, flags});
      }
    }
  }
  return rows;
}

std::span<const linux_rules::SyscallEvent> BsmTranslator::syscall_events() {
  static const std::vector<linux_rules::SyscallEvent> rows = build_syscall_events();
  return rows;
}

}  // namespace bullion::live
