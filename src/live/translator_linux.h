// The one place the live source meets src/linux (Linux audit text -> BSM):
// the record translator and its syscall -> AUE table. Everything else in
// src/live depends on this narrow seam only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "bullion/error.h"
#include "live/rules_linux.h"

namespace bullion::live {

class BsmTranslator {
 public:
  using Sink = std::function<void(std::span<const uint8_t>)>;

  static Result<std::unique_ptr<BsmTranslator>> create(Sink sink);
  virtual ~BsmTranslator() = default;

  // One netlink record: its type (AUDIT_SYSCALL ...) and text payload.
  virtual void feed(uint32_t type, std::string_view payload) = 0;
  // Emits events still waiting for their end-of-event record.
  virtual void flush() = 0;
  // Emits events without an end record (CONFIG_CHANGE, USER_*) that have
  // waited long enough: a quiet live feed must not hold them forever.
  virtual void expire() = 0;

  // Writes a `lost=N where=WHERE` record into the stream here and counts it.
  virtual void report_loss(uint64_t count, std::string_view where) = 0;
  // Socket overruns (ENOBUFS) since the last call: serial gaps found after
  // one are reported as lost at "socket" rather than "serial-gap".
  virtual void note_overrun() = 0;
  // Losses reported so far, by where; events not translated; lines rejected.
  virtual std::map<std::string, uint64_t> lost() const = 0;
  virtual uint64_t skipped() const = 0;

  // The translator's syscall -> BSM event table (empty without one).
  static std::span<const linux_rules::SyscallEvent> syscall_events();
};

}  // namespace bullion::live
