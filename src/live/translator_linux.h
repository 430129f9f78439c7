// The one place the live source meets src/linux (Linux audit text -> BSM):
// the record translator and its syscall -> AUE table. Everything else in
// src/live depends on this narrow seam only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
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

  // The translator's syscall -> BSM event table (empty without one).
  static std::span<const linux_rules::SyscallEvent> syscall_events();
};

}  // namespace bullion::live
