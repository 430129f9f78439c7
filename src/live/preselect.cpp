// See preselect.h.
#include "live/preselect.h"

#include "bullion/bsm/facts.h"

namespace bullion::live {
namespace {
constexpr uint16_t kAueLinuxLost = 48002;  // src/tables/builtin_linux_audit_event.inc
}

bool Preselector::wanted(std::span<const uint8_t> record) const {
  bsm::RecordFacts facts;
  const bool decoded = bsm::extract_facts(record, facts).ok();
  if (decoded && facts.event == kAueLinuxLost) return true;  // losses reach every consumer
  if (auid_ && (!facts.has_subject || facts.subject.auid != *auid_)) return false;
  if (!decoded && facts.header_id == 0) return true;
  const tables::EventEntry* entry = events_.find(facts.event);
  if (entry == nullptr) return true;
  const bool failed = facts.has_return && facts.return_errno != 0;
  return (entry->class_mask & (failed ? classes_.failure : classes_.success)) != 0;
}

}  // namespace bullion::live
