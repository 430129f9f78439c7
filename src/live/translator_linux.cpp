// See translator_linux.h: adapts bullion::linuxaudit::Translator.
#include "live/translator_linux.h"

#include <ctime>
#include <vector>

#include "bullion/linux/translate.h"
#include "linux/mapping.h"

namespace bullion::live {
namespace {

class LinuxAuditTranslator final : public BsmTranslator {
 public:
  explicit LinuxAuditTranslator(Sink sink) : translator_(std::move(sink)) {}

  void feed(uint32_t type, std::string_view payload) override {
    translator_.feed_netlink(static_cast<int>(type), payload);
  }
  void flush() override { translator_.flush(); }
  void expire() override { translator_.expire(static_cast<uint64_t>(::time(nullptr))); }

 private:
  linuxaudit::Translator translator_;
};

}  // namespace

Result<std::unique_ptr<BsmTranslator>> BsmTranslator::create(Sink sink) {
  return std::unique_ptr<BsmTranslator>(new LinuxAuditTranslator(std::move(sink)));
}

// The translator's table, inverted by the rule planner. An open-family row
// names only its O_RDONLY event; the call can become any of the variants
// (read/write/read-write x create x truncate), each with its own classes.
static std::vector<linux_rules::SyscallEvent> build_syscall_events() {
  std::vector<linux_rules::SyscallEvent> rows;
  for (const linuxaudit::SyscallRow& row : linuxaudit::syscall_rows()) {
    if (row.shape != linuxaudit::Shape::Open) {
      rows.push_back({row.name, row.event});
      continue;
    }
    constexpr uint64_t kAccessModes[] = {0 /*O_RDONLY*/, 01 /*O_WRONLY*/, 02 /*O_RDWR*/};
    constexpr uint64_t kTrunc = 01000;
    for (uint64_t access : kAccessModes) {
      for (uint64_t extra : {uint64_t{0}, linuxaudit::kLinuxOCreat, kTrunc, linuxaudit::kLinuxOCreat | kTrunc}) {
        rows.push_back({row.name, linuxaudit::open_event(row.event, access | extra)});
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
