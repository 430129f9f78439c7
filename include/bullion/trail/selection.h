// What a trail daemon keeps of the records its live source delivers, as a
// BSD kernel preselects for its trail: the classes of audit_control's
// `flags` for attributable events (a user's audit_user always-audit classes
// added, never-audit classes removed), `naflags` for events with no user
// (no subject, or auid -1), per-process changes made with auditon setmask,
// and policy `argv` / `arge` (exec arguments / environment kept in the
// record only when set). The kernel rules ask for the union; this narrows.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "bullion/tables.h"

namespace bullion::trail {

inline constexpr uint32_t kPolicyCnt = 0x1, kPolicyAhlt = 0x2, kPolicyArgv = 0x4, kPolicyArge = 0x8;

struct UserMask {
  uint32_t uid = 0;
  tables::PreselectMask always, never;
};

// auditon setmask / unsetmask on one process.
struct ProcessMask {
  uint32_t pid = 0;
  tables::PreselectMask added, removed;
};

struct Selection {
  tables::PreselectMask flags, naflags;
  std::vector<UserMask> users;
  std::vector<ProcessMask> processes;
  uint32_t policy = 0;
};

class TrailSelector {
 public:
  TrailSelector(Selection selection, std::shared_ptr<const tables::EventTable> events);

  enum class Verdict { Drop, Keep, Rewritten };
  // Keep: write the record as it is. Rewritten: write `rewritten` (exec
  // arguments or environment taken out as policy says). A record that does
  // not decode is kept: dropping it would hide a translator bug.
  Verdict judge(std::span<const uint8_t> record, std::vector<uint8_t>& rewritten) const;

  // The mask a process of `auid` with `pid` is audited for (attributable
  // when auid is not -1).
  tables::PreselectMask mask_for(uint32_t auid, uint32_t pid) const;

  // What the kernel must be asked for: everyone's classes (flags, naflags,
  // every user's always classes), and per process the classes auditon added.
  tables::PreselectMask kernel_classes() const;
  const Selection& selection() const { return selection_; }
  const std::shared_ptr<const tables::EventTable>& events() const { return events_; }

 private:
  Selection selection_;
  std::shared_ptr<const tables::EventTable> events_;
};

// The record without its tokens of `drop_kinds` ids (header size and
// trailer count fixed). Empty when the record does not decode.
std::vector<uint8_t> without_tokens(std::span<const uint8_t> record, std::span<const uint8_t> drop_ids);

}  // namespace bullion::trail
