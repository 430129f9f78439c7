// Linux audit translator over arbitrary text: every line is fed both as an
// audit.log line and as a netlink payload. Nothing may crash or hang, every
// record produced must decode, and every event must become a record.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bullion/bsm/facts.h"
#include "bullion/linux/translate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bullion;
  auto check = [](std::span<const uint8_t> record) {
    bsm::RecordFacts facts;
    if (!bsm::extract_facts(record, facts).ok()) std::abort();
  };
  linuxaudit::Translator log(check), netlink(check);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    log.feed_log_line(line);
    // The first two bytes pick a record type across 1000-2999: syscall
    // parts, user-space messages, AVC, ANOM_*, INTEGRITY_*, CRYPTO_* ...
    const int type = line.size() >= 2 ? 1000 + (static_cast<uint8_t>(line[0]) * 7 + line[1]) % 2000 : 1300;
    netlink.feed_netlink(type, line.size() >= 2 ? line.substr(2) : line);
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  for (linuxaudit::Translator* t : {&log, &netlink}) {
    t->flush();
    const auto& s = t->stats();
    if (s.events_in != s.events_out + s.skipped_total()) std::abort();
    if (s.events_in != s.events_out) std::abort();  // every event is a record
  }
  return 0;
}
