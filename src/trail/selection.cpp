#include "bullion/trail/selection.h"

#include <algorithm>

#include "bullion/bsm/facts.h"
#include "bullion/bsm/token.h"
#include "bullion/trail/records.h"

namespace bullion::trail {

namespace {

constexpr uint32_t kUnsetAuid = 0xffffffffu;
constexpr uint8_t kExecArgsId = 0x3c, kExecEnvId = 0x3d;

tables::PreselectMask adjusted(tables::PreselectMask mask, tables::PreselectMask add, tables::PreselectMask remove) {
  return tables::PreselectMask{(mask.success | add.success) & ~remove.success,
                               (mask.failure | add.failure) & ~remove.failure};
}

void put_be32(std::vector<uint8_t>& bytes, size_t at, uint32_t value) {
  bytes[at] = static_cast<uint8_t>(value >> 24);
  bytes[at + 1] = static_cast<uint8_t>(value >> 16);
  bytes[at + 2] = static_cast<uint8_t>(value >> 8);
  bytes[at + 3] = static_cast<uint8_t>(value);
}

}  // namespace

TrailSelector::TrailSelector(Selection selection, std::shared_ptr<const tables::EventTable> events)
    : selection_(std::move(selection)), events_(std::move(events)) {
  if (!events_) events_ = std::shared_ptr<const tables::EventTable>(&tables::EventTable::builtin(), [](auto*) {});
}

tables::PreselectMask TrailSelector::mask_for(uint32_t auid, uint32_t pid) const {
  tables::PreselectMask mask = selection_.naflags;
  if (auid != kUnsetAuid) {
    mask = selection_.flags;
    for (const UserMask& user : selection_.users) {
      if (user.uid == auid) mask = adjusted(mask, user.always, user.never);
    }
  }
  for (const ProcessMask& process : selection_.processes) {
    if (process.pid == pid) mask = adjusted(mask, process.added, process.removed);
  }
  return mask;
}

TrailSelector::Verdict TrailSelector::judge(std::span<const uint8_t> record, std::vector<uint8_t>& rewritten) const {
  bsm::RecordFacts facts;
  if (!bsm::extract_facts(record, facts).ok() && facts.header_id == 0) return Verdict::Keep;
  if (facts.event == kAueLinuxLost) return Verdict::Keep;  // losses are kept whatever the classes
  const tables::EventEntry* entry = events_->find(facts.event);
  const uint32_t classes = entry ? entry->class_mask : 0;
  const uint32_t auid = facts.has_subject ? facts.subject.auid : kUnsetAuid;
  const tables::PreselectMask mask = mask_for(auid, facts.has_subject ? facts.subject.pid : 0);
  const bool failed = facts.has_return && facts.return_errno != 0;
  if ((classes & (failed ? mask.failure : mask.success)) == 0) return Verdict::Drop;
  uint8_t drop[2];
  size_t drops = 0;
  if (facts.exec_argc > 0 && !(selection_.policy & kPolicyArgv)) drop[drops++] = kExecArgsId;
  if (facts.exec_envc > 0 && !(selection_.policy & kPolicyArge)) drop[drops++] = kExecEnvId;
  if (drops == 0) return Verdict::Keep;
  rewritten = without_tokens(record, std::span<const uint8_t>(drop, drops));
  return rewritten.empty() ? Verdict::Keep : Verdict::Rewritten;
}

tables::PreselectMask TrailSelector::kernel_classes() const {
  tables::PreselectMask all{selection_.flags.success | selection_.naflags.success,
                            selection_.flags.failure | selection_.naflags.failure};
  for (const UserMask& user : selection_.users) all = adjusted(all, user.always, {});
  return all;
}

std::vector<uint8_t> without_tokens(std::span<const uint8_t> record, std::span<const uint8_t> drop_ids) {
  std::vector<uint8_t> out;
  out.reserve(record.size());
  bsm::TokenCursor cursor(record, 0, bsm::Dialect::Full);
  bsm::DecodedToken token;
  while (cursor.next(token)) {
    const size_t start = cursor.position() - token.length;
    if (std::find(drop_ids.begin(), drop_ids.end(), token.id) != drop_ids.end()) continue;
    out.insert(out.end(), record.begin() + static_cast<ptrdiff_t>(start),
               record.begin() + static_cast<ptrdiff_t>(cursor.position()));
  }
  if (cursor.failed() || out.size() < 12) return {};
  // Every header has its u32 size right after the id; the trailer ends
  // with the same count.
  put_be32(out, 1, static_cast<uint32_t>(out.size()));
  put_be32(out, out.size() - 4, static_cast<uint32_t>(out.size()));
  return out;
}

}  // namespace bullion::trail
