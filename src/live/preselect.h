// Class preselection applied to finished BSM records, as a BSD kernel's
// auditpipe would apply it. Kernel rules on Linux select by syscall, which
// is coarser than BSM classes (one open() rule yields read opens, write
// opens and creating opens); this keeps exactly what the classes ask for.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "bullion/tables.h"

namespace bullion::live {

class Preselector {
 public:
  // With `auid`, only records whose subject has that login uid pass: kernel
  // rules filter syscalls by auid, but standalone records (LOGIN,
  // CONFIG_CHANGE, USER_*) reach every collector whatever the rules say.
  Preselector(tables::PreselectMask classes, const tables::EventTable& events, std::optional<uint32_t> auid)
      : classes_(classes), events_(events), auid_(auid) {}

  // True when the record's event is in a class preselected for its outcome
  // (success when it has no return token). Records that do not decode are
  // kept, unless an auid is asked for: dropping them silently would hide
  // translator bugs.
  bool wanted(std::span<const uint8_t> record) const;

 private:
  tables::PreselectMask classes_;
  const tables::EventTable& events_;
  std::optional<uint32_t> auid_;
};

}  // namespace bullion::live
